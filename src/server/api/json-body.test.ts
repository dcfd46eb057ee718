import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { api } from '../test-support/api.js';
import { startMessageWorld, postMessage, type MessageWorld } from '../test-support/messages.js';
import { LINGER_BYTES } from '../unread-bodies.js';
import { JsonDepthScanner, MAX_JSON_DEPTH } from './json-body.js';

/** `[[[…]]]` nested `depth` levels. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A raw HTTP request: what the server answered (status line and headers) and whether it hung up. */
interface RawExchange {
  status: number;
  head: string;
  /** Body bytes this client managed to hand to the kernel before the server hung up. */
  written: number;
}

/**
 * Sends a request with `size` bytes of body — announced with Content-Length, or in chunks of
 * unannounced total — writing one shared 64 KiB chunk over and over (so the client holds no
 * copies) until everything is written or the server hangs up; resolves once the connection closes.
 */
function sendLargeBody(
  baseUrl: string, method: string, path: string, size: number, headers: Record<string, string>, framing: 'length' | 'chunked' = 'length',
): Promise<RawExchange> {
  const { port } = new URL(baseUrl);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let response = '';
    let written = 0;
    let closed = false;
    socket.on('data', (data) => {
      response += data.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), head: response.split('\r\n\r\n')[0] ?? '', written });
    });
    const length = framing === 'length' ? { 'content-length': String(size) } : { 'transfer-encoding': 'chunked' };
    const head = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...length, ...headers })
      .map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`${method} /api/v10${path} HTTP/1.1\r\n${head}\r\n`);
    const pump = () => {
      while (!closed && written < size) {
        const piece = written + chunk.length <= size ? chunk : chunk.subarray(0, size - written);
        written += piece.length;
        const framed = framing === 'length' ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
        const flowing = socket.write(framed);
        if (!flowing) return void socket.once('drain', pump);
      }
      // Everything was written: half-close, so a server that keeps the connection still lets it end.
      if (!closed) socket.end(framing === 'chunked' ? '0\r\n\r\n' : '');
    };
    pump();
  });
}

