import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { GuildMember, Role } from '../../shared/protocol/entities.js';
import type { HearthEvent } from '../bus/events.js';
import { api, createGuild, joinGuild, registerUser, type TestGuild, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe('REST members', () => {
  let test: TestServer;
  let owner: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let guild: TestGuild;
  let base: string;
  let events: HearthEvent[];

  beforeEach(async () => {
    test = await startTestServer();
    owner = await registerUser(test.url, 'owner');
    alice = await registerUser(test.url, 'alice');
    bob = await registerUser(test.url, 'bob');
    guild = await createGuild(test.url, owner);
    base = `/guilds/${guild.guild.id}`;
    await joinGuild(test.url, owner, guild.general.id, alice);
    await joinGuild(test.url, owner, guild.general.id, bob);
    events = [];
    test.server.context.events.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await test.close();
  });

  const role = async (name: string, permissions: bigint) =>
    (await api<Role>(test.url, 'POST', `${base}/roles`, { token: owner.token, body: { name, permissions: permissions.toString() } })).body;

  it('lists members by user ID with after and limit (default 1, max 1000)', async () => {
    const ids = [owner.id, alice.id, bob.id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const one = await api<GuildMember[]>(test.url, 'GET', `${base}/members`, { token: alice.token });
    expect(one.body.map((m) => m.user.id)).toEqual([ids[0]]);
    const page = await api<GuildMember[]>(test.url, 'GET', `${base}/members?limit=10&after=${ids[0]}`, { token: alice.token });
    expect(page.body.map((m) => m.user.id)).toEqual(ids.slice(1));
    expect(page.body[0]).toMatchObject({ nick: null, roles: [], deaf: false, mute: false, pending: false });
    expect(page.body[0]?.joined_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await api<ErrorBody>(test.url, 'GET', `${base}/members?limit=1001`, { token: alice.token })).body.code).toBe(50035);
    const outsider = await registerUser(test.url, 'outsider');
    expect((await api<ErrorBody>(test.url, 'GET', `${base}/members`, { token: outsider.token })).body.code).toBe(10004);
  });

  it('gets one member, or 10007 Unknown Member', async () => {
    const got = await api<GuildMember>(test.url, 'GET', `${base}/members/${alice.id}`, { token: bob.token });
    expect(got.body.user).toMatchObject({ id: alice.id, username: 'alice' });
    const outsider = await registerUser(test.url, 'outsider');
    expect((await api<ErrorBody>(test.url, 'GET', `${base}/members/${outsider.id}`, { token: bob.token })).body).toEqual({ code: 10007, message: 'Unknown Member' });
  });

  it('changes nicknames: own with CHANGE_NICKNAME, others with MANAGE_NICKNAMES', async () => {
    const own = await api<GuildMember>(test.url, 'PATCH', `${base}/members/@me`, { token: alice.token, body: { nick: 'Ali' } });
    expect(own.body.nick).toBe('Ali');
    expect(events.some((e) => e.t === 'GUILD_MEMBER_UPDATE' && e.d.user.id === alice.id && e.d.nick === 'Ali')).toBe(true);
    expect((await api<ErrorBody>(test.url, 'PATCH', `${base}/members/${bob.id}`, { token: alice.token, body: { nick: 'Bobo' } })).body.code).toBe(50013);
    const byOwner = await api<GuildMember>(test.url, 'PATCH', `${base}/members/${bob.id}`, { token: owner.token, body: { nick: 'Bobo' } });
    expect(byOwner.body.nick).toBe('Bobo');
    expect((await api<GuildMember>(test.url, 'PATCH', `${base}/members/${bob.id}`, { token: owner.token, body: { nick: null } })).body.nick).toBeNull();
    const tooLong = await api<ErrorBody>(test.url, 'PATCH', `${base}/members/@me`, { token: alice.token, body: { nick: 'x'.repeat(33) } });
    expect(tooLong.body.errors?.nick).toBeDefined();
  });

  it('sets roles as a whole and one by one, refusing unknown roles', async () => {
    const red = await role('red', 0n);
    const blue = await role('blue', 0n);
    const set = await api<GuildMember>(test.url, 'PATCH', `${base}/members/${alice.id}`, { token: owner.token, body: { roles: [red.id, blue.id] } });
    expect([...set.body.roles].sort()).toEqual([red.id, blue.id].sort());
    expect((await api(test.url, 'DELETE', `${base}/members/${alice.id}/roles/${red.id}`, { token: owner.token })).status).toBe(204);
    expect((await api<GuildMember>(test.url, 'GET', `${base}/members/${alice.id}`, { token: owner.token })).body.roles).toEqual([blue.id]);
    const unknown = await api<ErrorBody>(test.url, 'PATCH', `${base}/members/${alice.id}`, { token: owner.token, body: { roles: ['123'] } });
    expect(unknown.body.errors?.roles).toBeDefined();
    expect((await api<ErrorBody>(test.url, 'PUT', `${base}/members/${alice.id}/roles/123`, { token: owner.token })).body.code).toBe(10011);
    expect((await api<ErrorBody>(test.url, 'PUT', `${base}/members/${alice.id}/roles/${red.id}`, { token: bob.token })).body.code).toBe(50013);
  });

  it('server-mutes and deafens only with MUTE_MEMBERS / DEAFEN_MEMBERS', async () => {
    expect((await api<ErrorBody>(test.url, 'PATCH', `${base}/members/${bob.id}`, { token: alice.token, body: { mute: true } })).body.code).toBe(50013);
    const muted = await api<GuildMember>(test.url, 'PATCH', `${base}/members/${bob.id}`, { token: owner.token, body: { mute: true, deaf: true } });
    expect(muted.body).toMatchObject({ mute: true, deaf: true });
  });

  it('kicks with KICK_MEMBERS above the target, never the owner', async () => {
    const kicker = await role('kicker', Permission.KICK_MEMBERS);
    await api(test.url, 'PUT', `${base}/members/${alice.id}/roles/${kicker.id}`, { token: owner.token });
    expect((await api<ErrorBody>(test.url, 'DELETE', `${base}/members/${alice.id}`, { token: bob.token })).body.code).toBe(50013);
    expect((await api<ErrorBody>(test.url, 'DELETE', `${base}/members/${owner.id}`, { token: alice.token })).body.code).toBe(50013);
    expect((await api(test.url, 'DELETE', `${base}/members/${bob.id}`, { token: alice.token })).status).toBe(204);
    expect((await api(test.url, 'GET', `/guilds/${guild.guild.id}`, { token: bob.token })).status).toBe(404);
    expect(events.some((e) => e.t === 'GUILD_MEMBER_REMOVE' && e.d.user.id === bob.id && e.audience.kind === 'guild')).toBe(true);
    expect(events.some((e) => e.t === 'GUILD_DELETE' && e.audience.kind === 'users' && e.audience.userIds.includes(bob.id))).toBe(true);
    expect((await api<ErrorBody>(test.url, 'DELETE', `${base}/members/${bob.id}`, { token: alice.token })).body.code).toBe(10007);
  });

  it('refuses a kick by someone whose highest role is not above the target\'s', async () => {
    const kicker = await role('kicker', Permission.KICK_MEMBERS);
    await api(test.url, 'PUT', `${base}/members/${alice.id}/roles/${kicker.id}`, { token: owner.token });
    await api(test.url, 'PUT', `${base}/members/${bob.id}/roles/${kicker.id}`, { token: owner.token });
    expect((await api<ErrorBody>(test.url, 'DELETE', `${base}/members/${bob.id}`, { token: alice.token })).body.code).toBe(50013);
  });
});
