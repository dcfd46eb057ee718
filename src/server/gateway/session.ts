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
import { SendQueue, SOCKET_HIGH_WATER_BYTES } from './send-queue.js';
import type { UnidentifiedConnections } from './admission.js';
import {
  CLIENT_EVENTS_PER_WINDOW, CLIENT_EVENTS_WINDOW_MS, CLOSE_GRACE_MS, PRESENCE_UPDATES_PER_WINDOW,
  PRESENCE_UPDATES_WINDOW_MS, WindowCounter,
} from './limits.js';

/** Why a connection is closed when its client reads too slowly (close code 4000, resumable). */
export const SEND_BUFFER_FULL_REASON = 'Send buffer full: the client is not reading fast enough. Resume.';

/** What bounds the messages waiting for a connection's socket before the client is cut off. */
export interface SendLimits {
  /** Bytes waiting (beyond what the socket holds). */
  maxQueuedBytes: number;
  /** Messages waiting: at most half the replay buffer, so a RESUME still finds them all. */
  maxQueuedMessages: number;
}

/** How a connection was accepted. */
export interface ConnectionOptions {
  /** Whether the client asked for `compress=zlib-stream`. */
  compress: boolean;
  limits: SendLimits;
  /** The client's address (per-address limits on unidentified connections). */
  address: string;
  /** Where this connection counts until it identifies. */
  unidentified: UnidentifiedConnections;
}

/** One WebSocket connection: heartbeat bookkeeping, client rate limits, and the bytes it sends. */
export class GatewayConnection {
  session: GatewaySession | null = null;
  /** Set while an IDENTIFY or RESUME is being processed, so a second one is refused. */
  authenticating = false;
  lastHeartbeatAt: number;
  /** When the socket was accepted (the deadline to identify counts from here). */
  readonly openedAt: number;
  /** Whether the server already asked for a heartbeat (op 1) during the current silence. */
  heartbeatRequested = false;
  closing = false;
  readonly clientEvents = new WindowCounter(CLIENT_EVENTS_PER_WINDOW, CLIENT_EVENTS_WINDOW_MS);
  /** Created on the first op 3, as most connections (bots) never send one. */
  private presenceUpdates: WindowCounter | null = null;
  private readonly compressor: ZlibStreamCompressor | null;
  private readonly limits: SendLimits;
  readonly address: string;
  /** Where this connection counts as unidentified; null once it identified or closed. */
  private unidentified: UnidentifiedConnections | null;
  /** Messages waiting while the socket holds more than {@link SOCKET_HIGH_WATER_BYTES}; made on first need. */
  private queue: SendQueue | null = null;
  /** Set while a flush of the queue is scheduled (on the socket's drain or the compressor's idle). */
  private flushArmed = false;
  /** Created when the queue first fills, as most connections never wait. */
  private flushListener: (() => void) | null = null;
  /** The queue's length and bytes when this event-loop turn's first message came (see {@link send}). */
  private queuedAtTurnStart = 0;
  private queuedBytesAtTurnStart = 0;

  constructor(
    readonly ws: WebSocket,
    /** The TCP socket under `ws`: its writes are coalesced per event-loop turn. */
    private readonly socket: Duplex,
    options: ConnectionOptions,
    now: number,
  ) {
    this.lastHeartbeatAt = now;
    this.openedAt = now;
    this.limits = options.limits;
    this.address = options.address;
    this.unidentified = options.unidentified;
    this.unidentified.add(this.address);
    this.compressor = options.compress ? new ZlibStreamCompressor((bytes) => this.sendFrame(bytes)) : null;
  }

  /** A session is attached (IDENTIFY or RESUME succeeded): the connection no longer counts as unidentified. */
  identified(): void {
    this.unidentified?.release(this.address);
    this.unidentified = null;
  }

  /** Counts an op 3 against its own limit (5 per 20 s); false when over it. */
  hitPresenceLimit(now: number): boolean {
    this.presenceUpdates ??= new WindowCounter(PRESENCE_UPDATES_PER_WINDOW, PRESENCE_UPDATES_WINDOW_MS);
    return this.presenceUpdates.hit(now);
  }

  /** Whether the socket (and the compressor feeding it) holds enough that new messages should wait. */
  private get congested(): boolean {
    return this.socket.writableLength > SOCKET_HIGH_WATER_BYTES || (this.compressor?.pendingBytes ?? 0) > SOCKET_HIGH_WATER_BYTES;
  }

  /**
   * Sends one message: straight to the socket while it keeps up, else into the queue. A client
   * whose queue was already past the limits when this event-loop turn began is closed with 4000
   * (resumable): the close frame follows the little the socket holds, and every dropped message
   * stays in the session's replay buffer. Only what earlier turns left counts, so one turn's
   * burst (the GUILD_CREATEs after READY, a large fanout) never cuts a client that reads.
   */
  send(text: string): void {
    if (this.closing) return;
    if (!isHeldThisTurn(this.socket)) {
      this.queuedAtTurnStart = this.queue?.length ?? 0;
      this.queuedBytesAtTurnStart = this.queue?.bytes ?? 0;
      holdUntilTurnEnds(this.socket);
    }
    if (this.queuedAtTurnStart > this.limits.maxQueuedMessages || this.queuedBytesAtTurnStart > this.limits.maxQueuedBytes) {
      this.close(GatewayCloseCode.UNKNOWN_ERROR, SEND_BUFFER_FULL_REASON);
      return;
    }
    if (!this.queue?.length && !this.congested) return this.write(text);
    this.queue ??= new SendQueue();
    this.queue.push(text);
    this.armFlush();
  }

  /**
   * Writes a RESUME's replay whole, past the queue's limits: it is bounded by the replay buffer
   * (a client cut off for reading slowly comes back for exactly that backlog).
   */
  sendBurst(texts: readonly string[]): void {
    if (this.closing) return;
    for (const text of texts) {
      if (this.queue?.length) this.queue.push(text);
      else this.write(text);
    }
  }

  private write(text: string): void {
    if (this.compressor) this.compressor.write(text);
    else this.sendFrame(text);
  }

  /** Flushes the queue once the socket drained, or once the compressor caught up. */
  private armFlush(): void {
    if (this.flushArmed) return;
    this.flushArmed = true;
    this.flushListener ??= () => this.flush();
    if (this.socket.writableLength > SOCKET_HIGH_WATER_BYTES) this.socket.once('drain', this.flushListener);
    else if (this.compressor) this.compressor.whenIdle(this.flushListener);
    else setImmediate(this.flushListener);
  }

  private flush(): void {
    this.flushArmed = false;
    if (this.closing) return;
    const queue = this.queue;
    if (!queue) return;
    while (queue.length > 0 && !this.congested) this.write(queue.shift() as string);
    if (queue.length > 0) this.armFlush();
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
   * receiving and becomes resumable; messages still queued are dropped (its replay buffer has
   * them); the socket is destroyed if the close does not finish soon.
   */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.queue = null;
    this.identified();
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
    this.queue = null;
    this.identified();
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
    connection.identified();
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
