/**
 * Signals to one peer go out in small batches. A peer gathers an offer and a burst of ICE
 * candidates within milliseconds; sent one by one they would eat the gateway's 120 payloads a
 * minute, sent all at once they could pass its 4096-byte payload limit. A batch waits a few
 * milliseconds and closes early when it nears {@link MAX_BATCH_CHARS}.
 *
 * Wire shape (the `signal` of op 40, passed through by the server): `{peer, signals}` where
 * `peer` names one peer connection (the initiator picks it; a new one replaces the old) and
 * `signals` are simple-peer signal objects in order.
 */
import type { PeerSignal } from './peer.js';

/** The envelope a batch travels in. */
export interface SignalEnvelope {
  peer: string;
  signals: PeerSignal[];
}

/** How long a batch collects signals. */
export const BATCH_DELAY_MS = 15;
/** Envelope size that closes a batch (op 40's session id and framing fit in the rest of 4096 bytes). */
export const MAX_BATCH_CHARS = 3_200;

/** Parses an envelope received from the server; undefined when it is not one. */
export function parseSignalEnvelope(value: unknown): SignalEnvelope | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { peer, signals } = value as Partial<SignalEnvelope>;
  if (typeof peer !== 'string' || peer.length === 0 || peer.length > 64 || !Array.isArray(signals)) return undefined;
  if (!signals.every((signal) => typeof signal === 'object' && signal !== null && !Array.isArray(signal))) return undefined;
  return { peer, signals };
}

export class SignalBatcher {
  private pending: PeerSignal[] = [];
  private pendingChars = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly peerId: string,
    private readonly send: (envelope: SignalEnvelope) => void,
    private readonly delayMs = BATCH_DELAY_MS,
  ) {}

  /** Queues a signal; a batch that would grow too large is sent first. */
  push(signal: PeerSignal): void {
    const size = JSON.stringify(signal).length + 1;
    if (this.pending.length > 0 && this.pendingChars + size > MAX_BATCH_CHARS) this.flush();
    this.pending.push(signal);
    this.pendingChars += size;
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Sends what is queued now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const signals = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.send({ peer: this.peerId, signals });
  }

  /** Drops what is queued (the peer is gone). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingChars = 0;
  }
}
