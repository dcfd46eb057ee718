/**
 * RestClient: errors and headers from a real server, and the rate-limit and retry rules with a
 * scripted transport (so waits are recorded instead of slept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient, RestError, routeKey } from './rest-client.js';
import { HearthApi } from './hearth-api.js';
import { startTestServer, type TestServer } from '../server/test-support/server.js';
import { registerUser } from '../server/test-support/api.js';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script and records what was asked. */
function scriptedFetch(replies: Reply[]) {
  const calls: { method: string; url: string; body?: string; authorization?: string }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ method: init?.method ?? 'GET', url: String(input), body: init?.body as string | undefined, authorization: headers.Authorization });
    const reply = replies.shift() ?? { status: 200, body: {} };
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status, headers: reply.headers ?? {} });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

function client(replies: Reply[], now = { t: 0 }) {
  const { fetchImpl, calls } = scriptedFetch(replies);
  const waits: number[] = [];
  const rest = new RestClient({
    baseUrl: 'http://hearth.example/',
    token: 'secret',
    fetch: fetchImpl,
    now: () => now.t,
    sleep: async (ms) => {
      waits.push(ms);
      now.t += ms;
    },
  });
  return { rest, calls, waits, now };
}

describe('RestClient rate limits and retries', () => {
  it('sends Authorization and JSON, and parses the response', async () => {
    const { rest, calls } = client([{ status: 200, body: { id: '1' } }]);
    await expect(rest.request('POST', '/guilds', { body: { name: 'x' } })).resolves.toEqual({ id: '1' });
    expect(calls[0]).toMatchObject({ method: 'POST', url: 'http://hearth.example/api/v10/guilds', body: '{"name":"x"}', authorization: 'secret' });
  });

  it('waits for an empty bucket to reset before the next request of that route', async () => {
    const headers = { 'x-ratelimit-bucket': 'abc', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '2.5' };
    const { rest, waits } = client([{ status: 200, body: [], headers }, { status: 200, body: [] }, { status: 200, body: {} }]);
    await rest.request('GET', '/channels/111111111111111111/messages');
    await rest.request('GET', '/channels/111111111111111111/messages');
    expect(waits).toEqual([2500]);
    await rest.request('GET', '/channels/222222222222222222/messages');
    expect(waits).toEqual([2500]);
  });

  it('keeps one bucket per major parameter: the same hash on another channel is its own bucket', async () => {
    const empty = { 'x-ratelimit-bucket': 'abc', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '2' };
    const plenty = { 'x-ratelimit-bucket': 'abc', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '2' };
    const { rest, waits } = client([
      { status: 200, body: [], headers: empty },
      { status: 200, body: [], headers: plenty },
      { status: 200, body: [] },
      { status: 200, body: [] },
    ]);
    await rest.request('GET', '/channels/111111111111111111/messages');
    await rest.request('GET', '/channels/222222222222222222/messages');
    await rest.request('GET', '/channels/222222222222222222/messages');
    expect(waits).toEqual([]);
    await rest.request('GET', '/channels/111111111111111111/messages');
    expect(waits).toEqual([2000]);
  });

  it('waits out a 429 for retry_after and repeats the request; a global 429 holds every route', async () => {
    const { rest, waits, calls } = client([
      { status: 429, body: { message: 'You are being rate limited.', retry_after: 1.25, global: false } },
      { status: 200, body: { ok: 1 } },
      { status: 429, body: { message: 'You are being rate limited.', retry_after: 3, global: true } },
      { status: 200, body: {} },
      { status: 200, body: {} },
    ]);
    await expect(rest.request('POST', '/channels/1/messages', { body: {} })).resolves.toEqual({ ok: 1 });
    expect(waits).toEqual([1250]);
    await rest.request('GET', '/users/@me');
    expect(waits).toEqual([1250, 3000]);
    expect(calls).toHaveLength(4);
  });

  it('retries idempotent requests on network errors and 5xx, but never a plain POST', async () => {
    const { rest, calls } = client([new TypeError('fetch failed'), { status: 503 }, { status: 200, body: { id: 'm' } }]);
    await expect(rest.request('GET', '/channels/1/messages')).resolves.toEqual({ id: 'm' });
    expect(calls).toHaveLength(3);

    const post = client([new TypeError('fetch failed'), { status: 200, body: {} }]);
    const error = await post.rest.request('POST', '/guilds', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect(error).toMatchObject({ status: 0, code: 0 });
    expect(post.calls).toHaveLength(1);

    const nonce = client([new TypeError('fetch failed'), { status: 200, body: { id: 'once' } }]);
    await expect(nonce.rest.request('POST', '/channels/1/messages', { body: {}, idempotent: true })).resolves.toEqual({ id: 'once' });
  });

  it('groups routes by major parameter, as Discord does', () => {
    expect(routeKey('GET', '/channels/111111111111111111/messages/222222222222222222')).toBe('GET /channels/111111111111111111/messages/:id');
    expect(routeKey('PUT', '/channels/1/messages/222222222222222222/reactions/%F0%9F%94%A5/@me')).toBe('PUT /channels/1/messages/:id/reactions/:reaction');
    expect(routeKey('GET', '/invites/abcDEF?with_counts=true')).toBe('GET /invites/:code');
    expect(routeKey('DELETE', '/guilds/9/members/333333333333333333')).toBe('DELETE /guilds/9/members/:id');
  });
});

describe('RestClient against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('turns Discord error bodies into RestError with code, status and field errors', async () => {
    const hearth = new HearthApi(new RestClient({ baseUrl: server.url }));
    const error = await hearth.register({ username: 'x', password: 'short' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    const rest = error as RestError;
    expect(rest.status).toBe(400);
    expect(rest.code).toBe(50035);
    expect(Object.keys(rest.errors ?? {})).toEqual(expect.arrayContaining(['username', 'password']));
    expect(rest.toBridgeError()).toMatchObject({ code: 50035, status: 400 });
  });

  it('reports Unknown Channel and Unauthorized as the server sends them', async () => {
    const user = await registerUser(server.url);
    const hearth = new HearthApi(new RestClient({ baseUrl: server.url, token: user.token }));
    await expect(hearth.listMessages('123456789012345678', { limit: 5 })).rejects.toMatchObject({ status: 404, code: 10003 });
    const anonymous = new HearthApi(new RestClient({ baseUrl: server.url }));
    await expect(anonymous.getCurrentUser()).rejects.toMatchObject({ status: 401 });
  });

  it('reports an unreachable server as status 0 with a clear message', async () => {
    const hearth = new HearthApi(new RestClient({ baseUrl: 'http://127.0.0.1:1', maxRetries: 0 }));
    const error = (await hearth.getGatewayUrl().catch((e: unknown) => e)) as RestError;
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/Cannot reach the Hearth server/);
  });
});
