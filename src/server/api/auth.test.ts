import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody, RateLimitBody } from '../../shared/errors.js';
import type { CurrentUser } from '../../shared/protocol/entities.js';
import type { AuthResponse } from '../../shared/protocol/rest.js';
import { hashToken } from '../domain/auth.js';
import { api, registerUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe('REST accounts', () => {
  let test: TestServer;
  beforeEach(async () => {
    test = await startTestServer();
  });
  afterEach(async () => {
    await test.close();
  });

  it('registers a user, returning a token that authenticates GET /users/@me', async () => {
    const response = await api<AuthResponse>(test.url, 'POST', '/auth/register', {
      body: { username: 'alice', password: 'hunter22!', global_name: 'Alice' },
    });
    expect(response.status).toBe(201);
    expect(response.body.user_id).toMatch(/^\d+$/);
    expect(response.body.token.split('.')[0]).toBe(Buffer.from(response.body.user_id).toString('base64url'));
    const me = await api<CurrentUser>(test.url, 'GET', '/users/@me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: response.body.user_id, username: 'alice', global_name: 'Alice', discriminator: '0', avatar: null, verified: true });
  });

  it('stores an scrypt hash with a per-user salt and only the hash of tokens', async () => {
    const a = await registerUser(test.url, 'alice', 'same password');
    const b = await registerUser(test.url, 'bobby', 'same password');
    const store = test.server.context.store;
    const [hashA, hashB] = [(await store.getUser(a.id))?.passwordHash, (await store.getUser(b.id))?.passwordHash];
    expect(hashA).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hashA?.split('$')[4]).not.toBe(hashB?.split('$')[4]);
    expect(hashA).not.toContain('same password');
    expect(await store.getToken(a.token)).toBeUndefined();
    expect((await store.getToken(hashToken(a.token)))?.userId).toBe(a.id);
    // The token is the base64url user ID, a dot, and 32 random bytes.
    const [idPart, secret] = a.token.split('.');
    expect(Buffer.from(idPart ?? '', 'base64url').toString()).toBe(a.id);
    expect(Buffer.from(secret ?? '', 'base64url')).toHaveLength(32);
    expect(secret).not.toBe(b.token.split('.')[1]);
  });

  it('refuses invalid usernames and short passwords with per-field errors', async () => {
    const bad = await api<ErrorBody>(test.url, 'POST', '/auth/register', { body: { username: 'Bad Name!', password: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(50035);
    expect(bad.body.errors?.username).toBeDefined();
    expect(bad.body.errors?.password).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MIN_LENGTH' }] });
    const short = await api<ErrorBody>(test.url, 'POST', '/auth/register', { body: { username: 'a', password: 'long enough' } });
    expect(short.body.errors?.username).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MIN_LENGTH' }] });
    const long = await api<ErrorBody>(test.url, 'POST', '/auth/register', { body: { username: 'a'.repeat(33), password: 'long enough' } });
    expect(long.body.errors?.username).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] });
    expect((await api(test.url, 'POST', '/auth/register', { body: { username: 'a'.repeat(32), password: '8 chars!' } })).status).toBe(201);
    const missing = await api<ErrorBody>(test.url, 'POST', '/auth/register', { body: {} });
    expect(missing.body.errors?.username).toMatchObject({ _errors: [{ code: 'BASE_TYPE_REQUIRED' }] });
  });

  it('refuses a username already taken in any case', async () => {
    await registerUser(test.url, 'alice');
    const again = await api<ErrorBody>(test.url, 'POST', '/auth/register', { body: { username: 'alice', password: 'another one' } });
    expect(again.status).toBe(400);
    expect(again.body.errors?.username).toMatchObject({ _errors: [{ code: 'USERNAME_ALREADY_TAKEN' }] });
  });

  it('logs in with the right password and refuses a wrong one or an unknown user', async () => {
    const alice = await registerUser(test.url, 'alice', 'right password');
    const ok = await api<AuthResponse>(test.url, 'POST', '/auth/login', { body: { login: 'ALICE', password: 'right password' } });
    expect(ok.status).toBe(200);
    expect(ok.body.user_id).toBe(alice.id);
    expect(ok.body.token).not.toBe(alice.token);
    for (const body of [{ login: 'alice', password: 'wrong password' }, { login: 'nobody', password: 'whatever' }]) {
      const refused = await api<ErrorBody>(test.url, 'POST', '/auth/login', { body });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 50035, errors: { login: { _errors: [{ code: 'INVALID_LOGIN' }] } } });
    }
  });

  it('throttles failed logins per account with 429 and Retry-After', async () => {
    await registerUser(test.url, 'alice', 'right password');
    for (let i = 0; i < 5; i += 1) {
      expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: `wrong ${i}` } })).status).toBe(400);
    }
    const limited = await api<RateLimitBody>(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'right password' } });
    expect(limited.status).toBe(429);
    expect(limited.body.global).toBe(false);
    expect(limited.body.retry_after).toBeGreaterThan(800);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another account from the same address is still allowed (the per-IP limit is higher).
    await registerUser(test.url, 'bobby', 'right password');
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'bobby', password: 'right password' } })).status).toBe(200);
  });

  it('throttles failed logins per IP across accounts', async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await api(test.url, 'POST', '/auth/login', { body: { login: `ghost${i}`, password: 'nope nope' } })).status).toBe(400);
    }
    const limited = await api<RateLimitBody>(test.url, 'POST', '/auth/login', { body: { login: 'ghost99', password: 'nope nope' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });

  it('logs out by revoking the token used', async () => {
    const alice = await registerUser(test.url, 'alice', 'right password');
    const second = await api<AuthResponse>(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'right password' } });
    expect((await api(test.url, 'POST', '/auth/logout', { token: alice.token })).status).toBe(204);
    expect((await api(test.url, 'GET', '/users/@me', { token: alice.token })).status).toBe(401);
    expect((await api(test.url, 'GET', '/users/@me', { token: second.body.token })).status).toBe(200);
    expect((await api(test.url, 'POST', '/auth/logout', { token: alice.token })).status).toBe(401);
  });

  it('refuses missing, unknown and wrongly prefixed tokens with 401', async () => {
    const alice = await registerUser(test.url, 'alice');
    const none = await api<ErrorBody>(test.url, 'GET', '/users/@me');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 0, message: '401: Unauthorized' });
    expect((await api(test.url, 'GET', '/users/@me', { token: 'not-a-token' })).status).toBe(401);
    expect((await api(test.url, 'GET', '/users/@me', { token: `Bot ${alice.token}` })).status).toBe(401);
  });

  it('keeps accounts and tokens across a restart on the same data directory', async () => {
    const alice = await registerUser(test.url, 'alice', 'right password');
    await test.close({ keepData: true });
    test = await startTestServer({ dataDir: test.dataDir });
    expect((await api<CurrentUser>(test.url, 'GET', '/users/@me', { token: alice.token })).body.username).toBe('alice');
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'right password' } })).status).toBe(200);
  });
});
