/**
 * Cross-cutting checks over every guild- and channel-scoped REST endpoint: a caller without a
 * token gets 401, and an authenticated non-member gets Discord's "Unknown …" 404 (never a 403
 * that would reveal the guild exists). Also: everything survives a restart on the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Channel, GuildMember, Invite, Message, Role } from '../../shared/protocol/entities.js';
import { api, createGuild, joinGuild, ownerMemberStranger, registerUser, type TestGuild, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

interface Endpoint {
  method: string;
  path: string;
  body?: unknown;
  /** The "Unknown …" code a non-member gets. */
  code: number;
}

describe('endpoint access for strangers', () => {
  let test: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let guild: TestGuild;
  let message: Message;
  let role: Role;
  let invite: Invite;

  beforeAll(async () => {
    test = await startTestServer();
    ({ owner, member, stranger, guild } = await ownerMemberStranger(test.url));
    const channel = guild.general.id;
    message = (await api<Message>(test.url, 'POST', `/channels/${channel}/messages`, { token: owner.token, body: { content: 'hi' } })).body;
    await api(test.url, 'PUT', `/channels/${channel}/messages/${message.id}/reactions/%F0%9F%91%8D/@me`, { token: owner.token });
    role = (await api<Role>(test.url, 'POST', `/guilds/${guild.guild.id}/roles`, { token: owner.token, body: { name: 'Crew' } })).body;
    invite = (await api<Invite>(test.url, 'POST', `/channels/${channel}/invites`, { token: owner.token, body: {} })).body;
  });
  afterAll(async () => {
    await test.close();
  });

  /** Every endpoint that names a guild, channel or message, with a valid body for it. */
  function endpoints(): Endpoint[] {
    const g = `/guilds/${guild.guild.id}`;
    const c = `/channels/${guild.general.id}`;
    const m = `${c}/messages/${message.id}`;
    const thumbs = '%F0%9F%91%8D';
    const [UNKNOWN_CHANNEL, UNKNOWN_GUILD] = [10003, 10004];
    return [
      { method: 'GET', path: g, code: UNKNOWN_GUILD },
      { method: 'PATCH', path: g, body: { name: 'Taken over' }, code: UNKNOWN_GUILD },
      { method: 'DELETE', path: g, code: UNKNOWN_GUILD },
      { method: 'GET', path: `${g}/channels`, code: UNKNOWN_GUILD },
      { method: 'POST', path: `${g}/channels`, body: { name: 'mine' }, code: UNKNOWN_GUILD },
      { method: 'PATCH', path: `${g}/channels`, body: [{ id: guild.general.id, position: 3 }], code: UNKNOWN_GUILD },
      { method: 'GET', path: `${g}/members`, code: UNKNOWN_GUILD },
      { method: 'GET', path: `${g}/members/${owner.id}`, code: UNKNOWN_GUILD },
      { method: 'PATCH', path: `${g}/members/@me`, body: { nick: 'x' }, code: UNKNOWN_GUILD },
      { method: 'PATCH', path: `${g}/members/${member.id}`, body: { nick: 'x' }, code: UNKNOWN_GUILD },
      { method: 'PUT', path: `${g}/members/${member.id}/roles/${role.id}`, code: UNKNOWN_GUILD },
      { method: 'DELETE', path: `${g}/members/${member.id}/roles/${role.id}`, code: UNKNOWN_GUILD },
      { method: 'DELETE', path: `${g}/members/${member.id}`, code: UNKNOWN_GUILD },
      { method: 'GET', path: `${g}/roles`, code: UNKNOWN_GUILD },
      { method: 'GET', path: `${g}/roles/${role.id}`, code: UNKNOWN_GUILD },
      { method: 'POST', path: `${g}/roles`, body: { name: 'Mine' }, code: UNKNOWN_GUILD },
      { method: 'PATCH', path: `${g}/roles`, body: [{ id: role.id, position: 1 }], code: UNKNOWN_GUILD },
      { method: 'PATCH', path: `${g}/roles/${role.id}`, body: { name: 'Mine' }, code: UNKNOWN_GUILD },
      { method: 'DELETE', path: `${g}/roles/${role.id}`, code: UNKNOWN_GUILD },
      { method: 'GET', path: `${g}/invites`, code: UNKNOWN_GUILD },
      { method: 'DELETE', path: `/users/@me/guilds/${guild.guild.id}`, code: UNKNOWN_GUILD },
      { method: 'GET', path: c, code: UNKNOWN_CHANNEL },
      { method: 'PATCH', path: c, body: { name: 'mine' }, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: c, code: UNKNOWN_CHANNEL },
      { method: 'PUT', path: `${c}/permissions/${stranger.id}`, body: { type: 1, allow: '1024', deny: '0' }, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: `${c}/permissions/${guild.guild.id}`, code: UNKNOWN_CHANNEL },
      { method: 'POST', path: `${c}/invites`, body: {}, code: UNKNOWN_CHANNEL },
      { method: 'GET', path: `${c}/invites`, code: UNKNOWN_CHANNEL },
      { method: 'GET', path: `${c}/messages`, code: UNKNOWN_CHANNEL },
      { method: 'POST', path: `${c}/messages`, body: { content: 'hello?' }, code: UNKNOWN_CHANNEL },
      { method: 'POST', path: `${c}/messages/bulk-delete`, body: { messages: [message.id, message.id] }, code: UNKNOWN_CHANNEL },
      { method: 'POST', path: `${c}/typing`, code: UNKNOWN_CHANNEL },
      { method: 'GET', path: m, code: UNKNOWN_CHANNEL },
      { method: 'PATCH', path: m, body: { content: 'edited' }, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: m, code: UNKNOWN_CHANNEL },
      { method: 'POST', path: `${m}/ack`, body: {}, code: UNKNOWN_CHANNEL },
      { method: 'PUT', path: `${m}/reactions/${thumbs}/@me`, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: `${m}/reactions/${thumbs}/@me`, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: `${m}/reactions/${thumbs}/${owner.id}`, code: UNKNOWN_CHANNEL },
      { method: 'GET', path: `${m}/reactions/${thumbs}`, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: `${m}/reactions/${thumbs}`, code: UNKNOWN_CHANNEL },
      { method: 'DELETE', path: `${m}/reactions`, code: UNKNOWN_CHANNEL },
    ];
  }

  it('answers a non-member with the Unknown code of the guild or channel on every endpoint', async () => {
    const answers: string[] = [];
    const expected: string[] = [];
    for (const endpoint of endpoints()) {
      const response = await api<ErrorBody>(test.url, endpoint.method, endpoint.path, { token: stranger.token, body: endpoint.body });
      answers.push(`${endpoint.method} ${endpoint.path} → ${response.status} ${response.body?.code}`);
      expected.push(`${endpoint.method} ${endpoint.path} → 404 ${endpoint.code}`);
    }
    expect(answers).toEqual(expected);
  });

  it('answers every endpoint without a token with 401 and code 0', async () => {
    const answers: string[] = [];
    for (const endpoint of [...endpoints(), { method: 'GET', path: '/users/@me' }, { method: 'GET', path: '/users/@me/guilds' }]) {
      const response = await api<ErrorBody>(test.url, endpoint.method, endpoint.path, { body: 'body' in endpoint ? endpoint.body : undefined });
      answers.push(`${endpoint.method} ${endpoint.path} → ${response.status} ${response.body?.code}`);
    }
    expect(answers.filter((answer) => !answer.endsWith('→ 401 0'))).toEqual([]);
  });

  it('changed nothing for the members while strangers knocked', async () => {
    const channels = (await api<Channel[]>(test.url, 'GET', `/guilds/${guild.guild.id}/channels`, { token: owner.token })).body;
    expect(channels.map((channel) => channel.name).sort()).toEqual(['General', 'Text Channels', 'Voice Channels', 'general']);
    const messages = (await api<Message[]>(test.url, 'GET', `/channels/${guild.general.id}/messages`, { token: member.token })).body;
    expect(messages.map((m) => [m.content, m.reactions?.[0]?.count])).toEqual([['hi', 1]]);
    const roles = (await api<Role[]>(test.url, 'GET', `/guilds/${guild.guild.id}/roles`, { token: owner.token })).body;
    expect(roles.map((r) => r.name)).toEqual(['@everyone', 'Crew']);
    expect((await api(test.url, 'GET', `/invites/${invite.code}`)).status).toBe(200);
  });
});

