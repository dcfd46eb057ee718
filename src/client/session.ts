/**
 * Pieces of the signed-in session that need no state: server URL normalization and checking,
 * turning any failure into a bridge error. Invite codes and links are read by `shared/invite.ts`.
 */
import { Errors, HearthError } from '../shared/errors.js';
import type { BridgeError, BridgeResult } from '../shared/ipc/bridge.js';
import { RestError } from './rest-client.js';

/**
 * The server's base URL from what a user typed: `chat.example.org` → `https://chat.example.org`,
 * trailing slashes and any `/api/...` suffix removed. Undefined when it is not an http(s) URL.
 */
export function normalizeServerUrl(input: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed.length === 0) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  const path = url.pathname.replace(/\/api(\/v\d+)?\/?$/, '').replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/** Any error as the bridge carries it. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof RestError) return error.toBridgeError();
  if (error instanceof HearthError) return { ...error.toBody(), status: error.entry.status };
  const message = error instanceof Error ? error.message : String(error);
  return { code: Errors.INTERNAL.code, message: message || Errors.INTERNAL.message, status: 0 };
}

/** Runs `work`, turning its outcome into a {@link BridgeResult}. */
export async function settle<T>(work: () => Promise<T>): Promise<BridgeResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: toBridgeError(error) };
  }
}
