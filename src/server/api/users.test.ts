import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import type { CurrentUser, User } from '../../shared/protocol/entities.js';
import type { HearthEvent } from '../bus/events.js';
import { api, createGuild, joinGuild, registerUser, type TestUser } from '../test-support/api.js';
import { guessPasswords, passwordHashCount, startTestServer, type TestServer } from '../test-support/server.js';
import type { AuthResponse } from '../../shared/protocol/rest.js';
import { DEVICE_HEADER } from './device-tokens.js';
import { ACCOUNT_ATTEMPTS } from './password-checks.js';

/** A 1×1 PNG and a minimal GIF. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const GIF_1X1 = 'R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=';

describe('REST users', () => {
  let test: TestServer;
  let alice: TestUser;
  let events: HearthEvent[];
  beforeEach(async () => {
    test = await startTestServer();
    alice = await registerUser(test.url, 'alice', 'alice password');
    events = [];
    test.server.context.events.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await test.close();
  });

  const patchMe = (body: unknown, token = alice.token) =>
    api<CurrentUser & ErrorBody & { token?: string; device_token?: string }>(test.url, 'PATCH', '/users/@me', { token, body });

  it('changes the display name and tells the user and their guilds', async () => {
    const owner = await registerUser(test.url, 'owner');
    const { general } = await createGuild(test.url, owner);
    await joinGuild(test.url, owner, general.id, alice);
    const changed = await patchMe({ global_name: 'Alice Liddell' });
    expect(changed.status).toBe(200);
    expect(changed.body.global_name).toBe('Alice Liddell');
    expect(events.find((e) => e.t === 'USER_UPDATE')?.audience).toEqual({ kind: 'users', userIds: [alice.id] });
    expect(events.some((e) => e.t === 'GUILD_MEMBER_UPDATE' && e.d.user.global_name === 'Alice Liddell')).toBe(true);
    expect((await patchMe({ global_name: null })).body.global_name).toBeNull();
    expect((await patchMe({ global_name: 'x'.repeat(33) })).body.code).toBe(50035);
  });

  it('uploads an avatar as a data URI and serves it with its content type; replacing removes the old file', async () => {
    const first = await patchMe({ avatar: `data:image/png;base64,${PNG_1X1}` });
    expect(first.body.avatar).toMatch(/^[0-9a-f]{32}$/);
    const served = await fetch(`${test.url}/avatars/${alice.id}/${first.body.avatar}.png`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const second = await patchMe({ avatar: `data:image/gif;base64,${GIF_1X1}` });
    expect(second.body.avatar).toMatch(/^a_[0-9a-f]{32}$/);
    const gif = await fetch(`${test.url}/avatars/${alice.id}/${second.body.avatar}.png`);
    expect(gif.headers.get('content-type')).toBe('image/gif');
    expect(fs.existsSync(path.join(test.dataDir, 'avatars', alice.id, first.body.avatar as string))).toBe(false);
    expect((await fetch(`${test.url}/avatars/${alice.id}/${first.body.avatar}.png`)).status).toBe(404);
    expect((await patchMe({ avatar: null })).body.avatar).toBeNull();
    expect((await fetch(`${test.url}/avatars/${alice.id}/../../hearth.db`)).status).toBe(404);
  });

  it('refuses non-image avatars and images over 8 MiB', async () => {
    const text = await patchMe({ avatar: `data:image/png;base64,${Buffer.from('plain text').toString('base64')}` });
    expect(text.body.errors?.avatar).toMatchObject({ _errors: [{ code: 'IMAGE_INVALID' }] });
    const notUri = await patchMe({ avatar: 'https://example.com/cat.png' });
    expect(notUri.body.errors?.avatar).toBeDefined();
    const huge = Buffer.concat([Buffer.from(PNG_1X1, 'base64'), Buffer.alloc(8 * 1024 * 1024)]).toString('base64');
    const big = await patchMe({ avatar: `data:image/png;base64,${huge}` });
    expect(big.status).toBe(400);
    expect(big.body.errors?.avatar).toMatchObject({ _errors: [{ code: 'IMAGE_INVALID' }] });
    expect((await api<CurrentUser>(test.url, 'GET', '/users/@me', { token: alice.token })).body.avatar).toBeNull();
  });

  it('changes the username only with the current password, keeping names unique', async () => {
    expect((await patchMe({ username: 'alicia' })).body.errors?.password).toMatchObject({ _errors: [{ code: 'PASSWORD_REQUIRED' }] });
    expect((await patchMe({ username: 'alicia', password: 'wrong password' })).body.errors?.password).toMatchObject({ _errors: [{ code: 'PASSWORD_DOES_NOT_MATCH' }] });
    await registerUser(test.url, 'bob');
    expect((await patchMe({ username: 'bob', password: 'alice password' })).body.errors?.username).toMatchObject({ _errors: [{ code: 'USERNAME_ALREADY_TAKEN' }] });
    const renamed = await patchMe({ username: 'alicia', password: 'alice password' });
    expect(renamed.body.username).toBe('alicia');
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alicia', password: 'alice password' } })).status).toBe(200);
  });

  it('changes the password, signing out other sessions and returning a new token', async () => {
    const changed = await patchMe({ password: 'alice password', new_password: 'brand new password' });
    expect(changed.status).toBe(200);
    expect(typeof changed.body.token).toBe('string');
    expect((await api(test.url, 'GET', '/users/@me', { token: alice.token })).status).toBe(401);
    expect((await api(test.url, 'GET', '/users/@me', { token: changed.body.token })).status).toBe(200);
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'brand new password' } })).status).toBe(200);
  });

  it('checks the current password under attempt limits: parallel wrong guesses evaluate at most the allowance', async () => {
    const before = await passwordHashCount(test.server);
    const guesses = await Promise.all(Array.from({ length: 10 }, (_, i) => patchMe({ username: 'mallory', password: `wrong ${i}` })));
    expect(await passwordHashCount(test.server)).toBe(before + ACCOUNT_ATTEMPTS.free);
    expect(guesses.filter((g) => g.status === 400).map((g) => g.body.errors?.password)).toEqual(
      Array.from({ length: ACCOUNT_ATTEMPTS.free }, () => ({ _errors: [{ code: 'PASSWORD_DOES_NOT_MATCH', message: 'Password does not match.' }] })),
    );
    expect(guesses.filter((g) => g.status === 429)).toHaveLength(10 - ACCOUNT_ATTEMPTS.free);
    // Signing in keeps its own count: the owner is not locked out of it.
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'alice password' } })).status).toBe(200);
  });

  it('gives a new device token with a new password; the old one no longer counts as known', async () => {
    const first = await api<AuthResponse>(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'alice password' } });
    const changed = await patchMe({ password: 'alice password', new_password: 'brand new password' }, first.body.token);
    expect(changed.body.device_token).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
    await guessPasswords(test.server, 'alice', 10, 3);
    const signIn = (device: string) => api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'brand new password' }, headers: { [DEVICE_HEADER]: device } });
    expect((await signIn(first.body.device_token)).status).toBe(429);
    expect((await signIn(changed.body.device_token as string)).status).toBe(200);
  });

  it('gets another user by ID, or 10013 Unknown User', async () => {
    const bob = await registerUser(test.url, 'bob');
    const got = await api<User>(test.url, 'GET', `/users/${bob.id}`, { token: alice.token });
    expect(got.body).toEqual({ id: bob.id, username: 'bob', discriminator: '0', global_name: null, avatar: null, public_flags: 0 });
    expect((await api<ErrorBody>(test.url, 'GET', '/users/123', { token: alice.token })).body).toEqual({ code: 10013, message: 'Unknown User' });
    expect((await api(test.url, 'GET', `/users/${bob.id}`)).status).toBe(401);
  });
});
