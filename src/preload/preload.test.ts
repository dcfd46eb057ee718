import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../main/test-support/fake-electron.js';
import { BRIDGE_IPC, BRIDGE_METHODS, type BridgeEvent, type HearthBridge } from '../shared/ipc/bridge.js';

vi.mock('electron', () => import('../main/test-support/fake-electron.js'));

let exposed: HearthBridge;
let exposeCalls: unknown[][];

beforeAll(async () => {
  fake.resetFakeElectron();
  await import('./index.js');
  exposeCalls = fake.callsTo('contextBridge', 'exposeInMainWorld').map((c) => c.args);
  exposed = fake.contextBridge.exposed.get('hearth') as HearthBridge;
});

beforeEach(() => {
  fake.calls.length = 0;
});

async function loadPreload(): Promise<HearthBridge> {
  if (!exposed) throw new Error('preload exposed nothing as window.hearth');
  return exposed;
}

describe('preload', () => {
  it('exposes exactly the contract: the bridge methods plus subscribe, as one object', async () => {
    const bridge = await loadPreload();
    expect(exposeCalls.map((args) => args[0])).toEqual(['hearth']);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_METHODS, 'subscribe'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('turns each method into an invoke on its own channel', async () => {
    const bridge = await loadPreload();
    await bridge.login({ login: 'ember', password: 'hunter22' });
    await bridge.sendTyping('123');
    expect(fake.callsTo('ipcRenderer', 'invoke').map((c) => c.args)).toEqual([
      [BRIDGE_IPC.invoke('login'), { login: 'ember', password: 'hunter22' }],
      [BRIDGE_IPC.invoke('sendTyping'), '123'],
    ]);
  });

  it('subscribes for pushes, delivers them to listeners, and unsubscribes when the last one leaves', async () => {
    const bridge = await loadPreload();
    const first: BridgeEvent[] = [];
    const second: BridgeEvent[] = [];
    const stopFirst = bridge.subscribe((e) => first.push(e));
    const stopSecond = bridge.subscribe((e) => second.push(e));
    expect(fake.callsTo('ipcRenderer', 'send').map((c) => c.args[0])).toEqual([BRIDGE_IPC.subscribe, BRIDGE_IPC.subscribe]);
    const push: BridgeEvent = { type: 'host', event: { type: 'push-to-talk', pressed: true } };
    fake.ipcRenderer.emit(BRIDGE_IPC.event, {}, push);
    expect(first).toEqual([push]);
    expect(second).toEqual([push]);
    stopFirst();
    stopFirst();
    fake.ipcRenderer.emit(BRIDGE_IPC.event, {}, push);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(2);
    stopSecond();
    expect(fake.ipcRenderer.listenerCount(BRIDGE_IPC.event)).toBe(0);
    expect(fake.callsTo('ipcRenderer', 'send').at(-1)?.args[0]).toBe(BRIDGE_IPC.unsubscribe);
  });
});
