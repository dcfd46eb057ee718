/**
 * The client core's public surface: the bridge implementation, the pure state reducer and
 * selectors, and the pieces main and the renderer wire up.
 */
export { HearthClient, type HearthClientOptions } from './client.js';
export { createWebClient } from './web.js';
export { GatewayConnection, type WebSocketConstructor, type WebSocketLike, type ZlibStreamInflater } from './gateway-connection.js';
export { RestClient, RestError } from './rest-client.js';
export { canInflate, streamInflater, type InflaterFactory } from './zlib-stream.js';
export { HearthApi } from './hearth-api.js';
export { fetchUploadTransport, xhrUploadTransport, type UploadTransport } from './rest-upload.js';
export { memoryStorage, webStorage, type KeyValueStorage, type StorageKey } from './storage.js';
export { normalizeServerUrl } from './session.js';
export { createInitialState, reduce } from './state/reducer.js';
export { StateMirror } from './state/mirror.js';
export * from './state/selectors.js';
export * from './state/types.js';
