/**
 * A dispatch serialized once: `t` plus the JSON of `d`. Every recipient's envelope is built by
 * concatenation around the shared JSON, so the expensive part (JSON.stringify of `d`) happens
 * once per distinct payload however many sessions receive it. Replay buffers keep references
 * to the same objects, so a thousand sessions holding one event cost one copy of it.
 */
import type { DispatchEventName, DispatchEvents } from '../../shared/protocol/gateway.js';

export interface SerializedDispatch {
  readonly t: DispatchEventName;
  /** `JSON.stringify(d)`. */
  readonly json: string;
}

/** Serializes a dispatch's data once. */
export function serializeDispatch<T extends DispatchEventName>(t: T, d: DispatchEvents[T]): SerializedDispatch {
  return { t, json: JSON.stringify(d) };
}

/** The envelope text for one session: `{"op":0,"t":…,"s":seq,"d":…}` around the shared JSON. */
export function dispatchEnvelope(dispatch: SerializedDispatch, seq: number): string {
  return `{"op":0,"t":"${dispatch.t}","s":${seq},"d":${dispatch.json}}`;
}
