/**
 * Hidden stays hidden: every route that acts on a channel refuses, with Discord's 50001 Missing
 * Access, a member and a moderator who cannot view that channel, and changes nothing. The
 * channel-scoped routes are read from the server's own route table, so a route added later
 * without a case here fails the first test instead of going unchecked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Channel, Invite, Message, Role } from '../../shared/protocol/entities.js';
import { api, registerUser, type TestUser } from '../test-support/api.js';
import { setOverwrite, startMessageWorld, type MessageWorld } from '../test-support/messages.js';
import { registeredRoutes } from '../test-support/routes.js';
import { upload } from '../test-support/uploads.js';

/** What the moderator may do guild-wide: everything a channel route could need, except ADMINISTRATOR and MANAGE_GUILD. */
const MODERATOR_PERMISSIONS = Permission.VIEW_CHANNEL | Permission.MANAGE_CHANNELS | Permission.MANAGE_ROLES | Permission.MANAGE_MESSAGES
  | Permission.MOVE_MEMBERS | Permission.CONNECT | Permission.CREATE_INSTANT_INVITE | Permission.SEND_MESSAGES
  | Permission.READ_MESSAGE_HISTORY | Permission.ADD_REACTIONS | Permission.ATTACH_FILES;

interface RouteCase {
  /** Path after the origin (REST routes include /api/v10). */
  path: string;
  body?: unknown;
  /** The code each actor gets when it is not 50001 (a guild-level permission is checked first). */
  member?: number;
}

/** The hidden world every case acts on. */
interface Hidden {
  channel: Channel;
  voice: Channel;
  publicCategory: string;
  message: Message;
  older: Message;
  attachment: Message['attachments'][number];
  invite: Invite;
}

const THUMBS = encodeURIComponent('👍');

/** One request per route, keyed `METHOD url` as Fastify registered it. */
function routeCases(world: MessageWorld, hidden: Hidden, actor: TestUser): Record<string, RouteCase> {
  const g = `/api/v10/guilds/${world.guild.guild.id}`;
  const c = `/api/v10/channels/${hidden.channel.id}`;
  const m = `${c}/messages/${hidden.message.id}`;
  return {
    'GET /api/v10/channels/:channelId': { path: c },
    'PATCH /api/v10/channels/:channelId': { path: c, body: { name: 'now-mine', parent_id: hidden.publicCategory } },
    'DELETE /api/v10/channels/:channelId': { path: c },
    'PUT /api/v10/channels/:channelId/permissions/:overwriteId': { path: `${c}/permissions/${actor.id}`, body: { type: 1, allow: Permission.VIEW_CHANNEL.toString(), deny: '0' } },
    'DELETE /api/v10/channels/:channelId/permissions/:overwriteId': { path: `${c}/permissions/${world.guild.guild.id}` },
    'POST /api/v10/channels/:channelId/invites': { path: `${c}/invites`, body: {} },
    'GET /api/v10/channels/:channelId/invites': { path: `${c}/invites` },
    'GET /api/v10/channels/:channelId/messages': { path: `${c}/messages` },
    'POST /api/v10/channels/:channelId/messages': { path: `${c}/messages`, body: { content: 'let me in' } },
    'POST /api/v10/channels/:channelId/messages/bulk-delete': { path: `${c}/messages/bulk-delete`, body: { messages: [hidden.message.id, hidden.older.id] } },
    'GET /api/v10/channels/:channelId/messages/:messageId': { path: m },
    'PATCH /api/v10/channels/:channelId/messages/:messageId': { path: m, body: { flags: 4 } },
    'DELETE /api/v10/channels/:channelId/messages/:messageId': { path: m },
    'DELETE /api/v10/channels/:channelId/messages/:messageId/reactions': { path: `${m}/reactions` },
    'GET /api/v10/channels/:channelId/messages/:messageId/reactions/:emoji': { path: `${m}/reactions/${THUMBS}` },
    'DELETE /api/v10/channels/:channelId/messages/:messageId/reactions/:emoji': { path: `${m}/reactions/${THUMBS}` },
    'PUT /api/v10/channels/:channelId/messages/:messageId/reactions/:emoji/@me': { path: `${m}/reactions/${THUMBS}/@me` },
    'DELETE /api/v10/channels/:channelId/messages/:messageId/reactions/:emoji/@me': { path: `${m}/reactions/${THUMBS}/@me` },
    'DELETE /api/v10/channels/:channelId/messages/:messageId/reactions/:emoji/:userId': { path: `${m}/reactions/${THUMBS}/${world.owner.id}` },
    'POST /api/v10/channels/:channelId/messages/:messageId/ack': { path: `${m}/ack`, body: {} },
    'POST /api/v10/channels/:channelId/typing': { path: `${c}/typing` },
    'GET /attachments/:channelId/:attachmentId/:filename': { path: new URL(hidden.attachment.url).pathname },
    // Routes that name the channel in their body or through another resource.
    'PATCH /api/v10/guilds/:guildId/channels': {
      path: `${g}/channels`, body: [{ id: hidden.channel.id, position: 0, parent_id: hidden.publicCategory, lock_permissions: true }], member: 50013,
    },
    'PATCH /api/v10/guilds/:guildId/members/:userId': { path: `${g}/members/${world.member.id}`, body: { channel_id: hidden.voice.id }, member: 50013 },
    'DELETE /api/v10/invites/:code': { path: `/api/v10/invites/${hidden.invite.code}` },
  };
}

