/**
 * Turning bridge errors into what the UI shows: field messages beside fields (Discord's 50035
 * tree), one sentence otherwise, and whether the server could not be reached at all.
 */
import type { BridgeError, BridgeResult } from '../../shared/ipc/bridge.js';
import type { FieldErrorTree } from '../../shared/errors.js';

/** First message per top-level field of a 50035 error, e.g. `{username: 'Must be 2 or more in length.'}`. */
export function fieldErrors(error: BridgeError | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!error?.errors) return result;
  for (const [field, node] of Object.entries(error.errors)) {
    if (field === '_errors' || !node || Array.isArray(node)) continue;
    const message = firstMessage(node);
    if (message) result[field] = message;
  }
  return result;
}

function firstMessage(node: FieldErrorTree): string | null {
  const own = node._errors?.[0]?.message;
  if (own) return own;
  for (const [key, child] of Object.entries(node)) {
    if (key === '_errors' || !child || Array.isArray(child)) continue;
    const nested = firstMessage(child);
    if (nested) return nested;
  }
  return null;
}

/** True when no HTTP answer came back (server down, wrong address, network gone). */
export function isUnreachable(error: BridgeError): boolean {
  return error.status === 0;
}

/** The sentence to show for an error that is not tied to a field. */
export function describeError(error: BridgeError): string {
  if (error.status === 429) return 'You are doing that too fast. Try again in a moment.';
  if (error.status === 403 && error.message === 'Missing Permissions') return 'You do not have permission to do that.';
  return error.message || 'Something went wrong.';
}

/** Thrown by {@link unwrap} so async handlers can use try/catch with the bridge error inside. */
export class BridgeCallError extends Error {
  constructor(readonly error: BridgeError) {
    super(describeError(error));
    this.name = 'BridgeCallError';
  }
}

/** The value of a bridge result, or a thrown {@link BridgeCallError}. */
export async function unwrap<T>(result: Promise<BridgeResult<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new BridgeCallError(settled.error);
  return settled.value;
}
