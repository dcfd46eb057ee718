/**
 * GatewayConnection: one logical gateway session kept alive across sockets, as Discord clients
 * do. HELLO → IDENTIFY (or RESUME) → READY; the first heartbeat after `interval × random()`, then
 * every interval; a heartbeat not ACKed before the next is due means a zombie socket, closed with
 * a non-1000 code and resumed. Reconnects back off exponentially with full jitter (capped) and the
 * backoff resets once a connection has been stable. Close codes follow Discord's policy
 * ({@link NON_RECONNECTABLE_CLOSE_CODES} stop and report; the rest reconnect).
 *
 * Runs in browsers and Node: the WebSocket class is injected (the browser's, or `ws`).
 */
import { GatewayCloseCode, NON_RECONNECTABLE_CLOSE_CODES } from '../shared/errors.js';
import { missingCase } from '../shared/missing-case.js';
import {
  GATEWAY_VERSION, GatewayOpcode, type ClientPayload, type DispatchPayload, type IdentifyData,
  type PresenceUpdateData, type ReadyData, type ServerPayload,
} from '../shared/protocol/gateway.js';
import type { ConnectionState } from '../shared/ipc/state.js';
import { TypedEmitter } from './emitter.js';
import type { InflaterFactory, ZlibStreamInflater } from './zlib-stream.js';

export type { ZlibStreamInflater } from './zlib-stream.js';

/** The opcodes a server sends that this client handles (a record, so a new one cannot be left out). */
const KNOWN_SERVER_OPCODES: Record<ServerPayload['op'], true> = {
  [GatewayOpcode.DISPATCH]: true,
  [GatewayOpcode.HEARTBEAT]: true,
  [GatewayOpcode.RECONNECT]: true,
  [GatewayOpcode.INVALID_SESSION]: true,
  [GatewayOpcode.HELLO]: true,
  [GatewayOpcode.HEARTBEAT_ACK]: true,
};

/** The part of the WebSocket API the connection uses (browser WebSocket and `ws` both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface GatewayConnectionOptions {
  WebSocket: WebSocketConstructor;
  /** The gateway URL (`GET /api/v10/gateway`); asked again before each fresh IDENTIFY. */
  resolveUrl: () => Promise<string>;
  token: string;
  properties?: IdentifyData['properties'];
  intents?: number;
  /** The presence to identify with (the user's chosen status). */
  presence?: () => PresenceUpdateData | undefined;
  /** Use `compress=zlib-stream`, with a fresh inflater per socket (see `zlib-stream.ts`). */
  createInflater?: InflaterFactory;
  /** First reconnect delay bound; doubles each attempt (full jitter). Default 1000. */
  backoffBaseMs?: number;
  /** Cap of the reconnect delay. Default 30000. */
  backoffMaxMs?: number;
  /** A READY/RESUMED connection that lasts this long resets the backoff. Default 30000. */
  stableAfterMs?: number;
  /** Range of the random wait before re-identifying after op 9 `d:false`. Default [1000, 5000]. */
  invalidSessionDelayMs?: readonly [number, number];
  random?: () => number;
  now?: () => number;
}

export interface GatewayEvents extends Record<string, unknown> {
  /** The connection's state changed. */
  state: ConnectionState;
  /** Every dispatch, in order (READY and RESUMED included). */
  dispatch: DispatchPayload;
  /** A new session is ready (fresh IDENTIFY): what was missed while away must be fetched. */
  ready: ReadyData;
  /** The session resumed: nothing was missed. */
  resumed: null;
  /** The server refused us for good (e.g. 4004 authentication failed); no reconnect follows. */
  fatal: { code: number; reason: string };
}

/** Close code used when the client drops a socket it means to resume (zombie, op 7). */
const RESUMABLE_CLOSE = 4900;
const WS_OPEN = 1;

/** Close codes after which the session cannot be resumed but a fresh IDENTIFY may work. */
const SESSION_ENDING_CLOSE_CODES: ReadonlySet<number> = new Set([GatewayCloseCode.INVALID_SEQ, GatewayCloseCode.SESSION_TIMED_OUT]);

