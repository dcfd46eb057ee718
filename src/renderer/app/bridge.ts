/**
 * Picks the one {@link HearthBridge} the UI talks to: the desktop app's preload exposes
 * `window.hearth` (IPC to Electron main); in a plain browser the client core runs in the page.
 * Nothing else in the renderer knows which one it got.
 */
import type { HearthBridge } from '../../shared/ipc/bridge.js';
import { createWebClient } from '../../client/web.js';

declare global {
  interface Window {
    /** Set by the desktop app's preload script. */
    hearth?: HearthBridge;
  }
}

/** The web client's version, shown in settings (the desktop app reports its own). */
const WEB_CLIENT_VERSION = '0.1.0';

export function resolveBridge(): HearthBridge {
  return window.hearth ?? createWebClient({ version: WEB_CLIENT_VERSION });
}
