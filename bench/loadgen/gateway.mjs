// A minimal Discord v10 gateway client for load generation: HELLO, heartbeats, IDENTIFY/READY,
// RESUME/RESUMED, optional zlib-stream. It knows only the public protocol, so it can be pointed at
// any Discord-v10-compatible server. It keeps as little per session as it can (10,000 sessions run
// in one process) and can hand MESSAGE_CREATE over as raw bytes to spare a JSON parse per delivery.
import net from 'node:net';
import zlib from 'node:zlib';
import WebSocket from 'ws';

export const Op = { DISPATCH: 0, HEARTBEAT: 1, IDENTIFY: 2, RESUME: 6, RECONNECT: 7, INVALID_SESSION: 9, HELLO: 10, HEARTBEAT_ACK: 11 };

/** Intents a chat client needs: GUILDS, GUILD_MEMBERS, GUILD_PRESENCES, GUILD_MESSAGES, MESSAGE_CONTENT. */
export const DEFAULT_INTENTS = (1 << 0) | (1 << 1) | (1 << 8) | (1 << 9) | (1 << 15);

const ZLIB_SUFFIX = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const MESSAGE_CREATE_MARK = Buffer.from('"t":"MESSAGE_CREATE"');
const SEQ_MARK = Buffer.from('"s":');

/**
 * The top-level `s` of a dispatch without parsing it: Discord's message object has no key named
 * "s", so the first `"s":` in the text is the envelope's.
 * @param {Buffer} raw
 * @returns {number | null}
 */
