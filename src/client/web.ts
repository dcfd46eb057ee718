/**
 * The web client's bridge: a {@link HearthClient} running in the page with the browser's
 * WebSocket, fetch, XMLHttpRequest uploads and localStorage; the server it was loaded from is
 * the default server.
 */
import { HearthClient } from './client.js';
import type { WebSocketConstructor } from './gateway-connection.js';
import { memoryStorage, webStorage } from './storage.js';

/** Builds (and starts) the in-page client. */
export function createWebClient(options: { version?: string } = {}): HearthClient {
  let storage;
  try {
    storage = webStorage(globalThis.localStorage);
  } catch {
    // localStorage can be disabled (privacy settings); the session then lasts as long as the page.
    storage = memoryStorage();
  }
  const client = new HearthClient({
    // The DOM types declare handler properties with `this` and DOM event types; the structural
    // subset the connection uses (data, code, reason) is what browsers provide.
    WebSocket: globalThis.WebSocket as unknown as WebSocketConstructor,
    storage,
    platform: 'web',
    ...(options.version ? { version: options.version } : {}),
    defaultServerUrl: globalThis.location?.origin ?? null,
    gatewayProperties: { os: globalThis.navigator?.platform || 'unknown', browser: 'Hearth Web', device: 'Hearth' },
  });
  void client.start();
  return client;
}
