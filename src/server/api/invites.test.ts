import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Invite } from '../../shared/protocol/entities.js';
import type { InviteWithMetadata } from '../../shared/protocol/rest.js';
import type { HearthEvent } from '../bus/events.js';
import { api, createGuild, registerUser, type TestGuild, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe('REST invites', () => {
  let test: TestServer;
  let owner: TestUser;
  let guest: TestUser;
  let guild: TestGuild;
  let events: HearthEvent[];

  const createInvite = (token: string, body: unknown = {}) =>
    api<InviteWithMetadata & ErrorBody>(test.url, 'POST', `/channels/${guild.general.id}/invites`, { token, body });

  beforeEach(async () => {
    test = await startTestServer();
    owner = await registerUser(test.url, 'owner');
    guest = await registerUser(test.url, 'guest');
    guild = await createGuild(test.url, owner, 'Invite Guild');
    events = [];
    test.server.context.events.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await test.close();
  });

  it('creates an invite with Discord\'s defaults and metadata', async () => {
    const created = await createInvite(owner.token);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      type: 0, uses: 0, max_uses: 0, max_age: 86400, temporary: false,
      guild: { id: guild.guild.id, name: 'Invite Guild' }, channel: { id: guild.general.id, name: 'general', type: 0 },
      inviter: { id: owner.id, username: 'owner' },
    });
    expect(created.body.code).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(Date.parse(created.body.expires_at as string) - Date.parse(created.body.created_at)).toBe(86_400_000);
    expect(events.some((e) => e.t === 'INVITE_CREATE' && e.d.code === created.body.code)).toBe(true);
    const again = await createInvite(owner.token);
    expect(again.body.code).toBe(created.body.code);
    const unique = await createInvite(owner.token, { unique: true });
    expect(unique.body.code).not.toBe(created.body.code);
    const never = await createInvite(owner.token, { max_age: 0, max_uses: 3, unique: true });
    expect(never.body).toMatchObject({ expires_at: null, max_uses: 3 });
  });

  it('validates invite bodies and requires membership', async () => {
    const bad = await createInvite(owner.token, { max_age: 700_000, max_uses: -1 });
    expect(bad.body.code).toBe(50035);
    expect(bad.body.errors?.max_age).toBeDefined();
    expect(bad.body.errors?.max_uses).toBeDefined();
    const temporary = await createInvite(owner.token, { temporary: true });
    expect(temporary.body.errors?.temporary).toMatchObject({ _errors: [{ code: 'BASE_TYPE_INVALID' }] });
    expect((await createInvite(guest.token)).body.code).toBe(10003);
  });

  it('looks an invite up without joining and without an account', async () => {
    const { code } = (await createInvite(owner.token)).body;
    const looked = await api<Invite>(test.url, 'GET', `/invites/${code}?with_counts=true`);
    expect(looked.status).toBe(200);
    expect(looked.body).toMatchObject({ code, guild: { name: 'Invite Guild' }, approximate_member_count: 1 });
    expect((looked.body as Partial<InviteWithMetadata>).uses).toBeUndefined();
    expect((await api<ErrorBody>(test.url, 'GET', '/invites/nope1234')).body).toEqual({ code: 10006, message: 'Unknown Invite' });
    expect((await api(test.url, 'GET', `/guilds/${guild.guild.id}`, { token: guest.token })).status).toBe(404);
  });

  it('accepts an invite: joins, announces the member and sends the joiner GUILD_CREATE', async () => {
    const { code } = (await createInvite(owner.token)).body;
    const accepted = await api<Invite>(test.url, 'POST', `/invites/${code}`, { token: guest.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.guild.id).toBe(guild.guild.id);
    expect((await api(test.url, 'GET', `/guilds/${guild.guild.id}`, { token: guest.token })).status).toBe(200);
    expect(events.some((e) => e.t === 'GUILD_MEMBER_ADD' && e.d.user.id === guest.id && e.audience.kind === 'guild')).toBe(true);
    const created = events.find((e) => e.t === 'GUILD_CREATE');
    expect(created?.audience).toEqual({ kind: 'users', userIds: [guest.id] });
    expect(created?.t === 'GUILD_CREATE' && created.d.member_count).toBe(2);
    // Accepting again changes nothing and counts no use.
    expect((await api(test.url, 'POST', `/invites/${code}`, { token: guest.token })).status).toBe(200);
    const listed = await api<InviteWithMetadata[]>(test.url, 'GET', `/guilds/${guild.guild.id}/invites`, { token: owner.token });
    expect(listed.body.find((i) => i.code === code)?.uses).toBe(1);
    expect((await api(test.url, 'POST', `/invites/${code}`)).status).toBe(401);
  });

  it('refuses a used-up invite', async () => {
    const { code } = (await createInvite(owner.token, { max_uses: 1 })).body;
    expect((await api(test.url, 'POST', `/invites/${code}`, { token: guest.token })).status).toBe(200);
    const late = await registerUser(test.url, 'late');
    const refused = await api<ErrorBody>(test.url, 'POST', `/invites/${code}`, { token: late.token });
    expect(refused.body.code).toBe(10006);
    expect((await api(test.url, 'GET', `/invites/${code}`)).status).toBe(404);
  });

  it('refuses an expired invite', async () => {
    await test.server.context.store.createInvite({
      code: 'oldcode1', guildId: guild.guild.id, channelId: guild.general.id, inviterId: owner.id,
      maxAge: 60, maxUses: 0, uses: 0, temporary: false, createdAt: Date.now() - 61_000,
    });
    expect((await api<ErrorBody>(test.url, 'POST', '/invites/oldcode1', { token: guest.token })).body.code).toBe(10006);
    expect((await api(test.url, 'GET', `/guilds/${guild.guild.id}`, { token: guest.token })).status).toBe(404);
  });

  it('lists invites per channel (MANAGE_CHANNELS) and per guild (MANAGE_GUILD)', async () => {
    const { code } = (await createInvite(owner.token)).body;
    await api(test.url, 'POST', `/invites/${code}`, { token: guest.token });
    const byChannel = await api<InviteWithMetadata[]>(test.url, 'GET', `/channels/${guild.general.id}/invites`, { token: owner.token });
    expect(byChannel.body.map((i) => i.code)).toEqual([code]);
    expect((await api<ErrorBody>(test.url, 'GET', `/channels/${guild.general.id}/invites`, { token: guest.token })).body.code).toBe(50013);
    expect((await api<ErrorBody>(test.url, 'GET', `/guilds/${guild.guild.id}/invites`, { token: guest.token })).body.code).toBe(50013);
  });

  it('deletes an invite with MANAGE_CHANNELS or MANAGE_GUILD only', async () => {
    const { code } = (await createInvite(owner.token)).body;
    await api(test.url, 'POST', `/invites/${code}`, { token: guest.token });
    expect((await api<ErrorBody>(test.url, 'DELETE', `/invites/${code}`, { token: guest.token })).body.code).toBe(50013);
    const deleted = await api<Invite>(test.url, 'DELETE', `/invites/${code}`, { token: owner.token });
    expect(deleted.body.code).toBe(code);
    expect(events.some((e) => e.t === 'INVITE_DELETE' && e.d.code === code)).toBe(true);
    expect((await api(test.url, 'GET', `/invites/${code}`)).status).toBe(404);
  });

  it('requires CREATE_INSTANT_INVITE to create one', async () => {
    const { code } = (await createInvite(owner.token)).body;
    await api(test.url, 'POST', `/invites/${code}`, { token: guest.token });
    const everyone = Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES;
    await api(test.url, 'PATCH', `/guilds/${guild.guild.id}/roles/${guild.guild.id}`, { token: owner.token, body: { permissions: everyone.toString() } });
    expect((await createInvite(guest.token)).body.code).toBe(50013);
  });
});