function scanSeq(raw) {
  let at = raw.indexOf(SEQ_MARK);
  if (at < 0) return null;
  at += SEQ_MARK.length;
  let seq = 0;
  let digits = 0;
  for (; at < raw.length; at++, digits++) {
    const c = raw[at];
    if (c === undefined || c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
  }
  return digits > 0 ? seq : null;
}

/**
 * The gateway URL for v10 JSON, with zlib-stream when asked.
 * @param {string} base e.g. ws://127.0.0.1:8080/gateway (from GET /gateway)
 * @param {boolean} compress
 */
export function gatewayUrl(base, compress) {
  const url = new URL(base);
  url.searchParams.set('v', '10');
  url.searchParams.set('encoding', 'json');
  if (compress) url.searchParams.set('compress', 'zlib-stream');
  return url.toString();
}

/**
 * @typedef {object} GatewayOptions
 * @property {string} url gateway base URL (from GET /gateway or READY's resume_gateway_url)
 * @property {string} token the Authorization value from the tokens file ("Bot x" for bots)
 * @property {string} userAgent
 * @property {boolean} [compress] zlib-stream transport compression
 * @property {number} [intents]
 * @property {(t: string, d: any, s: number | null) => void} [onDispatch] every dispatch except raw MESSAGE_CREATEs
 * @property {(raw: Buffer, seq: number | null) => void} [onRawMessageCreate] when set, MESSAGE_CREATE arrives unparsed here
 * @property {(code: number) => void} [onClose]
 */

/** One gateway connection and the session on it. */
export class GatewaySession {
  /** @param {GatewayOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {number | null} last dispatch sequence seen (sent back in heartbeats and RESUME) */
    this.seq = null;
    /** @type {string | null} */
    this.sessionId = null;
    /** @type {string | null} */
    this.resumeUrl = null;
    /** @type {any} READY's `d`, kept only until the caller takes it */
    this.ready = null;
    this.heartbeatsSent = 0;
    this.heartbeatAcks = 0;
    /** Bytes read from the TCP socket, HTTP upgrade and frames included ("bytes on the wire"). */
    this.wireBytes = 0;
    /** Payload bytes after decompression (what JSON the server sent). */
    this.payloadBytes = 0;
    /** @type {WebSocket | null} */
    this.ws = null;
    /** @type {net.Socket | null} */
    this.socket = null;
    /** @type {NodeJS.Timeout | null} */
    this.heartbeatTimer = null;
    /** @type {((payload: any) => void) | null} */
    this.waiter = null;
    this.closeCode = 0;
    /** Monotonic time the last message arrived (before it was parsed). */
    this.receivedAt = 0n;
  }

  /**
   * Opens the socket, waits for HELLO and starts heartbeating.
   * @param {string} [url] defaults to the options' url (RESUME passes resume_gateway_url)
   */
  async open(url = this.options.url) {
    const inflate = this.options.compress ? new StreamInflater() : null;
    const ws = new WebSocket(gatewayUrl(url, Boolean(this.options.compress)), {
      headers: { 'User-Agent': this.options.userAgent },
      perMessageDeflate: false,
      // Our own socket, so its bytesRead counts every byte the server sent (HTTP upgrade and frames).
      createConnection: /** @type {typeof net.createConnection} */ (
        (/** @type {net.NetConnectOpts} */ opts) => {
          this.socket = net.connect(opts);
          return this.socket;
        }
      ),
    });
    this.ws = ws;
    const hello = this.next((p) => p.op === Op.HELLO, 'HELLO');
    ws.on('message', (/** @type {Buffer} */ data) => {
      if (inflate) inflate.push(data, (text) => this.receive(text));
      else this.receive(data);
    });
    ws.on('close', (code) => this.closed(code));
    ws.on('error', () => {
      // 'close' follows every error; the waiter learns the close code there.
    });
    const payload = await hello;
    this.startHeartbeats(payload.d.heartbeat_interval);
  }

  /**
   * IDENTIFY; resolves when READY arrives, with milliseconds from IDENTIFY sent to READY received.
   * @returns {Promise<number>}
   */
  async identify() {
    const token = this.options.token.replace(/^Bot /, '');
    const ready = this.next((p) => p.op === Op.DISPATCH && p.t === 'READY', 'READY');
    const started = process.hrtime.bigint();
    this.send({
      op: Op.IDENTIFY,
      d: { token, intents: this.options.intents ?? DEFAULT_INTENTS, properties: { os: process.platform, browser: 'hearth-loadgen', device: 'hearth-loadgen' } },
    });
    const payload = await ready;
    // Timed at arrival, before the parse, so the load generator's own JSON work is not counted.
    const readyMs = Number(this.receivedAt - started) / 1e6;
    this.sessionId = payload.d.session_id;
    this.resumeUrl = payload.d.resume_gateway_url ?? this.options.url;
    this.ready = payload.d;
    return readyMs;
  }

  /**
   * RESUME on an opened connection; resolves when RESUMED arrives. Events replayed in between go
   * to the dispatch handlers as usual. Rejects on INVALID_SESSION.
   * @param {string} token
   */
  async resume(token) {
    const resumed = this.next((p) => (p.op === Op.DISPATCH && p.t === 'RESUMED') || p.op === Op.INVALID_SESSION, 'RESUMED');
    this.send({ op: Op.RESUME, d: { token: token.replace(/^Bot /, ''), session_id: this.sessionId, seq: this.seq } });
    const payload = await resumed;
    if (payload.op === Op.INVALID_SESSION) throw new Error('The server refused RESUME with INVALID_SESSION');
  }

  /**
   * Closes the connection. 1000 ends the session (Discord's rule); 4000 keeps it resumable.
   * @param {number} [code]
   */
  close(code = 1000) {
    this.stopHeartbeats();
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(code);
  }

  /** @param {object} payload */
  send(payload) {
    this.ws?.send(JSON.stringify(payload));
  }

  /** @param {Buffer | string} data */
  receive(data) {
    this.receivedAt = process.hrtime.bigint();
    this.payloadBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const handler = this.options.onRawMessageCreate;
    if (handler && typeof data !== 'string' && data.indexOf(MESSAGE_CREATE_MARK) >= 0) {
      const seq = scanSeq(data);
      if (seq !== null) this.seq = seq;
      handler(data, seq);
      return;
    }
    const payload = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    if (payload.s !== null && payload.s !== undefined) this.seq = payload.s;
    if (payload.op === Op.HEARTBEAT_ACK) this.heartbeatAcks += 1;
    else if (payload.op === Op.HEARTBEAT) this.heartbeat();
    else if (payload.op === Op.DISPATCH) this.options.onDispatch?.(payload.t, payload.d, payload.s);
    if (this.waiter) this.waiter(payload);
  }

  /**
   * The next payload matching `match`; rejects when the connection closes first.
   * @param {(payload: any) => boolean} match
   * @param {string} what
   * @returns {Promise<any>}
   */
  next(match, what) {
    return new Promise((resolve, reject) => {
      this.waiter = (payload) => {
        if (payload === null) {
          this.waiter = null;
          reject(new Error(`Connection closed (${this.closeCode}) while waiting for ${what}`));
        } else if (match(payload)) {
          this.waiter = null;
          resolve(payload);
        }
      };
    });
  }

  /** @param {number} interval */
  startHeartbeats(interval) {
    // First heartbeat after interval × jitter, then every interval, as Discord asks.
    const beat = () => {
      this.heartbeat();
      this.heartbeatTimer = setTimeout(beat, interval);
    };
    this.heartbeatTimer = setTimeout(beat, interval * Math.random());
  }

  heartbeat() {
    this.heartbeatsSent += 1;
    this.send({ op: Op.HEARTBEAT, d: this.seq });
  }

  stopHeartbeats() {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** @param {number} code */
  closed(code) {
    this.closeCode = code;
    this.stopHeartbeats();
    if (this.socket) this.wireBytes += this.socket.bytesRead;
    this.socket = null;
    if (this.waiter) this.waiter(null);
    this.options.onClose?.(code);
  }

  /** Bytes read so far on the current and earlier connections. */
  totalWireBytes() {
    return this.wireBytes + (this.socket ? this.socket.bytesRead : 0);
  }
}

/**
 * zlib-stream: one inflate context for the connection; a message is complete when the bytes so far
 * end in 00 00 ff ff. Inflation is asynchronous, so messages are inflated strictly in order.
 */
class StreamInflater {
  constructor() {
    this.inflate = zlib.createInflate();
    /** @type {Buffer[]} */
    this.pending = [];
    /** @type {Buffer[]} */
    this.output = [];
    this.inflate.on('data', (chunk) => this.output.push(chunk));
    /** @type {Promise<void>} */
    this.chain = Promise.resolve();
  }

  /**
   * @param {Buffer} chunk
   * @param {(text: string) => void} onMessage
   */
  push(chunk, onMessage) {
    this.pending.push(chunk);
    if (chunk.length < 4 || !chunk.subarray(chunk.length - 4).equals(ZLIB_SUFFIX)) return;
    const message = Buffer.concat(this.pending);
    this.pending = [];
    this.chain = this.chain.then(
      () =>
        new Promise((resolve) => {
          this.inflate.write(message);
          this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            const text = Buffer.concat(this.output).toString('utf8');
            this.output = [];
            onMessage(text);
            resolve();
          });
        }),
    );
  }
}
