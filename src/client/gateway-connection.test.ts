/**
 * GatewayConnection's protocol rules with a scripted socket and fake timers (exact delays), plus
 * zlib-stream and close-code handling against a real server.
 */
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { GatewayConnection, type WebSocketConstructor, type WebSocketLike, type ZlibStreamInflater } from './gateway-connection.js';
import { JsonMessageSplitter, streamInflater } from './zlib-stream.js';
import { startTestServer } from '../server/test-support/server.js';
import { registerUser } from '../server/test-support/api.js';
import { gatewayUrlOf } from '../server/test-support/gateway-client.js';

/** A socket the test plays the server for. */
class ScriptedSocket implements WebSocketLike {
  static all: ScriptedSocket[] = [];
  readyState = 1;
  binaryType = 'blob';
  readonly sent: { op: number; d: unknown }[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    ScriptedSocket.all.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as { op: number; d: unknown });
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  /** The server sends a payload. */
  deliver(payload: object): void {
    this.onmessage?.({ data: JSON.stringify({ s: null, t: null, d: null, ...payload }) });
  }

  /** The server (or the network) closes the socket. */
  drop(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  ops(): number[] {
    return this.sent.map((p) => p.op);
  }
}

const ScriptedWebSocket = ScriptedSocket as unknown as WebSocketConstructor;

function latest(): ScriptedSocket {
  const socket = ScriptedSocket.all.at(-1);
  if (!socket) throw new Error('no socket opened');
  return socket;
}

function readyPayload(seq: number): object {
  return { op: 0, t: 'READY', s: seq, d: { session_id: 'sess', resume_gateway_url: 'ws://resume.example/gateway', user: { id: '1' }, guilds: [] } };
}

function connection(overrides: Partial<ConstructorParameters<typeof GatewayConnection>[0]> = {}): GatewayConnection {
  return new GatewayConnection({
    WebSocket: ScriptedWebSocket,
    resolveUrl: () => Promise.resolve('ws://hearth.example/gateway'),
    token: 'token',
    random: () => 0.5,
    now: () => Date.now(),
    backoffBaseMs: 1000,
    backoffMaxMs: 30_000,
    stableAfterMs: 60_000,
    invalidSessionDelayMs: [1000, 5000],
    ...overrides,
  });
}

/** Lets the async `open()` run (it awaits the URL). */
async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

describe('GatewayConnection (scripted socket)', () => {
  beforeEach(() => {
    ScriptedSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('identifies after HELLO with the gateway query, heartbeats first after interval × random, then every interval', async () => {
    const gateway = connection();
    gateway.start();
    await flush();
    expect(latest().url).toBe('ws://hearth.example/gateway?v=10&encoding=json');
    latest().deliver({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(latest().ops()).toEqual([2]);
    latest().deliver(readyPayload(1));
    await vi.advanceTimersByTimeAsync(499);
    expect(latest().ops()).toEqual([2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(latest().sent.at(-1)).toEqual({ op: 1, d: 1 });
    latest().deliver({ op: 11 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(latest().ops()).toEqual([2, 1, 1]);
    gateway.stop();
  });

  it("ignores a payload whose opcode it does not know (a newer server's) or that has no numeric op", async () => {
    const gateway = connection();
    const dispatched: string[] = [];
    gateway.on('dispatch', (payload) => dispatched.push(`${payload.t}#${payload.s}`));
    gateway.start();
    await flush();
    latest().deliver({ op: 10, d: { heartbeat_interval: 1000 } });
    latest().deliver(readyPayload(1));
    latest().deliver({ op: 99, d: { future: true } });
    latest().deliver({ op: '0', t: 'MESSAGE_CREATE', s: 2, d: {} });
    latest().deliver({ op: 0, t: 'TYPING_START', s: 3, d: { channel_id: '5', user_id: '1', timestamp: 0 } });
    expect(dispatched).toEqual(['READY#1', 'TYPING_START#3']);
    expect(gateway.state.status).toBe('ready');
    expect(ScriptedSocket.all).toHaveLength(1);
    gateway.stop();
  });

  it('treats a missing ACK as a zombie: closes with a non-1000 code and resumes', async () => {
    const gateway = connection();
    gateway.start();
    await flush();
    const first = latest();
    first.deliver({ op: 10, d: { heartbeat_interval: 1000 } });
    first.deliver(readyPayload(7));
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.closedWith?.code).not.toBe(1000);
    expect(first.closedWith?.code).toBeGreaterThanOrEqual(4000);
    // The reconnect is scheduled from inside the heartbeat timer; let the clock move on to run it.
    await vi.advanceTimersByTimeAsync(1);
    const second = latest();
    expect(second).not.toBe(first);
    expect(second.url).toBe('ws://resume.example/gateway?v=10&encoding=json');
    second.deliver({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(second.sent[0]).toEqual({ op: 6, d: { token: 'token', session_id: 'sess', seq: 7 } });
    expect(gateway.state.status).toBe('resuming');
    second.deliver({ op: 0, t: 'RESUMED', s: 8, d: null });
    expect(gateway.state.status).toBe('ready');
    gateway.stop();
  });

  it('backs off with full jitter, doubling up to the cap, and resets after a stable connection', async () => {
    const gateway = connection();
    const delays: number[] = [];
    gateway.on('state', (state) => {
      if (state.status === 'reconnecting' && state.retryAt !== null) delays.push(state.retryAt - Date.now());
    });
    gateway.start();
    await flush();
    for (let i = 0; i < 7; i += 1) {
      latest().drop(1006);
      await vi.advanceTimersByTimeAsync(delays.at(-1) ?? 0);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    latest().deliver(readyPayload(1));
    await vi.advanceTimersByTimeAsync(60_000);
    latest().drop(1006);
    expect(delays.at(-1)).toBe(500);
    gateway.stop();
  });

  it('reconnects and resumes at once on op 7', async () => {
    const gateway = connection();
    gateway.start();
    await flush();
    const first = latest();
    first.deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    first.deliver(readyPayload(3));
    first.deliver({ op: 7 });
    expect(first.closedWith?.code).not.toBe(1000);
    await flush();
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    expect(latest().sent[0]?.op).toBe(6);
    gateway.stop();
  });

  it('re-identifies after a random 1–5 s wait on op 9 d:false, and resumes on d:true', async () => {
    const gateway = connection();
    gateway.start();
    await flush();
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    latest().deliver(readyPayload(3));
    latest().deliver({ op: 9, d: true });
    await vi.advanceTimersByTimeAsync(3000);
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    expect(latest().sent[0]?.op).toBe(6);
    const before = ScriptedSocket.all.length;
    latest().deliver({ op: 9, d: false });
    await vi.advanceTimersByTimeAsync(2999);
    expect(ScriptedSocket.all.length).toBe(before);
    await vi.advanceTimersByTimeAsync(1);
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    expect(latest().sent[0]?.op).toBe(2);
    expect(latest().url).toBe('ws://hearth.example/gateway?v=10&encoding=json');
    gateway.stop();
  });

  it('stops and reports on 4004 and 4010–4014, and identifies afresh after 4007 and 4009', async () => {
    for (const code of [4004, 4010, 4011, 4012, 4013, 4014]) {
      const gateway = connection();
      const fatal = vi.fn();
      gateway.on('fatal', fatal);
      gateway.start();
      await flush();
      latest().drop(code, 'nope');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(gateway.state).toMatchObject({ status: 'failed', closeCode: code });
      expect(fatal).toHaveBeenCalledWith({ code, reason: 'nope' });
    }
    for (const code of [4007, 4009]) {
      const gateway = connection();
      gateway.start();
      await flush();
      latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
      latest().deliver(readyPayload(3));
      latest().drop(code);
      await vi.advanceTimersByTimeAsync(1000);
      latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
      expect(latest().sent[0]?.op).toBe(2);
      gateway.stop();
    }
  });

  it('emits every dispatch and its own state: connecting, identifying, ready, reconnecting with the reason, resuming', async () => {
    const gateway = connection();
    const states: string[] = [];
    const dispatched: string[] = [];
    gateway.on('state', (state) => states.push(state.reason ? `${state.status} (${state.reason}, ${state.closeCode})` : state.status));
    gateway.on('dispatch', (payload) => dispatched.push(`${payload.t}#${payload.s}`));
    gateway.start();
    await flush();
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    latest().deliver(readyPayload(1));
    latest().deliver({ op: 0, t: 'TYPING_START', s: 2, d: { channel_id: '5', user_id: '2', timestamp: 1 } });
    latest().drop(1006, 'network gone');
    await vi.advanceTimersByTimeAsync(500);
    latest().deliver({ op: 10, d: { heartbeat_interval: 100_000 } });
    latest().deliver({ op: 0, t: 'MESSAGE_DELETE', s: 3, d: { id: '9', channel_id: '5' } });
    latest().deliver({ op: 0, t: 'RESUMED', s: 4, d: null });
    expect(dispatched).toEqual(['READY#1', 'TYPING_START#2', 'MESSAGE_DELETE#3', 'RESUMED#4']);
    // While resuming, the state keeps saying why the connection was lost.
    expect(states).toEqual(['connecting', 'identifying', 'ready', 'reconnecting (network gone, 1006)', 'resuming (network gone, 1006)', 'ready']);
    gateway.stop();
  });

  it('closes with 1000 and stays closed when stopped', async () => {
    const gateway = connection();
    gateway.start();
    await flush();
    const socket = latest();
    gateway.stop();
    expect(socket.closedWith?.code).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ScriptedSocket.all).toHaveLength(1);
    expect(gateway.state.status).toBe('idle');
  });
});

/** zlib-stream with node:zlib, as an injected inflater: inflates the stream so far and emits the new text. */
function nodeInflater(onMessage: (text: string) => void): ZlibStreamInflater {
  const chunks: Buffer[] = [];
  let emitted = 0;
  return {
    push(chunk) {
      chunks.push(Buffer.from(chunk));
      const tail = chunk.subarray(-4);
      if (tail.length < 4 || tail[0] !== 0 || tail[1] !== 0 || tail[2] !== 0xff || tail[3] !== 0xff) return;
      const all = zlib.inflateSync(Buffer.concat(chunks), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      onMessage(all.subarray(emitted).toString('utf8'));
      emitted = all.length;
    },
    close() {
      chunks.length = 0;
    },
  };
}

describe('GatewayConnection (real server)', () => {
  it('speaks zlib-stream with DecompressionStream and with an injected inflater, and reports 4004 for a bad token', async () => {
    const server = await startTestServer({ heartbeatIntervalMs: 1000 });
    try {
      const user = await registerUser(server.url);
      for (const createInflater of [streamInflater, nodeInflater]) {
        const gateway = new GatewayConnection({
          WebSocket: WebSocket as unknown as WebSocketConstructor,
          resolveUrl: () => Promise.resolve(gatewayUrlOf(server.url)),
          token: user.token,
          createInflater,
        });
        const ready = gateway.once('ready');
        gateway.start();
        expect((await ready).user.id).toBe(user.id);
        gateway.stop();
      }

      const refused = new GatewayConnection({
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        resolveUrl: () => Promise.resolve(gatewayUrlOf(server.url)),
        token: 'not-a-token',
      });
      const fatal = refused.once('fatal');
      refused.start();
      expect((await fatal).code).toBe(4004);
      expect(refused.state.status).toBe('failed');
    } finally {
      await server.close();
    }
  });
});

describe('JsonMessageSplitter', () => {
  it('cuts concatenated JSON objects at their ends, whatever the chunking, minding strings', () => {
    const messages = [{ op: 10, d: { heartbeat_interval: 1 } }, { op: 0, t: 'MESSAGE_CREATE', d: { content: 'a } tricky " {[ string \\' } }, { op: 11 }];
    const text = messages.map((m) => JSON.stringify(m)).join('');
    for (const size of [1, 3, 7, text.length]) {
      const out: unknown[] = [];
      const splitter = new JsonMessageSplitter((t) => out.push(JSON.parse(t)));
      for (let i = 0; i < text.length; i += size) splitter.push(text.slice(i, i + size));
      expect(out).toEqual(messages);
    }
  });
});
