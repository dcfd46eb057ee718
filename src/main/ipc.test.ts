import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { BRIDGE_IPC, BRIDGE_METHODS, type BridgeListener, type HearthBridge } from '../shared/ipc/bridge.js';
import { BridgeIpc, trustedSender } from './ipc.js';
import { APP_ORIGIN } from './app-protocol.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

/** A bridge whose every method answers with its own name and arguments. */
function fakeBridge() {
  const listeners = new Set<BridgeListener>();
  const bridge = Object.fromEntries(
    BRIDGE_METHODS.map((m) => [m, vi.fn(async (...args: unknown[]) => ({ ok: true, value: { method: m, args } }))]),
  ) as unknown as HearthBridge & Record<string, ReturnType<typeof vi.fn>>;
  bridge.subscribe = (listener: BridgeListener) => {
    listeners.add(listener);
    listener({ type: 'snapshot', state: { snapshot: listeners.size } as never });
    return () => listeners.delete(listener);
  };
  return { bridge, listeners };
}

function setup() {
  const { bridge, listeners } = fakeBridge();
  const window = new fake.BrowserWindow();
  const contents = window.webContents;
  const log = { warn: vi.fn(), error: vi.fn() };
  const ipc = new BridgeIpc(bridge, trustedSender(() => contents as never, APP_ORIGIN), log);
  ipc.register();
  const mainFrame = { url: 'app://hearth/index.html', parent: null };
  return { bridge, listeners, contents, log, ipc, trusted: { frame: mainFrame, webContents: contents } };
}

beforeEach(() => fake.resetFakeElectron());

describe('BridgeIpc', () => {
  it('registers one invoke channel per bridge method', () => {
    setup();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(BRIDGE_METHODS.map((m) => BRIDGE_IPC.invoke(m)).sort());
  });

  it('serves calls from the main frame of our window', async () => {
    const { bridge, trusted } = setup();
    const result = await fake.ipcMain.invoke(BRIDGE_IPC.invoke('getInvite'), trusted, 'abc123');
    expect(result).toEqual({ ok: true, value: { method: 'getInvite', args: ['abc123'] } });
    expect(bridge.getInvite).toHaveBeenCalledWith('abc123');
  });

  it.each([
    ['an iframe', (c: fake.FakeWebContents) => ({ frame: { url: 'app://hearth/index.html', parent: { url: 'app://hearth/', parent: null } }, webContents: c })],
    ['a foreign origin', (c: fake.FakeWebContents) => ({ frame: { url: 'https://evil.example/', parent: null }, webContents: c })],
    ['a destroyed frame', (c: fake.FakeWebContents) => ({ frame: null, webContents: c })],
    ['another window', () => ({ frame: { url: 'app://hearth/index.html', parent: null }, webContents: new fake.FakeWebContents() })],
  ])('refuses calls from %s without reaching the bridge', async (_name, sender) => {
    const { bridge, contents, log } = setup();
    const result = await fake.ipcMain.invoke(BRIDGE_IPC.invoke('logout'), sender(contents));
    expect(result).toMatchObject({ ok: false, error: { code: 50001, status: 403 } });
    expect(bridge.logout).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith('refused bridge call from an untrusted frame', expect.objectContaining({ method: 'logout' }));
  });

  it('turns an unexpected throw into an error result without logging the arguments', async () => {
    const { bridge, trusted, log } = setup();
    vi.mocked(bridge.login).mockRejectedValueOnce(new Error('boom'));
    const result = await fake.ipcMain.invoke(BRIDGE_IPC.invoke('login'), trusted, { login: 'ember', password: 'hunter22' });
    expect(result).toMatchObject({ ok: false, error: { code: 0, status: 500 } });
    expect(JSON.stringify(log.error.mock.calls)).not.toContain('hunter22');
  });

  it('pushes a snapshot on subscribe, a fresh one after a reload, and host events', () => {
    const { contents, listeners, ipc, trusted } = setup();
    fake.ipcMain.emit(BRIDGE_IPC.subscribe, { sender: contents, senderFrame: trusted.frame });
    expect(contents.sent).toEqual([{ channel: BRIDGE_IPC.event, args: [{ type: 'snapshot', state: { snapshot: 1 } }] }]);
    // The page reloads and subscribes again: the old subscription is replaced, not doubled.
    fake.ipcMain.emit(BRIDGE_IPC.subscribe, { sender: contents, senderFrame: trusted.frame });
    expect(listeners.size).toBe(1);
    expect(contents.sent).toHaveLength(2);
    ipc.pushHost({ type: 'open-invite', code: 'abc123', server: null });
    expect(contents.sent.at(-1)).toEqual({ channel: BRIDGE_IPC.event, args: [{ type: 'host', event: { type: 'open-invite', code: 'abc123', server: null } }] });
    contents.emit('destroyed');
    expect(listeners.size).toBe(0);
  });

  it('keeps a deep link that arrived before the renderer subscribed, and drops transient events', () => {
    const { contents, ipc, trusted } = setup();
    ipc.pushHost({ type: 'open-invite', code: 'cold1', server: null }, { keep: true });
    ipc.pushHost({ type: 'push-to-talk', pressed: true });
    fake.ipcMain.emit(BRIDGE_IPC.subscribe, { sender: contents, senderFrame: trusted.frame });
    expect(contents.sent.map((m) => (m.args[0] as { type: string }).type)).toEqual(['snapshot', 'host']);
    expect(contents.sent[1]?.args[0]).toEqual({ type: 'host', event: { type: 'open-invite', code: 'cold1', server: null } });
  });

  it('refuses subscriptions from untrusted frames', () => {
    const { contents, listeners } = setup();
    fake.ipcMain.emit(BRIDGE_IPC.subscribe, { sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } });
    expect(listeners.size).toBe(0);
    expect(contents.sent).toEqual([]);
  });
});