describe('request bodies', () => {
  let world: MessageWorld;
  beforeAll(async () => {
    world = await startMessageWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('refuses the NUL character in a JSON field with 50035 on that field, storing nothing', async () => {
    const refused = await postMessage(world.url, world.owner, world.guild.general.id, { content: 'a\u0000b' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } } });
    const nestedNul = await postMessage(world.url, world.owner, world.guild.general.id, { content: 'ok', embeds: [{ title: 'x\u0000' }] });
    expect(nestedNul.body).toMatchObject({ code: 50035, errors: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } } } } });
    const history = await fetch(`${world.url}/api/v10/channels/${world.guild.general.id}/messages`, { headers: { authorization: world.owner.token } });
    expect(((await history.json()) as { content: string }[]).filter((m) => m.content.includes('\u0000'))).toEqual([]);
  });

  it('refuses the NUL character in multipart payload_json too', async () => {
    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'see \u0000 file' }));
    form.append('files[0]', new Blob(['hello']), 'hello.txt');
    const response = await fetch(`${world.url}/api/v10/channels/${world.guild.general.id}/messages`, {
      method: 'POST',
      headers: { authorization: world.owner.token },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } } });
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels with 400 50109, never 500`, async () => {
    const channel = `/channels/${world.guild.general.id}/messages`;
    for (const rawBody of [nested(100_000), `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, `{"content":"x","embeds":${nested(MAX_JSON_DEPTH)}}`]) {
      const refused = await api<ErrorBody>(world.url, 'POST', channel, { token: world.owner.token, rawBody });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe(50109);
    }
    // Brackets inside strings are text, not nesting; exactly the limit is allowed through to the schema.
    const inString = await api(world.url, 'POST', channel, { token: world.owner.token, body: { content: nested(500) } });
    expect(inString.status).toBe(200);
    const atLimit = await api<ErrorBody>(world.url, 'POST', channel, { token: world.owner.token, rawBody: `{"content":"x","embeds":${nested(MAX_JSON_DEPTH - 1)}}` });
    expect(atLimit.body.code).toBe(50035);
    const form = new FormData();
    form.append('payload_json', `{"content":${nested(1000)}}`);
    const multipart = await fetch(`${world.url}/api/v10${channel}`, { method: 'POST', headers: { authorization: world.owner.token }, body: form });
    expect(multipart.status).toBe(400);
    expect(((await multipart.json()) as ErrorBody).code).toBe(50109);
  });

  it('answers a truncated or malformed multipart body with 400 and keeps no file', async () => {
    const boundary = 'HearthBoundary';
    const bodies = [
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n\r\n{"content":"hi"}\r\n--${boundary}\r\nContent-Disposition: form-data; name="files[0]"; filename="a.txt"\r\n\r\nhello wor`,
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n\r\n{"content":"hi"}`,
    ];
    const channel = await world.newChannel();
    for (const body of bodies) {
      const response = await fetch(`${world.url}/api/v10/channels/${channel.id}/messages`, {
        method: 'POST', headers: { authorization: world.owner.token, 'content-type': `multipart/form-data; boundary=${boundary}` }, body,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe(50035);
    }
    const noBoundary = await fetch(`${world.url}/api/v10/channels/${channel.id}/messages`, {
      method: 'POST', headers: { authorization: world.owner.token, 'content-type': 'multipart/form-data' }, body: 'garbage',
    });
    expect(noBoundary.status).toBe(400);
    const history = await api<unknown[]>(world.url, 'GET', `/channels/${channel.id}/messages`, { token: world.owner.token });
    expect(history.body).toEqual([]);
  });

  it('takes an empty body sent as application/json on DELETE and body-less POST as no body', async () => {
    const channel = await world.newChannel();
    const typing = await api(world.url, 'POST', `/channels/${channel.id}/typing`, { token: world.owner.token, rawBody: '' });
    expect(typing.status).toBe(204);
    const deleted = await api(world.url, 'DELETE', `/channels/${channel.id}`, { token: world.owner.token, rawBody: '' });
    expect(deleted.status).toBe(200);
  });

  it('refuses a body over the route limit as it arrives (413 40005), and a login body over 16 KiB', async () => {
    const path = `/channels/${world.guild.general.id}/messages`;
    for (const framing of ['length', 'chunked'] as const) {
      const refused = await sendLargeBody(world.url, 'POST', path, 3 * 1024 * 1024, { authorization: world.owner.token }, framing);
      expect(refused.status, `${framing}: ${refused.head}`).toBe(413);
    }
    const login = await api<ErrorBody>(world.url, 'POST', '/auth/login', { rawBody: JSON.stringify({ login: 'x', password: 'y'.repeat(20_000) }) });
    expect(login.status).toBe(413);
    expect(login.body.code).toBe(40005);
  });

  it('authenticates before reading a body: four 11 MB bodies without a valid token are refused after a few KiB each', async () => {
    const httpServer = world.server.server.app.server;
    const serverSockets: net.Socket[] = [];
    const track = (socket: net.Socket) => serverSockets.push(socket);
    httpServer.on('connection', track);
    const rssBefore = process.memoryUsage().rss;
    try {
      const size = 11_000_000;
      const exchanges = await Promise.all(
        [0, 1, 2, 3].map(() => sendLargeBody(world.url, 'PATCH', '/users/@me', size, { authorization: 'made.up.token' })),
      );
      for (const exchange of exchanges) expect(exchange.status).toBe(401);
      // The server read the headers, a few socket reads of the body and then at most the linger
      // after its answer (time for the client to read it), never the 44 MB.
      expect(serverSockets).toHaveLength(4);
      for (const socket of serverSockets) expect(socket.bytesRead).toBeLessThan(LINGER_BYTES + 1024 * 1024);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
      const health = await fetch(`${world.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      httpServer.off('connection', track);
    }
  });
});

describe('JsonDepthScanner', () => {
  const depthOk = (...chunks: string[]) => {
    const scanner = new JsonDepthScanner();
    return chunks.every((chunk) => scanner.scan(Buffer.from(chunk)));
  };

  it('counts nesting across chunks, outside strings only', () => {
    expect(depthOk(nested(MAX_JSON_DEPTH))).toBe(true);
    expect(depthOk(nested(MAX_JSON_DEPTH + 1))).toBe(false);
    expect(depthOk('['.repeat(40), '['.repeat(40))).toBe(false);
    expect(depthOk(`"${'['.repeat(100)}"`)).toBe(true);
    expect(depthOk('{"a":"x\\"', `${'['.repeat(100)}"}`)).toBe(true);
  });

  it('carries an escape split between two chunks', () => {
    // The backslash ends chunk one; the quote it escapes starts chunk two, so the string goes on.
    expect(depthOk('{"a":"x\\', `"${'['.repeat(100)}"}`)).toBe(true);
    expect(depthOk('{"a":"x\\\\', `"${'['.repeat(100)}`)).toBe(false);
  });
});
