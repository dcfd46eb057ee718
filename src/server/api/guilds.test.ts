import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../shared/permissions.js';
import type { Channel, Guild } from '../../shared/protocol/entities.js';
import type { PartialGuild } from '../../shared/protocol/rest.js';
import type { HearthEvent } from '../bus/events.js';
import { api, createGuild, joinGuild, registerUser, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

/** A 1×1 transparent PNG. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('REST guilds', () => {
  let test: TestServer;
  let owner: TestUser;
  let other: TestUser;
  let events: HearthEvent[];
  beforeEach(async () => {
    test = await startTestServer();
    owner = await registerUser(test.url, 'owner');
    other = await registerUser(test.url, 'other');
    events = [];
    test.server.context.events.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await test.close();
  });

  it('creates a guild with the creator as owner, @everyone and the starter channels', async () => {
    const created = await api<Guild>(test.url, 'POST', '/guilds', { token: owner.token, body: { name: 'My Guild' } });
    expect(created.status).toBe(201);
    const guild = created.body;
    expect(guild).toMatchObject({ name: 'My Guild', owner_id: owner.id, icon: null });
    expect(guild.roles).toEqual([expect.objectContaining({ id: guild.id, name: '@everyone', position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS.toString() })]);
    const channels = (await api<Channel[]>(test.url, 'GET', `/guilds/${guild.id}/channels`, { token: owner.token })).body;
    const text = channels.find((c) => c.name === 'Text Channels');
    const voiceCategory = channels.find((c) => c.name === 'Voice Channels');
    expect(text?.type).toBe(4);
    expect(voiceCategory?.type).toBe(4);
    expect(channels.find((c) => c.name === 'general')).toMatchObject({ type: 0, parent_id: text?.id });
    expect(channels.find((c) => c.name === 'General')).toMatchObject({ type: 2, parent_id: voiceCategory?.id, bitrate: 64000, user_limit: 0 });
    const create = events.find((e) => e.t === 'GUILD_CREATE');
    expect(create?.audience).toEqual({ kind: 'users', userIds: [owner.id] });
    expect(create?.t === 'GUILD_CREATE' && create.d.members.map((m) => m.user.id)).toEqual([owner.id]);
  });

  it('refuses a guild name that is too short and creation without a token', async () => {
    const bad = await api<ErrorBody>(test.url, 'POST', '/guilds', { token: owner.token, body: { name: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.name).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MIN_LENGTH' }] });
    expect((await api(test.url, 'POST', '/guilds', { body: { name: 'Fine name' } })).status).toBe(401);
  });

  it('gets a guild for members (with counts on request) and 10004 for everyone else', async () => {
    const { guild } = await createGuild(test.url, owner);
    const got = await api<Guild>(test.url, 'GET', `/guilds/${guild.id}?with_counts=true`, { token: owner.token });
    expect(got.body).toMatchObject({ id: guild.id, approximate_member_count: 1 });
    const stranger = await api<ErrorBody>(test.url, 'GET', `/guilds/${guild.id}`, { token: other.token });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ code: 10004, message: 'Unknown Guild' });
    expect((await api<ErrorBody>(test.url, 'GET', '/guilds/12345', { token: owner.token })).body.code).toBe(10004);
  });

  it('modifies name and icon with MANAGE_GUILD, serves the icon, and refuses plain members', async () => {
    const { guild, general } = await createGuild(test.url, owner);
    await joinGuild(test.url, owner, general.id, other);
    const updated = await api<Guild>(test.url, 'PATCH', `/guilds/${guild.id}`, {
      token: owner.token, body: { name: 'Renamed', icon: `data:image/png;base64,${PNG_1X1}` },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('Renamed');
    expect(updated.body.icon).toMatch(/^[0-9a-f]{32}$/);
    const icon = await fetch(`${test.url}/icons/${guild.id}/${updated.body.icon}.png`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer())).toEqual(Buffer.from(PNG_1X1, 'base64'));
    expect(events.some((e) => e.t === 'GUILD_UPDATE' && e.d.name === 'Renamed')).toBe(true);
    const denied = await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.id}`, { token: other.token, body: { name: 'Mine now' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe(50013);
  });

  it('refuses an icon that is not an image', async () => {
    const { guild } = await createGuild(test.url, owner);
    const text = Buffer.from('hello, not an image').toString('base64');
    const bad = await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.id}`, { token: owner.token, body: { icon: `data:image/png;base64,${text}` } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.icon).toMatchObject({ _errors: [{ code: 'IMAGE_INVALID' }] });
    const svg = await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.id}`, { token: owner.token, body: { icon: `data:image/svg+xml;base64,${text}` } });
    expect(svg.body.code).toBe(50035);
  });

  it('transfers ownership only by the owner and only to a member', async () => {
    const { guild, general } = await createGuild(test.url, owner);
    const notMember = await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.id}`, { token: owner.token, body: { owner_id: other.id } });
    expect(notMember.body.errors?.owner_id).toBeDefined();
    await joinGuild(test.url, owner, general.id, other);
    const moved = await api<Guild>(test.url, 'PATCH', `/guilds/${guild.id}`, { token: owner.token, body: { owner_id: other.id } });
    expect(moved.body.owner_id).toBe(other.id);
    expect((await api(test.url, 'DELETE', `/guilds/${guild.id}`, { token: owner.token })).status).toBe(403);
  });

  it('deletes a guild by its owner only, telling every member', async () => {
    const { guild, general } = await createGuild(test.url, owner);
    await joinGuild(test.url, owner, general.id, other);
    expect((await api(test.url, 'DELETE', `/guilds/${guild.id}`, { token: other.token })).status).toBe(403);
    expect((await api(test.url, 'DELETE', `/guilds/${guild.id}`, { token: owner.token })).status).toBe(204);
    expect((await api(test.url, 'GET', `/guilds/${guild.id}`, { token: owner.token })).status).toBe(404);
    expect((await api(test.url, 'GET', `/channels/${general.id}`, { token: owner.token })).status).toBe(404);
    const deleted = events.find((e) => e.t === 'GUILD_DELETE');
    expect(deleted?.audience.kind === 'users' && [...deleted.audience.userIds].sort()).toEqual([owner.id, other.id].sort());
  });

  it('lists my guilds with my permissions, paged by ID', async () => {
    const first = await createGuild(test.url, owner, 'First');
    const second = await createGuild(test.url, other, 'Second');
    await joinGuild(test.url, other, second.general.id, owner);
    const mine = await api<PartialGuild[]>(test.url, 'GET', '/users/@me/guilds', { token: owner.token });
    expect(mine.body.map((g) => g.name)).toEqual(['First', 'Second']);
    expect(mine.body[0]).toMatchObject({ owner: true, id: first.guild.id });
    expect(mine.body[1]).toMatchObject({ owner: false, permissions: DEFAULT_EVERYONE_PERMISSIONS.toString() });
    const after = await api<PartialGuild[]>(test.url, 'GET', `/users/@me/guilds?after=${first.guild.id}&with_counts=true`, { token: owner.token });
    expect(after.body).toEqual([expect.objectContaining({ id: second.guild.id, approximate_member_count: 2 })]);
    expect((await api<ErrorBody>(test.url, 'GET', '/users/@me/guilds?limit=0', { token: owner.token })).body.code).toBe(50035);
  });

  it('lets a member leave, but not the owner', async () => {
    const { guild, general } = await createGuild(test.url, owner);
    await joinGuild(test.url, owner, general.id, other);
    expect((await api(test.url, 'DELETE', `/users/@me/guilds/${guild.id}`, { token: other.token })).status).toBe(204);
    expect((await api(test.url, 'GET', `/guilds/${guild.id}`, { token: other.token })).status).toBe(404);
    expect(events.some((e) => e.t === 'GUILD_MEMBER_REMOVE' && e.d.user.id === other.id)).toBe(true);
    expect(events.some((e) => e.t === 'GUILD_DELETE' && e.audience.kind === 'users' && e.audience.userIds.includes(other.id))).toBe(true);
    const ownerLeaves = await api<ErrorBody>(test.url, 'DELETE', `/users/@me/guilds/${guild.id}`, { token: owner.token });
    expect(ownerLeaves.status).toBe(400);
    expect((await api(test.url, 'DELETE', `/users/@me/guilds/${guild.id}`, { token: other.token })).status).toBe(404);
  });

  it('keeps guilds, channels and members across a restart', async () => {
    const { guild, general } = await createGuild(test.url, owner, 'Durable');
    await joinGuild(test.url, owner, general.id, other);
    await test.close({ keepData: true });
    test = await startTestServer({ dataDir: test.dataDir });
    expect((await api<Guild>(test.url, 'GET', `/guilds/${guild.id}`, { token: other.token })).body.name).toBe('Durable');
    expect((await api<Channel>(test.url, 'GET', `/channels/${general.id}`, { token: other.token })).body.name).toBe('general');
  });
});
