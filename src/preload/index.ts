/**
 * The preload: exposes `window.hearth`, an object with exactly the {@link BRIDGE_METHODS} of the
 * `HearthBridge` contract (each an IPC invoke) plus `subscribe` for pushes — never `ipcRenderer`
 * itself, and nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_IPC, BRIDGE_METHODS, type BridgeEvent, type BridgeListener, type HearthBridge, type HearthBridgeMethods,
} from '../shared/ipc/bridge.js';

/** The name of the bridge on `window`. */
export const BRIDGE_GLOBAL = 'hearth';

/** Builds the bridge object the page sees. */
export function createPreloadBridge(): HearthBridge {
  const methods = Object.fromEntries(
    BRIDGE_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(BRIDGE_IPC.invoke(method), ...args)]),
  ) as unknown as HearthBridgeMethods;

  const listeners = new Set<BridgeListener>();
  const onEvent = (_event: IpcRendererEvent, message: BridgeEvent) => {
    for (const listener of [...listeners]) listener(message);
  };

  function subscribe(listener: BridgeListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener) needs a function');
    if (listeners.size === 0) ipcRenderer.on(BRIDGE_IPC.event, onEvent);
    listeners.add(listener);
    // Main answers every subscription with a fresh snapshot, then the actions that follow.
    ipcRenderer.send(BRIDGE_IPC.subscribe);
    return () => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      ipcRenderer.removeListener(BRIDGE_IPC.event, onEvent);
      ipcRenderer.send(BRIDGE_IPC.unsubscribe);
    };
  }

  return { ...methods, subscribe };
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createPreloadBridge());
