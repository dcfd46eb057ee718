/**
 * Picks the one {@link HearthBridge} the UI talks to: the desktop app's preload exposes
 * `window.hearth` (IPC to Electron main); in a plain browser the client core runs in the page.
 * Nothing else in the renderer knows which one it got.
 */
import type { HearthBridge } from '../../shared/ipc/bridge.js';
import { HearthClient } from '../../client/client.js';
import { webStorage } from '../../client/storage.js';
import type { WebSocketConstructor } from '../../client/gateway-connection.js';

declare global {
  interface Window {
    /** Set by the desktop app's preload script. */
    hearth?: HearthBridge;
  }
}

/** The renderer's version, shown in settings (the web client has no other). */
const WEB_CLIENT_VERSION = '0.1.0';

export function resolveBridge(): HearthBridge {
  if (window.hearth) return window.hearth;
  const served = /^https?:$/.test(window.location.protocol) ? window.location.origin : null;
  const client = new HearthClient({
    // The DOM WebSocket is the runtime the client core targets; only its handler types are wider.
    WebSocket: window.WebSocket as unknown as WebSocketConstructor,
    storage: webStorage(window.localStorage),
    platform: 'web',
    version: WEB_CLIENT_VERSION,
    defaultServerUrl: served,
    gatewayProperties: { os: navigator.platform || 'unknown', browser: 'Hearth Web', device: '' },
  });
  void client.start();
  return client;
}
