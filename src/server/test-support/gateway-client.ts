/**
 * A gateway client for tests: a real `ws` connection that records every payload, waits for the
 * ones a test expects, and speaks IDENTIFY/RESUME/HEARTBEAT. With `compress: true` it asks for
 * `zlib-stream` and inflates every message with one inflate context and Z_SYNC_FLUSH, as Discord
 * clients do.
 */
import zlib from 'node:zlib';
import { WebSocket } from 'ws';
import type {
  DispatchEventName, DispatchEvents, GatewayPayload, HelloData, IdentifyData, ReadyData,
} from '../../shared/protocol/gateway.js';
import { ALL_INTENTS } from '../../shared/protocol/gateway.js';

export interface GatewayClientOptions {
  /** Ask for `compress=zlib-stream`. */
  compress?: boolean;
  /** Replaces the query string (default `v=10&encoding=json`). */
  query?: string;
  /** Path on the server (default `/gateway`). */
  path?: string;
  /** Default timeout of waits, in ms (default 5000). */
  timeoutMs?: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

type Waiter = { match: (payload: GatewayPayload) => boolean; resolve: (payload: GatewayPayload) => void };

/** The gateway URL of a test server base URL (`http://…` → `ws://…/gateway`). */
export function gatewayUrlOf(baseUrl: string, path = '/gateway'): string {
  return `${baseUrl.replace(/^http/, 'ws')}${path}`;
}

export class GatewayTestClient {
  /** Every payload received, in order. */
  readonly received: GatewayPayload[] = [];
  /** Raw compressed frames (with `compress`), in order. */
  readonly rawFrames: Buffer[] = [];
  /** Resolves when the socket closes, with its close code and reason. */
  readonly closed: Promise<CloseInfo>;
  /** Sequence number of the last dispatch received. */
  lastSeq: number | null = null;
  sessionId: string | undefined;
  private cursor = 0;
  private waiters: Waiter[] = [];
  private readonly inflate: zlib.Inflate | undefined;
  private inflating: Promise<void> = Promise.resolve();
  private readonly timeoutMs: number;