describe('restarting on the same data directory', () => {
  it('keeps profiles, roles, member roles, overwrites, invites, read states and reactions', async () => {
    let test = await startTestServer();
    try {
      const owner = await registerUser(test.url, 'keeper');
      const member = await registerUser(test.url, 'visitor');
      const { guild, general } = await createGuild(test.url, owner, 'Keepsake');
      await joinGuild(test.url, owner, general.id, member);
      await api(test.url, 'PATCH', '/users/@me', { token: member.token, body: { global_name: 'Visiting Vera' } });
      const role = (await api<Role>(test.url, 'POST', `/guilds/${guild.id}/roles`, {
        token: owner.token, body: { name: 'Regulars', permissions: Permission.MANAGE_MESSAGES.toString(), color: 0x2ecc71 },
      })).body;
      await api(test.url, 'PUT', `/guilds/${guild.id}/members/${member.id}/roles/${role.id}`, { token: owner.token });
      await api(test.url, 'PUT', `/channels/${general.id}/permissions/${role.id}`, {
        token: owner.token, body: { type: 0, allow: Permission.ATTACH_FILES.toString(), deny: Permission.ADD_REACTIONS.toString() },
      });
      const invite = (await api<Invite>(test.url, 'POST', `/channels/${general.id}/invites`, { token: owner.token, body: { max_uses: 5, max_age: 600 } })).body;
      const sent = (await api<Message>(test.url, 'POST', `/channels/${general.id}/messages`, { token: owner.token, body: { content: `hey <@${member.id}>` } })).body;
      await api(test.url, 'PUT', `/channels/${general.id}/messages/${sent.id}/reactions/%E2%9C%85/@me`, { token: owner.token });

      await test.close({ keepData: true });
      test = await startTestServer({ dataDir: test.dataDir });

      expect((await api<{ global_name: string }>(test.url, 'GET', '/users/@me', { token: member.token })).body.global_name).toBe('Visiting Vera');
      const roles = (await api<Role[]>(test.url, 'GET', `/guilds/${guild.id}/roles`, { token: member.token })).body;
      expect(roles.find((r) => r.id === role.id)).toMatchObject({ name: 'Regulars', permissions: Permission.MANAGE_MESSAGES.toString(), color: 0x2ecc71 });
      expect((await api<GuildMember>(test.url, 'GET', `/guilds/${guild.id}/members/${member.id}`, { token: owner.token })).body.roles).toEqual([role.id]);
      const channel = (await api<Channel>(test.url, 'GET', `/channels/${general.id}`, { token: member.token })).body;
      expect(channel.permission_overwrites).toContainEqual({
        id: role.id, type: 0, allow: Permission.ATTACH_FILES.toString(), deny: Permission.ADD_REACTIONS.toString(),
      });
      const invites = (await api<(Invite & { uses: number; max_uses: number; max_age: number })[]>(test.url, 'GET', `/guilds/${guild.id}/invites`, { token: owner.token })).body;
      expect(invites.find((i) => i.code === invite.code)).toMatchObject({ max_uses: 5, max_age: 600 });
      const page = (await api<Message[]>(test.url, 'GET', `/channels/${general.id}/messages`, { token: member.token })).body;
      expect(page.map((m) => [m.id, m.mentions.map((u) => u.id), m.reactions?.map((r) => [r.emoji.name, r.count])])).toEqual([
        [sent.id, [member.id], [['✅', 1]]],
      ]);
      const states = await test.server.context.store.getReadStates(member.id);
      expect(states.find((s) => s.channelId === general.id)).toMatchObject({ mentionCount: 1 });
    } finally {
      await test.close();
    }
  });
});
