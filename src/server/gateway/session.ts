/**
 * A gateway session and the connection currently carrying it. The session outlives its
 * connection: when the socket drops it stays resumable (with its sequence number and replay
 * buffer) until the resume window passes. Both keep only plain fields (no per-session timers or
 * closures) because one process holds many of them; a single sweep checks heartbeats and expiry.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Snowflake } from '../../shared/snowflake.js';
import { GatewayIntent, type ServerControlPayload } from '../../shared/protocol/gateway.js';
import { GatewayCloseCode } from '../../shared/errors.js';
import type { Platform } from '../presence/presence.js';
import { dispatchEnvelope, type SerializedDispatch } from './dispatch.js';
import { ReplayBuffer } from './replay-buffer.js';
import { ZlibStreamCompressor } from './compression.js';
import { holdUntilTurnEnds, isHeldThisTurn } from './turn-writes.js';
import {
  CLIENT_EVENTS_PER_WINDOW, CLIENT_EVENTS_WINDOW_MS, CLOSE_GRACE_MS, PRESENCE_UPDATES_PER_WINDOW,
  PRESENCE_UPDATES_WINDOW_MS, WindowCounter,
} from './limits.js';

/** One WebSocket connection: heartbeat bookkeeping, client rate limits, and the bytes it sends. */
export class GatewayConnection {
  session: GatewaySession | null = null;
  /** Set while an IDENTIFY or RESUME is being processed, so a second one is refused. */
  authenticating = false;
  lastHeartbeatAt: number;
  /** Whether the server already asked for a heartbeat (op 1) during the current silence. */
  heartbeatRequested = false;
  closing = false;
  readonly clientEvents = new WindowCounter(CLIENT_EVENTS_PER_WINDOW, CLIENT_EVENTS_WINDOW_MS);
  /** Created on the first op 3, as most connections (bots) never send one. */
  private presenceUpdates: WindowCounter | null = null;
  private readonly compressor: ZlibStreamCompressor | null;
  /** {@link unsentBytes} when this turn's first message was written (see {@link backlog}). */
  private unsentAtTurnStart = 0;
  /** Bytes of a RESUME's replay written at once: the bound stretches by this until the client caught up. */
  private burstAllowance = 0;

  constructor(
    readonly ws: WebSocket,
    /** The TCP socket under `ws`: its writes are coalesced per event-loop turn. */
    private readonly socket: Duplex,
    /** Whether the client asked for `compress=zlib-stream`. */
    compress: boolean,
    private readonly maxUnsentBytes: number,
    now: number,
  ) {
    this.lastHeartbeatAt = now;
    this.compressor = compress ? new ZlibStreamCompressor((bytes) => this.sendFrame(bytes)) : null;
  }

  /** Counts an op 3 against its own limit (5 per 20 s); false when over it. */
  hitPresenceLimit(now: number): boolean {
    this.presenceUpdates ??= new WindowCounter(PRESENCE_UPDATES_PER_WINDOW, PRESENCE_UPDATES_WINDOW_MS);
    return this.presenceUpdates.hit(now);
  }

  /** Bytes queued for this client but not yet written to the network. */
  get unsentBytes(): number {
    return this.ws.bufferedAmount + (this.compressor?.pendingBytes ?? 0);
  }

  /**
   * What earlier event-loop turns left unsent. Messages written in this turn are held until it
   * ends (see turn-writes.ts), so they wait in the buffer without the client being slow.
   */
  private get backlog(): number {
    if (!isHeldThisTurn(this.socket)) this.unsentAtTurnStart = this.unsentBytes;
    return this.unsentAtTurnStart;
  }

  /**
   * Sends one message. A client that does not read fast enough is closed with a resumable code
   * once its unsent bytes pass the bound, rather than buffered without limit (the message is
   * kept in the session's replay buffer, so a RESUME gets it).
   */
  send(text: string): void {
    if (this.closing) return;
    // Checked before writing, so one turn's messages to a client that keeps up are never refused;
    // what stays buffered is bounded by the limit (plus a replay burst) plus one turn's messages.
    const unsent = this.backlog;
    if (unsent <= this.maxUnsentBytes) this.burstAllowance = 0;
    else if (unsent > this.maxUnsentBytes + this.burstAllowance) {
      this.close(GatewayCloseCode.UNKNOWN_ERROR, 'Send buffer full: the client is not reading fast enough');
      return;
    }
    this.write(text);
  }

  /**
   * Writes a RESUME's replay whole. It is bounded by the replay buffer, and may be far larger
   * than the send bound (a client cut off for reading slowly comes back for exactly that
   * backlog), so the bound stretches by its size until the client has read it.
   */
  sendBurst(texts: readonly string[]): void {
    if (this.closing) return;
    let bytes = 0;
    for (const text of texts) {
      bytes += Buffer.byteLength(text);
      this.write(text);
    }
    this.burstAllowance = bytes;
  }

