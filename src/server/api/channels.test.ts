import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Channel, Guild, Role } from '../../shared/protocol/entities.js';
import type { HearthEvent } from '../bus/events.js';
import { api, ownerMemberStranger, type TestGuild, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe('REST channels', () => {
  let test: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let guild: TestGuild;
  let events: HearthEvent[];
  beforeEach(async () => {
    test = await startTestServer();
    ({ owner, member, stranger, guild } = await ownerMemberStranger(test.url));
    events = [];
    test.server.context.events.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await test.close();
  });

  const create = (token: string, body: unknown) => api<Channel & ErrorBody>(test.url, 'POST', `/guilds/${guild.guild.id}/channels`, { token, body });

  it('creates text, voice and category channels with Discord fields', async () => {
    const category = await create(owner.token, { name: 'Games', type: 4 });
    expect(category.status).toBe(201);
    const text = await create(owner.token, { name: 'Off Topic', topic: 'Anything', parent_id: category.body.id });
    expect(text.body).toMatchObject({ type: 0, name: 'off-topic', topic: 'Anything', parent_id: category.body.id, guild_id: guild.guild.id, position: 0 });
    const voice = await create(owner.token, { name: 'Raid Night', type: 2, bitrate: 96000, user_limit: 5, parent_id: category.body.id });
    expect(voice.body).toMatchObject({ type: 2, name: 'Raid Night', bitrate: 96000, user_limit: 5, position: 1 });
    expect(voice.body.topic).toBeUndefined();
    expect(events.filter((e) => e.t === 'CHANNEL_CREATE')).toHaveLength(3);
  });

  it('validates channel bodies: type, bitrate, parent', async () => {
    const badType = await create(owner.token, { name: 'x', type: 5 });
    expect(badType.body.code).toBe(50035);
    expect(badType.body.errors?.type).toBeDefined();
    const badBitrate = await create(owner.token, { name: 'loud', type: 2, bitrate: 1_000_000 });
    expect(badBitrate.body.errors?.bitrate).toMatchObject({ _errors: [{ code: 'NUMBER_TYPE_MAX' }] });
    const badParent = await create(owner.token, { name: 'orphan', parent_id: guild.general.id });
    expect(badParent.body.errors?.parent_id).toMatchObject({ _errors: [{ code: 'CHANNEL_PARENT_INVALID' }] });
    const nested = await create(owner.token, { name: 'Nested', type: 4, parent_id: guild.general.parent_id });
    expect(nested.body.errors?.parent_id).toBeDefined();
  });

  it('requires MANAGE_CHANNELS to create, modify or delete; strangers get 10003/10004', async () => {
    expect((await create(member.token, { name: 'mine' })).body.code).toBe(50013);
    const patch = await api<ErrorBody>(test.url, 'PATCH', `/channels/${guild.general.id}`, { token: member.token, body: { name: 'x' } });
    expect(patch.status).toBe(403);
    expect(patch.body.code).toBe(50013);
    expect((await api<ErrorBody>(test.url, 'DELETE', `/channels/${guild.general.id}`, { token: member.token })).body.code).toBe(50013);
    expect((await api<ErrorBody>(test.url, 'GET', `/channels/${guild.general.id}`, { token: stranger.token })).body).toEqual({ code: 10003, message: 'Unknown Channel' });
    expect((await create(stranger.token, { name: 'x' })).body.code).toBe(10004);
    expect((await api<ErrorBody>(test.url, 'GET', '/channels/424242', { token: owner.token })).status).toBe(404);
  });

  it('modifies name, topic, parent and position', async () => {
    const category = await create(owner.token, { name: 'Other', type: 4 });
    const patched = await api<Channel>(test.url, 'PATCH', `/channels/${guild.general.id}`, {
      token: owner.token, body: { name: 'Lobby Chat', topic: 'Say hi', parent_id: category.body.id, position: 3 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'lobby-chat', topic: 'Say hi', parent_id: category.body.id, position: 3 });
    expect((await api<Channel>(test.url, 'GET', `/channels/${guild.general.id}`, { token: member.token })).body.topic).toBe('Say hi');
    expect(events.some((e) => e.t === 'CHANNEL_UPDATE' && e.d.id === guild.general.id)).toBe(true);
  });

  it('validates channel edits, changing nothing on refusal, and edits voice bitrate and user limit', async () => {
    const patch = (id: string, body: unknown) => api<Channel & ErrorBody>(test.url, 'PATCH', `/channels/${id}`, { token: owner.token, body });
    expect((await patch(guild.general.id, { name: '  ' })).body.errors?.name).toBeDefined();
    expect((await patch(guild.general.id, { topic: 'x'.repeat(1025) })).body.errors?.topic).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] });
    expect((await patch(guild.voice.id, { bitrate: 1_000_000 })).body.errors?.bitrate).toBeDefined();
    expect((await patch(guild.voice.id, { user_limit: 100 })).body.errors?.user_limit).toBeDefined();
    const badParent = await patch(guild.general.id, { parent_id: guild.voice.id });
    expect(badParent.body.errors?.parent_id).toMatchObject({ _errors: [{ code: 'CHANNEL_PARENT_INVALID' }] });
    expect((await patch('424242', { name: 'ghost' })).body.code).toBe(10003);
    const unchanged = (await api<Channel>(test.url, 'GET', `/channels/${guild.general.id}`, { token: owner.token })).body;
    expect(unchanged).toMatchObject({ name: 'general', parent_id: guild.general.parent_id, topic: null });
    const voice = await patch(guild.voice.id, { bitrate: 32000, user_limit: 4 });
    expect(voice.body).toMatchObject({ type: 2, bitrate: 32000, user_limit: 4 });
    expect((await api<Channel>(test.url, 'GET', `/channels/${guild.voice.id}`, { token: member.token })).body).toMatchObject({ bitrate: 32000, user_limit: 4 });
  });

  it('deletes a channel, and a category\'s children become uncategorized', async () => {
    const categoryId = guild.general.parent_id as string;
    const deleted = await api<Channel>(test.url, 'DELETE', `/channels/${categoryId}`, { token: owner.token });
    expect(deleted.body).toMatchObject({ id: categoryId, type: 4 });
    expect((await api<Channel>(test.url, 'GET', `/channels/${guild.general.id}`, { token: owner.token })).body.parent_id).toBeNull();
    expect(events.some((e) => e.t === 'CHANNEL_DELETE' && e.d.id === categoryId)).toBe(true);
    expect(events.some((e) => e.t === 'CHANNEL_UPDATE' && e.d.id === guild.general.id && e.d.parent_id === null)).toBe(true);
    expect((await api(test.url, 'DELETE', `/channels/${guild.general.id}`, { token: owner.token })).status).toBe(200);
    expect((await api(test.url, 'GET', `/channels/${guild.general.id}`, { token: owner.token })).status).toBe(404);
    expect((await api<Guild>(test.url, 'GET', `/guilds/${guild.guild.id}`, { token: owner.token })).body.system_channel_id).toBeNull();
  });

  it('reorders channels in bulk and moves them between categories', async () => {
    const voiceCategory = guild.voice.parent_id as string;
    const response = await api(test.url, 'PATCH', `/guilds/${guild.guild.id}/channels`, {
      token: owner.token, body: [{ id: guild.general.id, position: 1, parent_id: voiceCategory }, { id: guild.voice.id, position: 0 }],
    });
    expect(response.status).toBe(204);
    const channels = (await api<Channel[]>(test.url, 'GET', `/guilds/${guild.guild.id}/channels`, { token: owner.token })).body;
    expect(channels.find((c) => c.id === guild.general.id)).toMatchObject({ position: 1, parent_id: voiceCategory });
    expect(channels.find((c) => c.id === guild.voice.id)).toMatchObject({ position: 0 });
    const unknown = await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.guild.id}/channels`, { token: owner.token, body: [{ id: '1', position: 0 }] });
    expect(unknown.body.errors?.['0']).toBeDefined();
    const twice = await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.guild.id}/channels`, {
      token: owner.token, body: [{ id: guild.voice.id, position: 4 }, { id: guild.voice.id, position: 5 }],
    });
    expect(twice.body.errors?.['1']).toMatchObject({ id: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } });
    const afterRefusal = (await api<Channel>(test.url, 'GET', `/channels/${guild.voice.id}`, { token: owner.token })).body;
    expect(afterRefusal.position).toBe(0);
    expect((await api<ErrorBody>(test.url, 'PATCH', `/guilds/${guild.guild.id}/channels`, { token: member.token, body: [{ id: guild.voice.id, position: 0 }] })).body.code).toBe(50013);
  });

  it('syncs a moved channel with its category\'s overwrites when lock_permissions is set', async () => {
    const overwrite = { id: guild.guild.id, type: 0, allow: '0', deny: Permission.SEND_MESSAGES.toString() };
    const category = await create(owner.token, { name: 'Read Only', type: 4, permission_overwrites: [overwrite] });
    const response = await api(test.url, 'PATCH', `/guilds/${guild.guild.id}/channels`, {
      token: owner.token, body: [{ id: guild.general.id, parent_id: category.body.id, lock_permissions: true }],
    });
    expect(response.status).toBe(204);
    const moved = (await api<Channel>(test.url, 'GET', `/channels/${guild.general.id}`, { token: owner.token })).body;
    expect(moved).toMatchObject({ parent_id: category.body.id, permission_overwrites: [overwrite] });
    expect(events.some((e) => e.t === 'CHANNEL_UPDATE' && e.d.id === guild.general.id && e.d.permission_overwrites.length === 1)).toBe(true);
  });

  it('hides a channel with an @everyone overwrite (50001) and opens it for a role', async () => {
    const hidden = await create(owner.token, {
      name: 'staff', permission_overwrites: [{ id: guild.guild.id, type: 0, deny: Permission.VIEW_CHANNEL.toString() }],
    });
    expect(hidden.body.permission_overwrites).toEqual([{ id: guild.guild.id, type: 0, allow: '0', deny: '1024' }]);
    const denied = await api<ErrorBody>(test.url, 'GET', `/channels/${hidden.body.id}`, { token: member.token });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ code: 50001, message: 'Missing Access' });
    const role = (await api<Role>(test.url, 'POST', `/guilds/${guild.guild.id}/roles`, { token: owner.token, body: { name: 'staff' } })).body;
    const put = await api(test.url, 'PUT', `/channels/${hidden.body.id}/permissions/${role.id}`, {
      token: owner.token, body: { type: 0, allow: Permission.VIEW_CHANNEL.toString() },
    });
    expect(put.status).toBe(204);
    await api(test.url, 'PUT', `/guilds/${guild.guild.id}/members/${member.id}/roles/${role.id}`, { token: owner.token });
    expect((await api(test.url, 'GET', `/channels/${hidden.body.id}`, { token: member.token })).status).toBe(200);
    const member2 = await api(test.url, 'PUT', `/channels/${hidden.body.id}/permissions/${member.id}`, {
      token: owner.token, body: { type: 1, deny: Permission.VIEW_CHANNEL.toString() },
    });
    expect(member2.status).toBe(204);
    expect((await api<ErrorBody>(test.url, 'GET', `/channels/${hidden.body.id}`, { token: member.token })).body.code).toBe(50001);
    expect((await api(test.url, 'DELETE', `/channels/${hidden.body.id}/permissions/${member.id}`, { token: owner.token })).status).toBe(204);
    expect((await api(test.url, 'GET', `/channels/${hidden.body.id}`, { token: member.token })).status).toBe(200);
    expect((await api<ErrorBody>(test.url, 'DELETE', `/channels/${hidden.body.id}/permissions/${member.id}`, { token: owner.token })).body.code).toBe(10009);
  });

  it('refuses overwrites for unknown targets and from members without MANAGE_ROLES', async () => {
    const unknown = await api<ErrorBody>(test.url, 'PUT', `/channels/${guild.general.id}/permissions/999`, { token: owner.token, body: { type: 0, allow: '1024' } });
    expect(unknown.body.code).toBe(50035);
    const denied = await api<ErrorBody>(test.url, 'PUT', `/channels/${guild.general.id}/permissions/${guild.guild.id}`, { token: member.token, body: { type: 0, deny: '1024' } });
    expect(denied.body.code).toBe(50013);
    const badBits = await api<ErrorBody>(test.url, 'PUT', `/channels/${guild.general.id}/permissions/${guild.guild.id}`, { token: owner.token, body: { type: 0, allow: 'lots' } });
    expect(badBits.body.errors?.allow).toBeDefined();
  });
});
