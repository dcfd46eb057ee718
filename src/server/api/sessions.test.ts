import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import type { AuthResponse, AuthSessionsResponse } from '../../shared/protocol/rest.js';
import { hashToken, newToken } from '../domain/auth.js';
import { api, registerUser, type TestUser } from '../test-support/api.js';
import { createAccount } from '../test-support/gateway-fixtures.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

async function login(url: string, user: TestUser, userAgent?: string): Promise<string> {
  const response = await api<AuthResponse>(url, 'POST', '/auth/login', {
    body: { login: user.username, password: 'correct horse battery' }, headers: userAgent ? { 'user-agent': userAgent } : {},
  });
  return response.body.token;
}

const sessionsOf = async (url: string, token: string) => (await api<AuthSessionsResponse>(url, 'GET', '/auth/sessions', { token })).body.user_sessions;

/** How many times the server wrote a token use (its database metrics count every store call). */
async function tokenUseWrites(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^hearth_db_query_seconds_count\{method="recordTokenUse"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

describe('sign-in sessions', () => {
  let test: TestServer;
  beforeEach(async () => {
    test = await startTestServer();
  });
  afterEach(async () => {
    await test.close();
  });

  it('lists each sign-in with its client and times, and READY names the current one', async () => {
    const alice = await registerUser(test.url, 'alice');
    const before = Date.now();
    const browser = await login(test.url, alice, FIREFOX_ON_LINUX);
    await api(test.url, 'GET', '/users/@me', { token: browser, headers: { 'user-agent': FIREFOX_ON_LINUX } });
    const desktop = await login(test.url, alice);
    const { client, ready } = await GatewayTestClient.identified(test.url, desktop, { properties: { os: 'win32', browser: 'Hearth Desktop', device: 'Hearth' } });
    try {
      const sessions = await sessionsOf(test.url, browser);
      const current = sessions.find((s) => s.id_hash === ready.auth_session_id_hash);
      expect(current?.client_info).toEqual({ os: 'Windows', platform: 'Hearth Desktop', location: null });
      expect(sessions.filter((s) => s !== current).map((s) => s.client_info)).toEqual(expect.arrayContaining([
        { os: 'Linux', platform: 'Firefox', location: null },
        { os: null, platform: null, location: null },
      ]));
      expect(sessions).toHaveLength(3);
      // Most recently used first.
      const lastUsed = sessions.map((s) => Date.parse(s.approx_last_used_time));
      expect(lastUsed).toEqual([...lastUsed].sort((a, b) => b - a));
      for (const session of sessions) {
        expect(Date.parse(session.created_at)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(session.approx_last_used_time)).toBeGreaterThanOrEqual(Date.parse(session.created_at));
        // The ID is not the token's stored hash.
        expect(session.id_hash).not.toBe(hashToken(desktop));
      }
    } finally {
      await client.close();
    }
  });

  it('signs other sessions out: their tokens stop working and their gateway sessions close with 4004', async () => {
    const bob = await registerUser(test.url, 'bob');
    const other = await login(test.url, bob);
    const { client, ready } = await GatewayTestClient.identified(test.url, other);
    const listed = await sessionsOf(test.url, bob.token);
    const mine = listed.find((s) => s.id_hash !== ready.auth_session_id_hash)!;
    const others = listed.filter((s) => s.id_hash !== mine.id_hash).map((s) => s.id_hash);
    expect(others).toEqual([ready.auth_session_id_hash]);
    const logout = await api(test.url, 'POST', '/auth/sessions/logout', { token: bob.token, body: { session_id_hashes: [...others, 'no-such-session'] } });
    expect(logout.status).toBe(204);
    expect(await client.waitForClose()).toMatchObject({ code: 4004 });
    expect((await api(test.url, 'GET', '/users/@me', { token: other })).status).toBe(401);
    expect((await api(test.url, 'GET', '/users/@me', { token: bob.token })).status).toBe(200);
    expect((await sessionsOf(test.url, bob.token)).map((s) => s.id_hash)).toEqual([mine.id_hash]);
  });

  it('ends only the caller\'s own sessions, validates the body and keeps bots out', async () => {
    const carol = await registerUser(test.url, 'carol');
    const dave = await registerUser(test.url, 'dave');
    const [daveSession] = await sessionsOf(test.url, dave.token);
    expect((await api(test.url, 'POST', '/auth/sessions/logout', { token: carol.token, body: { session_id_hashes: [daveSession!.id_hash] } })).status).toBe(204);
    expect((await api(test.url, 'GET', '/users/@me', { token: dave.token })).status).toBe(200);
    const empty = await api<ErrorBody>(test.url, 'POST', '/auth/sessions/logout', { token: carol.token, body: { session_id_hashes: [] } });
    expect([empty.status, empty.body.code]).toEqual([400, 50035]);
    const bot = await createAccount(test.server.context, 'robot', { bot: true });
    const refused = await api<ErrorBody>(test.url, 'GET', '/auth/sessions', { token: `Bot ${bot.token}` });
    expect([refused.status, refused.body.code]).toEqual([403, 20001]);
    expect((await api(test.url, 'GET', '/auth/sessions')).status).toBe(401);
  });

  it('records a token\'s use once per interval, not once per request', async () => {
    const erin = await registerUser(test.url, 'erin');
    await api(test.url, 'GET', '/users/@me', { token: erin.token });
    const writes = await tokenUseWrites(test.url);
    for (let i = 0; i < 20; i++) await api(test.url, 'GET', '/users/@me', { token: erin.token });
    expect(await tokenUseWrites(test.url)).toBe(writes);
  });
});

describe('sign-ins unused for the configured time', () => {
  it('stop working for REST and the gateway, while used ones and bot tokens keep working', async () => {
    const test = await startTestServer({ tokenInactivityDays: 1 });
    try {
      const { store } = test.server.context;
      const frank = await registerUser(test.url, 'frank');
      const threeDaysAgo = Date.now() - 3 * 86_400_000;
      const stale = newToken(frank.id);
      await store.addToken(hashToken(stale), frank.id, threeDaysAgo);
      const staleForGateway = newToken(frank.id);
      await store.addToken(hashToken(staleForGateway), frank.id, threeDaysAgo);
      const oldButUsed = newToken(frank.id);
      await store.addToken(hashToken(oldButUsed), frank.id, threeDaysAgo);
      await store.recordTokenUse(hashToken(oldButUsed), { at: Date.now() - 3_600_000 });
      const bot = await createAccount(test.server.context, 'old-bot', { bot: true });
      const oldBotToken = newToken(bot.user.id);
      await store.addToken(hashToken(oldBotToken), bot.user.id, threeDaysAgo);

      expect((await api(test.url, 'GET', '/users/@me', { token: stale })).status).toBe(401);
      expect(await store.getToken(hashToken(stale))).toBeUndefined();
      const gateway = await GatewayTestClient.connect(test.url);
      await gateway.hello();
      gateway.sendIdentify(staleForGateway);
      expect((await gateway.waitForClose()).code).toBe(4004);
      expect((await api(test.url, 'GET', '/users/@me', { token: oldButUsed })).status).toBe(200);
      expect((await api(test.url, 'GET', '/users/@me', { token: `Bot ${oldBotToken}` })).status).toBe(200);
      expect((await api(test.url, 'GET', '/users/@me', { token: frank.token })).status).toBe(200);
    } finally {
      await test.close();
    }
  });
});