  private write(text: string): void {
    if (this.compressor) this.compressor.write(text);
    else this.sendFrame(text);
  }

  /** Sends one WebSocket frame (text, or a compressed chunk), coalesced with the turn's other writes. */
  sendFrame(data: string | Buffer): void {
    holdUntilTurnEnds(this.socket);
    this.ws.send(data);
  }

  /** Sends a non-dispatch payload (HELLO, HEARTBEAT_ACK, RECONNECT, INVALID_SESSION, HEARTBEAT). */
  sendControl(payload: ServerControlPayload): void {
    this.send(JSON.stringify(payload));
  }

  /**
   * Closes with a gateway close code. The session (if any) is detached at once, so it stops
   * receiving and becomes resumable; the socket is destroyed if the close does not finish soon.
   */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.session?.detach(this, Date.now());
    // Compressed messages still being deflated (op 7 before a shutdown close, op 9) go out before the close frame.
    const finish = () => {
      this.compressor?.close();
      this.ws.close(code, reason.slice(0, 120));
    };
    if (this.compressor) this.compressor.whenIdle(finish);
    else finish();
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Called when the socket is gone, however it went. */
  closed(now: number): void {
    this.closing = true;
    this.compressor?.close();
    this.session?.detach(this, now);
  }
}

/** Who a session belongs to, as the gateway needs it. */
export interface SessionUser {
  id: Snowflake;
  bot: boolean;
}

/** One identified session: sequence numbers, replay buffer, intents, guild memberships. */
export class GatewaySession {
  /** Sequence number of the last dispatch sent. */
  seq = 0;
  connection: GatewayConnection | null = null;
  /** When the last connection went away (0 while connected). */
  detachedAt = 0;
  ended = false;
  /** Guilds whose events this session receives (kept by the registry's membership index). */
  readonly guildIds = new Set<Snowflake>();
  private readonly replay: ReplayBuffer;
  /** Dispatches that arrive before READY is sent; flushed after it (null once ready). */
  private pending: SerializedDispatch[] | null = [];

  constructor(
    readonly id: string,
    readonly user: SessionUser,
    /** Intents the session asked for (every intent for users who sent none). */
    readonly intents: number,
    readonly platform: Platform,
    replayBufferSize: number,
    /** Hash of the token it identified with: revoking that token (logout) ends the session. */
    readonly tokenHash: string,
  ) {
    this.replay = new ReplayBuffer(replayBufferSize);
  }

  get userId(): Snowflake {
    return this.user.id;
  }

  hasIntent(bit: number): boolean {
    return (this.intents & bit) === bit;
  }

  /** Whether MESSAGE_CONTENT is granted (content of others' messages not mentioning the user). */
  get readsMessageContent(): boolean {
    return this.hasIntent(GatewayIntent.MESSAGE_CONTENT);
  }

  /** Queues or sends a dispatch from the fanout (queued until READY went out). */
  dispatch(dispatch: SerializedDispatch): void {
    if (this.ended) return;
    if (this.pending) this.pending.push(dispatch);
    else this.send(dispatch);
  }

  /** Sends a dispatch now, ahead of anything pending (READY and what must follow it directly). */
  send(dispatch: SerializedDispatch): void {
    this.seq += 1;
    this.replay.push(this.seq, dispatch);
    this.connection?.send(dispatchEnvelope(dispatch, this.seq));
  }

  /** Sends READY: first dispatch of the session, not kept for replay (see {@link ReplayBuffer.skip}). */
  sendReady(dispatch: SerializedDispatch): void {
    this.seq += 1;
    this.replay.skip(this.seq);
    this.connection?.send(dispatchEnvelope(dispatch, this.seq));
  }

  /** After READY: sends what arrived meanwhile, in order, and delivers directly from now on. */
  markReady(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    for (const dispatch of pending) this.send(dispatch);
  }

  attach(connection: GatewayConnection): void {
    this.connection = connection;
    connection.session = this;
    this.detachedAt = 0;
  }

  detach(connection: GatewayConnection, now: number): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.detachedAt = now;
  }

  /**
   * For RESUME: the envelopes after `seq`, or 'future' when the client claims a seq never sent,
   * or 'gone' when some were already dropped from the replay buffer.
   */
  missedSince(seq: number): string[] | 'future' | 'gone' {
    if (seq > this.seq) return 'future';
    const missed = this.replay.since(seq);
    if (!missed) return 'gone';
    return missed.map((entry) => dispatchEnvelope(entry.dispatch, entry.seq));
  }
}
