import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody, RateLimitBody } from '../../shared/errors.js';
import type { CurrentUser } from '../../shared/protocol/entities.js';
import type { AuthResponse } from '../../shared/protocol/rest.js';
import { hashToken } from '../domain/auth.js';
import { api, registerUser } from '../test-support/api.js';
import { guessPasswords, passwordHashCount, startTestServer, TEST_PASSWORD_COST, type TestServer } from '../test-support/server.js';
import { DEVICE_HEADER } from './device-tokens.js';
import { ACCOUNT_ATTEMPTS } from './password-checks.js';

type Login = AuthResponse & ErrorBody & RateLimitBody;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    expect(hashA).toMatch(new RegExp(`^scrypt\\$${TEST_PASSWORD_COST.N}\\$8\\$1\\$[\\w-]+\\$[\\w-]+$`));
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

  const login = (body: { login: string; password: string }, headers: Record<string, string> = {}) =>
    api<Login>(test.url, 'POST', '/auth/login', { body, headers });

  it('counts each guess before hashing it: 30 parallel wrong passwords evaluate at most the allowance', async () => {
    await registerUser(test.url, 'alice', 'right password');
    const before = await passwordHashCount(test.server);
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => login({ login: 'alice', password: `wrong ${i}` })));
    expect(await passwordHashCount(test.server)).toBe(before + ACCOUNT_ATTEMPTS.free);
    expect(guesses.filter((g) => g.status === 400)).toHaveLength(ACCOUNT_ATTEMPTS.free);
    const refused = guesses.filter((g) => g.status === 429);
    expect(refused).toHaveLength(30 - ACCOUNT_ATTEMPTS.free);
    for (const guess of refused) {
      expect(guess.body.global).toBe(false);
      expect(guess.headers.get('retry-after')).not.toBeNull();
    }
  });

  it('holds 200 parallel guesses from 200 addresses to the same allowance', async () => {
    await registerUser(test.url, 'alice', 'right password');
    const before = await passwordHashCount(test.server);
    const guesses = await guessPasswords(test.server, 'alice', 200, 1);
    expect(await passwordHashCount(test.server)).toBe(before + ACCOUNT_ATTEMPTS.free);
    expect(guesses.filter((status) => status === 400)).toHaveLength(ACCOUNT_ATTEMPTS.free);
    expect(guesses.filter((status) => status === 429)).toHaveLength(200 - ACCOUNT_ATTEMPTS.free);
  });

  it('lets the owner sign in from a known device while the account is throttled for everyone else', async () => {
    const alice = await api<AuthResponse>(test.url, 'POST', '/auth/register', { body: { username: 'alice', password: 'right password' } });
    const device = alice.body.device_token;
    expect(device).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
    const bob = await api<AuthResponse>(test.url, 'POST', '/auth/register', { body: { username: 'bobby', password: 'right password' } });
    // The attacker guesses from elsewhere.
    await guessPasswords(test.server, 'alice', 30, 2);
    expect((await login({ login: 'alice', password: 'right password' })).status).toBe(429);
    // Someone else's device token, or a forged one, is no way around it.
    expect((await login({ login: 'alice', password: 'right password' }, { [DEVICE_HEADER]: bob.body.device_token })).status).toBe(429);
    expect((await login({ login: 'alice', password: 'right password' }, { [DEVICE_HEADER]: `${device.slice(0, 23)}${'A'.repeat(43)}` })).status).toBe(429);
    const owner = await login({ login: 'alice', password: 'right password' }, { [DEVICE_HEADER]: device });
    expect(owner.status).toBe(200);
    expect(owner.body.user_id).toBe(alice.body.user_id);
    // The device keeps its own count: guesses on it are limited too, without touching the account's.
    const onDevice = await Promise.all(Array.from({ length: 10 }, () => login({ login: 'alice', password: 'wrong again' }, { [DEVICE_HEADER]: owner.body.device_token })));
    expect(onDevice.filter((g) => g.status === 400)).toHaveLength(ACCOUNT_ATTEMPTS.free);
  });

  it('asks for a short wait that doubles with each further guess, never a flat lockout', async () => {
    await registerUser(test.url, 'alice', 'right password');
    for (let i = 0; i < ACCOUNT_ATTEMPTS.free; i += 1) expect((await login({ login: 'alice', password: `wrong ${i}` })).status).toBe(400);
    /** The owner's sign-in is refused with a wait within these bounds (seconds); resolves once it has passed. */
    const refusedFor = async (atLeast: number, atMost: number) => {
      const refused = await login({ login: 'alice', password: 'right password' });
      expect(refused.status).toBe(429);
      expect(refused.body.retry_after).toBeGreaterThan(atLeast);
      expect(refused.body.retry_after).toBeLessThanOrEqual(atMost);
      await sleep(refused.body.retry_after * 1000 + 20);
    };
    await refusedFor(0, 1);
    expect((await login({ login: 'alice', password: 'wrong again' })).status).toBe(400);
    await refusedFor(1, 2);
    // After the wait the owner signs in, and that resets the count.
    expect((await login({ login: 'alice', password: 'right password' })).status).toBe(200);
    expect((await login({ login: 'alice', password: 'wrong once more' })).status).toBe(400);
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
