import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody, RateLimitBody } from '../../shared/errors.js';
import { api, createGuild, registerUser, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { Buckets, MemoryRateLimitCounters } from './rate-limit.js';

describe('MemoryRateLimitCounters', () => {
  it('counts hits in a fixed window and starts over when it ends', async () => {
    const counters = new MemoryRateLimitCounters();
    expect(await counters.hit('k', 1000, 10_000)).toEqual({ count: 1, resetAt: 11_000 });
    expect(await counters.hit('k', 1000, 10_500)).toEqual({ count: 2, resetAt: 11_000 });
    expect(await counters.hit('k', 1000, 10_999)).toEqual({ count: 3, resetAt: 11_000 });
    expect(await counters.hit('k', 1000, 11_000)).toEqual({ count: 1, resetAt: 12_000 });
  });

  it('keeps keys apart', async () => {
    const counters = new MemoryRateLimitCounters();
    await counters.hit('a', 1000, 0);
    await counters.hit('a', 1000, 0);
    expect(await counters.hit('b', 1000, 0)).toMatchObject({ count: 1 });
    expect(await counters.hit('a', 1000, 0)).toMatchObject({ count: 3 });
  });
});

describe('REST rate limits', () => {
  let test: TestServer;
  let user: TestUser;
  beforeEach(async () => {
    test = await startTestServer();
    user = await registerUser(test.url, 'limited');
  });
  afterEach(async () => {
    await test.close();
  });

  it('sends X-RateLimit headers that count down per route bucket', async () => {
    const first = await api(test.url, 'GET', '/users/@me', { token: user.token });
    const second = await api(test.url, 'GET', '/users/@me', { token: user.token });
    expect(first.headers.get('x-ratelimit-limit')).toBe(String(Buckets.userRead.limit));
    expect(Number(first.headers.get('x-ratelimit-remaining'))).toBe(Buckets.userRead.limit - 1);
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(Buckets.userRead.limit - 2);
    const resetAfter = Number(first.headers.get('x-ratelimit-reset-after'));
    expect(resetAfter).toBeGreaterThan(0);
    expect(resetAfter).toBeLessThanOrEqual(Buckets.userRead.windowMs / 1000);
    expect(Number(first.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
    expect(first.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    expect(first.headers.get('x-ratelimit-bucket')).toBe(second.headers.get('x-ratelimit-bucket'));
  });

  it('splits buckets by major parameter (one count per guild)', async () => {
    const a = await createGuild(test.url, user, 'Alpha');
    const b = await createGuild(test.url, user, 'Beta');
    const ra = await api(test.url, 'GET', `/guilds/${a.guild.id}`, { token: user.token });
    const rb = await api(test.url, 'GET', `/guilds/${b.guild.id}`, { token: user.token });
    expect(ra.headers.get('x-ratelimit-bucket')).not.toBe(rb.headers.get('x-ratelimit-bucket'));
    expect(ra.headers.get('x-ratelimit-remaining')).toBe(rb.headers.get('x-ratelimit-remaining'));
  });

  it('answers 429 with retry_after and Retry-After once a bucket is empty, for that caller only', async () => {
    const { limit } = Buckets.userWrite;
    for (let i = 0; i < limit; i += 1) {
      expect((await api(test.url, 'PATCH', '/users/@me', { token: user.token, body: { global_name: `Name ${i}` } })).status).toBe(200);
    }
    const limited = await api<RateLimitBody>(test.url, 'PATCH', '/users/@me', { token: user.token, body: { global_name: 'One too many' } });
    expect(limited.status).toBe(429);
    expect(limited.body.message).toBe('You are being rate limited.');
    expect(limited.body.global).toBe(false);
    expect(limited.body.retry_after).toBeGreaterThan(0);
    expect(limited.body.retry_after).toBeLessThanOrEqual(Buckets.userWrite.windowMs / 1000);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await api<{ global_name: string }>(test.url, 'GET', '/users/@me', { token: user.token })).body.global_name).toBe(`Name ${limit - 1}`);
    const other = await registerUser(test.url, 'other');
    expect((await api(test.url, 'PATCH', '/users/@me', { token: other.token, body: { global_name: 'Fine' } })).status).toBe(200);
  });
});

describe('REST rate limits on open routes', () => {
  let test: TestServer;
  beforeEach(async () => {
    test = await startTestServer();
  });
  afterEach(async () => {
    await test.close();
  });

  it('counts registrations per IP address even when each request makes up a token', async () => {
    const { limit } = Buckets.register;
    for (let i = 0; i < limit; i += 1) {
      const response = await api(test.url, 'POST', '/auth/register', { token: `made-up-${i}`, body: { username: 'x' } });
      expect(response.status).toBe(400);
    }
    const limited = await api<RateLimitBody>(test.url, 'POST', '/auth/register', { token: 'made-up-again', body: { username: 'x' } });
    expect(limited.status).toBe(429);
  });
});

describe('REST errors', () => {
  let test: TestServer;
  beforeEach(async () => {
    test = await startTestServer();
  });
  afterEach(async () => {
    await test.close();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await api<ErrorBody>(test.url, 'GET', '/no/such/route');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ code: 0, message: '404: Not Found' });
  });

  it('answers malformed JSON with 400 and code 50109', async () => {
    const response = await api<ErrorBody>(test.url, 'POST', '/auth/register', { rawBody: '{"username": "x",' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(50109);
  });

  it('takes an empty body sent as JSON as no body', async () => {
    const user = await registerUser(test.url, 'empty');
    const { general } = await createGuild(test.url, user);
    const response = await api(test.url, 'DELETE', `/channels/${general.id}`, { token: user.token, rawBody: '' });
    expect(response.status).toBe(200);
    const logout = await api(test.url, 'POST', '/auth/logout', { token: user.token, headers: { 'content-type': 'application/json' }, rawBody: '' });
    expect(logout.status).toBe(204);
  });

  it('answers bodies over the limit with 413', async () => {
    const user = await registerUser(test.url, 'big');
    const response = await api<ErrorBody>(test.url, 'POST', '/guilds', { token: user.token, rawBody: JSON.stringify({ name: 'x'.repeat(13 * 1024 * 1024) }) });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe(40005);
  });
});
