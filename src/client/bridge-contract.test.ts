import { describe, expect, it } from 'vitest';
import { BRIDGE_IPC, BRIDGE_METHODS, isBridgeMethod } from '../shared/ipc/bridge.js';
import { HearthClient } from './client.js';

describe('BRIDGE_METHODS', () => {
  it('lists every request method HearthClient implements, once, and nothing else', () => {
    expect(new Set(BRIDGE_METHODS).size).toBe(BRIDGE_METHODS.length);
    for (const method of BRIDGE_METHODS) expect(typeof HearthClient.prototype[method]).toBe('function');
    expect(BRIDGE_METHODS).not.toContain('subscribe');
  });

  it('recognises bridge methods only, and names one IPC channel each', () => {
    expect(isBridgeMethod('sendMessage')).toBe(true);
    expect(isBridgeMethod('constructor')).toBe(false);
    expect(isBridgeMethod('__proto__')).toBe(false);
    expect(BRIDGE_IPC.invoke('sendMessage')).toBe('hearth:invoke:sendMessage');
  });
});