/** Routes that name a channel without `:channelId` in their path: each has a case above. */
const CHANNEL_IN_BODY = ['PATCH /api/v10/guilds/:guildId/channels', 'PATCH /api/v10/guilds/:guildId/members/:userId', 'DELETE /api/v10/invites/:code'];

describe('a channel its caller cannot view', () => {
  let world: MessageWorld;
  let moderator: TestUser;
  let hidden: Hidden;

  beforeAll(async () => {
    world = await startMessageWorld();
    const { url, owner, guild } = world;
    moderator = await registerUser(url);
    const invite = (await api<Invite>(url, 'POST', `/channels/${guild.general.id}/invites`, { token: owner.token, body: {} })).body;
    await api(url, 'POST', `/invites/${invite.code}`, { token: moderator.token });
    const role = (await api<Role>(url, 'POST', `/guilds/${guild.guild.id}/roles`, { token: owner.token, body: { name: 'Moderators', permissions: MODERATOR_PERMISSIONS.toString() } })).body;
    await api(url, 'PUT', `/guilds/${guild.guild.id}/members/${moderator.id}/roles/${role.id}`, { token: owner.token });

    const channel = await world.newChannel('staff');
    const voice = (await api<Channel>(url, 'POST', `/guilds/${guild.guild.id}/channels`, { token: owner.token, body: { name: 'Staff Voice', type: 2 } })).body;
    const older = (await api<Message>(url, 'POST', `/channels/${channel.id}/messages`, { token: owner.token, body: { content: 'first' } })).body;
    const message = (await upload(url, owner, channel.id, [{ name: 'plan.txt', data: Buffer.from('the plan') }], { content: 'staff only' })).body;
    await api(url, 'PUT', `/channels/${channel.id}/messages/${message.id}/reactions/${THUMBS}/@me`, { token: owner.token });
    const hiddenInvite = (await api<Invite>(url, 'POST', `/channels/${channel.id}/invites`, { token: owner.token, body: {} })).body;
    for (const id of [channel.id, voice.id]) await setOverwrite(url, owner, id, guild.guild.id, 0, { deny: Permission.VIEW_CHANNEL });
    hidden = {
      channel: (await api<Channel>(url, 'GET', `/channels/${channel.id}`, { token: owner.token })).body,
      voice, publicCategory: guild.general.parent_id!, message, older, attachment: message.attachments[0]!, invite: hiddenInvite,
    };
  });
  afterAll(async () => {
    await world.close();
  });

  it('has a case for every route that acts on a channel', () => {
    const routes = registeredRoutes(world.server.server.app).map((r) => `${r.method} ${r.url}`);
    const channelScoped = routes.filter((route) => route.includes(':channelId'));
    expect(channelScoped.length).toBeGreaterThan(20);
    expect(routes).toEqual(expect.arrayContaining(CHANNEL_IN_BODY));
    expect(Object.keys(routeCases(world, hidden, world.member)).sort()).toEqual([...channelScoped, ...CHANNEL_IN_BODY].sort());
  });

  it.each([
    ['a member', () => world.member, false],
    ['a moderator', () => moderator, true],
  ] as const)('refuses %s without VIEW_CHANNEL on every such route', async (_who, actorOf, isModerator) => {
    const actor = actorOf();
    const answers: string[] = [];
    const expected: string[] = [];
    for (const [route, request] of Object.entries(routeCases(world, hidden, actor))) {
      const method = route.split(' ')[0]!;
      const response = await fetch(`${world.url}${request.path}`, {
        method,
        headers: { authorization: actor.token, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
      answers.push(`${route} → ${response.status} ${body.code}`);
      const code = isModerator ? 50001 : (request.member ?? 50001);
      expected.push(`${route} → 403 ${code}`);
    }
    expect(answers).toEqual(expected);
  });

  it('changed nothing while they knocked', async () => {
    const { url, owner } = world;
    const channel = (await api<Channel>(url, 'GET', `/channels/${hidden.channel.id}`, { token: owner.token })).body;
    expect(channel).toEqual(hidden.channel);
    const messages = (await api<Message[]>(url, 'GET', `/channels/${hidden.channel.id}/messages`, { token: owner.token })).body;
    expect(messages.map((m) => [m.content, m.flags, m.reactions?.map((r) => r.count)])).toEqual([['staff only', 0, [1]], ['first', 0, undefined]]);
    const invites = (await api<Invite[]>(url, 'GET', `/channels/${hidden.channel.id}/invites`, { token: owner.token })).body;
    expect(invites.map((i) => i.code)).toEqual([hidden.invite.code]);
    expect(await (await fetch(hidden.attachment.url)).text()).toBe('the plan');
  });
});