export class GatewayConnection extends TypedEmitter<GatewayEvents> {
  private socket: WebSocketLike | undefined;
  private inflater: ZlibStreamInflater | undefined;
  private sessionId: string | null = null;
  private resumeUrl: string | null = null;
  private seq: number | null = null;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private awaitingAck = false;
  private heartbeatInterval = 0;
  private attempt = 0;
  private stopped = true;
  private current: ConnectionState = { status: 'idle', reason: null, closeCode: null, attempt: 0, retryAt: null };
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: GatewayConnectionOptions) {
    super();
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The last sequence number received (for tests and diagnostics). */
  get sequence(): number | null {
    return this.seq;
  }

  get session(): string | null {
    return this.sessionId;
  }

  /** Opens the connection (identifying, or resuming when a session is held). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  /** Closes for good with 1000 (the session ends on the server); no reconnect. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.sessionId = null;
    this.seq = null;
    this.dropSocket(1000, 'Client closed the connection');
    this.setState({ status: 'idle', reason: null, closeCode: null, attempt: 0, retryAt: null });
  }

  /** Sends a payload when the session is ready; returns false when it could not be sent. */
  send(payload: Exclude<ClientPayload, { op: 1 | 2 | 6 }>): boolean {
    if (this.current.status !== 'ready' || !this.socket || this.socket.readyState !== WS_OPEN) return false;
    this.socket.send(JSON.stringify(payload));
    return true;
  }

  /**
   * Drops the socket as if the network failed (close code {@link RESUMABLE_CLOSE}) and resumes:
   * what a client does on op 7 or a zombie connection. Also useful when the OS reports a network change.
   */
  reconnect(reason = 'Reconnecting'): void {
    if (this.stopped) return;
    this.dropSocket(RESUMABLE_CLOSE, reason);
    this.scheduleReconnect(reason, RESUMABLE_CLOSE, true);
  }

  private async open(): Promise<void> {
    const resuming = this.sessionId !== null && this.resumeUrl !== null;
    this.setState({ ...this.current, status: resuming ? 'resuming' : 'connecting', retryAt: null });
    let base: string;
    try {
      base = resuming && this.resumeUrl ? this.resumeUrl : await this.options.resolveUrl();
    } catch (error) {
      this.scheduleReconnect(error instanceof Error ? error.message : 'Gateway URL unavailable', null, false);
      return;
    }
    if (this.stopped) return;
    const url = gatewayUrl(base, this.options.createInflater !== undefined);
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(url);
    } catch (error) {
      this.scheduleReconnect(error instanceof Error ? error.message : 'Cannot open the gateway socket', null, false);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.inflater?.close();
    this.inflater = this.options.createInflater?.((text) => this.onText(socket, text));
    this.awaitingAck = false;
    socket.onmessage = (event) => this.onRawMessage(socket, event.data);
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
    socket.onerror = () => undefined; // A close event always follows; the reason is handled there.
  }

  private onRawMessage(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    if (typeof data === 'string') this.onText(socket, data);
    else if (this.inflater) this.inflater.push(toBytes(data));
    else this.onText(socket, new TextDecoder().decode(toBytes(data)));
  }

  private onText(socket: WebSocketLike, text: string): void {
    if (socket !== this.socket) return;
    let payload: ServerPayload;
    try {
      payload = JSON.parse(text) as ServerPayload;
    } catch {
      this.reconnect('The server sent an unreadable message');
      return;
    }
    // Newer servers may send opcodes this client does not know; ignoring them is Discord's advice.
    if (payload === null || typeof payload !== 'object' || typeof payload.op !== 'number' || !Object.hasOwn(KNOWN_SERVER_OPCODES, payload.op)) return;
    this.onPayload(socket, payload);
  }

  private onPayload(socket: WebSocketLike, payload: ServerPayload): void {
    switch (payload.op) {
      case GatewayOpcode.HELLO:
        this.heartbeatInterval = payload.d.heartbeat_interval;
        this.scheduleHeartbeat(this.heartbeatInterval * this.random());
        this.identifyOrResume(socket);
        return;
      case GatewayOpcode.HEARTBEAT:
        this.sendHeartbeat(socket);
        return;
      case GatewayOpcode.HEARTBEAT_ACK:
        this.awaitingAck = false;
        return;
      case GatewayOpcode.RECONNECT:
        this.reconnect('The server asked to reconnect');
        return;
      case GatewayOpcode.INVALID_SESSION:
        this.onInvalidSession(payload.d);
        return;
      case GatewayOpcode.DISPATCH:
        this.onDispatch(payload);
        return;
      default:
        return missingCase(payload);
    }
  }

  private identifyOrResume(socket: WebSocketLike): void {
    if (this.sessionId !== null) {
      this.setState({ ...this.current, status: 'resuming' });
      socket.send(JSON.stringify({ op: GatewayOpcode.RESUME, d: { token: this.options.token, session_id: this.sessionId, seq: this.seq } }));
      return;
    }
    this.setState({ ...this.current, status: 'identifying' });
    const presence = this.options.presence?.();
    const identify: IdentifyData = {
      token: this.options.token,
      properties: this.options.properties ?? { os: 'unknown', browser: 'Hearth', device: 'Hearth' },
      compress: false,
      ...(presence ? { presence } : {}),
      ...(this.options.intents !== undefined ? { intents: this.options.intents } : {}),
    };
    socket.send(JSON.stringify({ op: GatewayOpcode.IDENTIFY, d: identify }));
  }

  private onDispatch(payload: DispatchPayload): void {
    if (typeof payload.s === 'number') this.seq = payload.s;
    if (payload.t === 'READY') {
      this.sessionId = payload.d.session_id;
      this.resumeUrl = payload.d.resume_gateway_url || null;
      this.becameReady();
      this.emit('dispatch', payload);
      this.emit('ready', payload.d);
      return;
    }
    if (payload.t === 'RESUMED') {
      this.becameReady();
      this.emit('dispatch', payload);
      this.emit('resumed', null);
      return;
    }
    this.emit('dispatch', payload);
  }

  private becameReady(): void {
    this.setState({ status: 'ready', reason: null, closeCode: null, attempt: this.attempt, retryAt: null });
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => {
      this.attempt = 0;
      this.setState({ ...this.current, attempt: 0 });
    }, this.options.stableAfterMs ?? 30_000);
  }

  private onInvalidSession(resumable: boolean): void {
    if (!resumable) {
      this.sessionId = null;
      this.seq = null;
      this.resumeUrl = null;
    }
    const [min, max] = this.options.invalidSessionDelayMs ?? [1000, 5000];
    const delay = min + (max - min) * this.random();
    this.dropSocket(RESUMABLE_CLOSE, 'Session invalidated');
    this.setState({ ...this.current, status: 'reconnecting', reason: 'Session invalidated', retryAt: this.now() + delay });
    this.reconnectTimer = setTimeout(() => void this.open(), delay);
  }

  private scheduleHeartbeat(delay: number): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => {
      const socket = this.socket;
      if (!socket) return;
      if (this.awaitingAck) {
        // Zombie: the last heartbeat was never acknowledged. Drop the socket and resume.
        this.reconnect('The server stopped answering heartbeats');
        return;
      }
      this.sendHeartbeat(socket);
      this.scheduleHeartbeat(this.heartbeatInterval);
    }, delay);
  }

  private sendHeartbeat(socket: WebSocketLike): void {
    if (socket.readyState !== WS_OPEN) return;
    this.awaitingAck = true;
    socket.send(JSON.stringify({ op: GatewayOpcode.HEARTBEAT, d: this.seq }));
  }

  private onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.inflater?.close();
    this.inflater = undefined;
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.stableTimer);
    if (this.stopped) return;
    const why = reason || closeDescription(code);
    if (NON_RECONNECTABLE_CLOSE_CODES.has(code)) {
      this.stopped = true;
      this.sessionId = null;
      this.seq = null;
      this.setState({ status: 'failed', reason: why, closeCode: code, attempt: this.attempt, retryAt: null });
      this.emit('fatal', { code, reason: why });
      return;
    }
    if (SESSION_ENDING_CLOSE_CODES.has(code)) {
      this.sessionId = null;
      this.seq = null;
      this.resumeUrl = null;
    }
    this.scheduleReconnect(why, code, false);
  }

  /** Waits `random() × min(max, base × 2^attempt)` (full jitter), then opens again. */
  private scheduleReconnect(reason: string, closeCode: number | null, immediate: boolean): void {
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.stableTimer);
    const base = this.options.backoffBaseMs ?? 1000;
    const max = this.options.backoffMaxMs ?? 30_000;
    const delay = immediate && this.attempt === 0 ? 0 : this.random() * Math.min(max, base * 2 ** this.attempt);
    this.attempt += 1;
    this.setState({ status: 'reconnecting', reason, closeCode, attempt: this.attempt, retryAt: this.now() + delay });
    this.reconnectTimer = setTimeout(() => void this.open(), delay);
  }

  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = undefined;
    this.inflater?.close();
    this.inflater = undefined;
    clearTimeout(this.heartbeatTimer);
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closed or closing: nothing to release.
    }
  }

  private clearTimers(): void {
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.stableTimer);
  }

  private setState(state: ConnectionState): void {
    // Each change becomes a state action for every UI: an unchanged state is not news.
    const same = (Object.keys(state) as (keyof ConnectionState)[]).every((key) => state[key] === this.current[key]);
    this.current = state;
    if (!same) this.emit('state', state);
  }
}

/** `base` with the query Discord expects (`v`, `encoding`, optional `compress`). */
export function gatewayUrl(base: string, compress: boolean): string {
  const url = new URL(base);
  url.searchParams.set('v', String(GATEWAY_VERSION));
  url.searchParams.set('encoding', 'json');
  if (compress) url.searchParams.set('compress', 'zlib-stream');
  return url.toString();
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) {
    // `ws` may deliver fragmented frames as an array of buffers.
    const parts = data.map(toBytes);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    return joined;
  }
  return new Uint8Array(0);
}

function closeDescription(code: number): string {
  switch (code) {
    case GatewayCloseCode.AUTHENTICATION_FAILED:
      return 'Authentication failed';
    case GatewayCloseCode.SESSION_TIMED_OUT:
      return 'Session timed out';
    case GatewayCloseCode.RATE_LIMITED:
      return 'Rate limited by the gateway';
    case 1006:
      return 'Connection lost';
    default:
      return `Connection closed (${code})`;
  }
}
