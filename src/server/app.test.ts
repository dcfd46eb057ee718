import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeTimestamp } from '../shared/snowflake.js';
import { registerUser } from './test-support/api.js';
import { startTestServer, type TestServer } from './test-support/server.js';

describe('Hearth server basics', () => {
  let running: TestServer;
  beforeAll(async () => {
    running = await startTestServer();
  });
  afterAll(async () => {
    await running.close();
  });

  it('answers GET /healthz', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('sends shareable invite links to the web client, which offers to join', async () => {
    const response = await fetch(`${running.url}/invite/aBc123`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/?invite=aBc123');
    const bad = await fetch(`${running.url}/invite/${encodeURIComponent('<script>')}`, { redirect: 'manual' });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ code: 10006 });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${running.url}/api/v10/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ code: 0, message: '404: Not Found' });
  });

  it('answers malformed JSON with 400 and code 50109', async () => {
    const response = await fetch(`${running.url}/api/v10/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login": "a",',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 50109 });
  });

  it('answers bodies over the limit with 413', async () => {
    const response = await fetch(`${running.url}/api/v10/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 40005 });
  });
});

describe('snowflake worker configuration', () => {
  it('stamps every new ID with the configured worker ID and the current time', async () => {
    const server = await startTestServer({ workerId: 23 });
    try {
      const before = Date.now();
      const user = await registerUser(server.url, 'worker_check');
      expect(Number((BigInt(user.id) >> 17n) & 0x1fn)).toBe(23);
      expect(snowflakeTimestamp(user.id)).toBeGreaterThanOrEqual(before - 1);
      expect(snowflakeTimestamp(user.id)).toBeLessThanOrEqual(Date.now());
    } finally {
      await server.close();
    }
  });
});