  private constructor(
    readonly ws: WebSocket,
    options: GatewayClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    if (options.compress) this.inflate = zlib.createInflate();
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer, isBinary) => {
      if (this.inflate) {
        this.rawFrames.push(data);
        this.inflating = this.inflating.then(() => this.inflateFrame(data));
      } else {
        this.onText(isBinary ? data.toString('utf8') : data.toString());
      }
    });
  }

  /** Connects to a server's gateway (base URL `http://host:port`) and waits for the socket to open. */
  static async connect(baseUrl: string, options: GatewayClientOptions = {}): Promise<GatewayTestClient> {
    const query = options.query ?? `v=10&encoding=json${options.compress ? '&compress=zlib-stream' : ''}`;
    const ws = new WebSocket(`${gatewayUrlOf(baseUrl, options.path)}?${query}`);
    const client = new GatewayTestClient(ws, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('close', () => resolve());
    });
    return client;
  }

  /** Connects, waits for HELLO and identifies; resolves to the client and READY. */
  static async identified(baseUrl: string, token: string, identify: Partial<IdentifyData> = {}, options: GatewayClientOptions = {}): Promise<{ client: GatewayTestClient; ready: ReadyData }> {
    const client = await GatewayTestClient.connect(baseUrl, options);
    await client.hello();
    const ready = await client.identify(token, identify);
    return { client, ready };
  }

  /** Waits for HELLO (op 10). */
  async hello(): Promise<HelloData> {
    return (await this.next((p) => p.op === 10)).d as HelloData;
  }

  /** Sends IDENTIFY and waits for READY. */
  async identify(token: string, data: Partial<IdentifyData> = {}): Promise<ReadyData> {
    this.sendIdentify(token, data);
    const ready = (await this.waitForDispatch('READY')) as ReadyData;
    this.sessionId = ready.session_id;
    return ready;
  }

  /** Sends IDENTIFY without waiting. Users get every intent unless `data.intents` says otherwise. */
  sendIdentify(token: string, data: Partial<IdentifyData> = {}): void {
    this.send({ op: 2, d: { token, properties: { os: 'linux', browser: 'hearth-test', device: 'hearth-test' }, ...data } });
  }

  /** Sends RESUME for a session. */
  sendResume(token: string, sessionId: string, seq: number | null): void {
    this.send({ op: 6, d: { token, session_id: sessionId, seq } });
  }

  /** Sends a heartbeat with the last sequence number received and waits for the ACK. */
  async heartbeat(): Promise<void> {
    const acks = this.received.filter((p) => p.op === 11).length;
    this.send({ op: 1, d: this.lastSeq });
    await this.waitUntil(() => this.received.filter((p) => p.op === 11).length > acks);
  }

  /** Sends a presence update (op 3). */
  setPresence(status: 'online' | 'idle' | 'dnd' | 'invisible', activities: unknown[] = []): void {
    this.send({ op: 3, d: { status, since: null, activities, afk: false } });
  }

  send(payload: { op: number; d: unknown }): void {
    this.ws.send(JSON.stringify(payload));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /**
   * The next payload (after the ones already consumed by waits) matching `match`; payloads
   * skipped over are consumed too.
   */
  async next(match: (payload: GatewayPayload) => boolean = () => true, timeoutMs = this.timeoutMs): Promise<GatewayPayload> {
    while (this.cursor < this.received.length) {
      const payload = this.received[this.cursor++] as GatewayPayload;
      if (match(payload)) return payload;
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for a gateway payload; received: ${this.describe()}`));
      }, timeoutMs);
    });
  }

  /** The next dispatch of type `t` (optionally matching `match`). */
  async waitForDispatch<T extends DispatchEventName>(t: T, match: (d: DispatchEvents[T]) => boolean = () => true, timeoutMs = this.timeoutMs): Promise<DispatchEvents[T]> {
    const payload = await this.next((p) => p.op === 0 && p.t === t && match(p.d as DispatchEvents[T]), timeoutMs);
    return payload.d as DispatchEvents[T];
  }

  /** Every dispatch received so far of type `t`, consumed or not. */
  dispatches<T extends DispatchEventName>(t: T): DispatchEvents[T][] {
    return this.received.filter((p) => p.op === 0 && p.t === t).map((p) => p.d as DispatchEvents[T]);
  }

  /** Waits until `condition()` holds, checking as payloads arrive (and every 20 ms). */
  async waitUntil(condition: () => boolean, timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms; received: ${this.describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Resolves with the close code once the server closes the socket. */
  async waitForClose(timeoutMs = this.timeoutMs): Promise<CloseInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Socket not closed after ${timeoutMs} ms; received: ${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes from the client side (code 4000 keeps the session resumable, as Discord clients do). */
  async close(code = 1000): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
    return this.closed;
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.ws.terminate();
  }

  private onText(text: string): void {
    const payload = JSON.parse(text) as GatewayPayload;
    if (payload.op === 0 && typeof payload.s === 'number') this.lastSeq = payload.s;
    this.received.push(payload);
    const waiter = this.waiters.find((w) => w.match(payload));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      this.cursor = this.received.length;
      waiter.resolve(payload);
    }
  }

  private inflateFrame(frame: Buffer): Promise<void> {
    const inflate = this.inflate as zlib.Inflate;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const onData = (chunk: Buffer) => chunks.push(chunk);
      inflate.on('data', onData);
      inflate.write(frame);
      inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        inflate.off('data', onData);
        this.onText(Buffer.concat(chunks).toString('utf8'));
        resolve();
      });
    });
  }

  private describe(): string {
    return this.received.map((p) => (p.op === 0 ? `${p.t}#${p.s}${describeDispatch(p.t, p.d)}` : `op${p.op}`)).join(', ') || 'nothing';
  }
}

/** The user and state a presence or voice state dispatch is about, for timeout messages. */
function describeDispatch(t: string | null, d: unknown): string {
  if (t !== 'PRESENCE_UPDATE' && t !== 'VOICE_STATE_UPDATE' && t !== 'TYPING_START') return '';
  if (typeof d !== 'object' || d === null) return '';
  const { user, user_id, status, channel_id } = d as { user?: { id?: string }; user_id?: string; status?: string; channel_id?: string | null };
  const who = user_id ?? user?.id;
  if (who === undefined) return '';
  return `(${who} ${status ?? `in ${channel_id ?? 'none'}`})`;
}

/** Every intent, for bots that want everything. */
export const EVERY_INTENT = ALL_INTENTS;
