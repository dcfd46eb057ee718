/**
 * Guild members: list (paged by user ID), get, modify (nick, roles, mute, deaf), role add/remove,
 * kick; plus the join and removal helpers that invites and "leave guild" share.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import { listMembersQuerySchema, modifyCurrentMemberSchema, modifyMemberSchema } from '../../shared/protocol/rest.js';
import type { GuildMember } from '../../shared/protocol/entities.js';
import type { Snowflake } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { MemberRecord, UserRecord } from '../store/store.js';
import type { VoiceService } from '../voice/voice-service.js';
import { assertHoldsRolePermissions, assertPermission, channelAccessFrom, highestRolePosition, requireGuildMember, type GuildAccess } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { removeManagedRoles } from './bot-roles.js';
import { Buckets } from './rate-limit.js';
import { loadGatewayGuild, loadMembers, toMember, toMemberEvent, toUser } from '../domain/shapes.js';

type GuildParams = { guildId: string };
type MemberParams = { guildId: string; userId: string };
type MemberRoleParams = MemberParams & { roleId: string };
/** What the member routes use of the voice module: moderator moves. */
type VoiceMoves = Pick<VoiceService, 'moveMember'>;

/** Sends a joining member their GUILD_CREATE and tells the guild GUILD_MEMBER_ADD. */
export async function announceJoin(ctx: ServerContext, member: MemberRecord, user: UserRecord): Promise<void> {
  // The joiner's sessions learn the guild first, so the member event that follows has a home.
  const guild = await loadGatewayGuild(ctx.store, member.guildId, user.id, { presences: [], voiceStates: ctx.voiceStates.wireStatesInGuild(member.guildId) });
  if (guild) ctx.events.publish({ t: 'GUILD_CREATE', d: guild, audience: { kind: 'users', userIds: [user.id] } });
  ctx.events.publish({ t: 'GUILD_MEMBER_ADD', d: toMemberEvent(member, user), audience: { kind: 'guild', guildId: member.guildId } });
}

/** Removes the member (leave or kick): GUILD_MEMBER_REMOVE to the guild, GUILD_DELETE to them. */
export async function removeMember(ctx: ServerContext, guildId: Snowflake, user: UserRecord): Promise<void> {
  await ctx.store.removeMember(guildId, user.id);
  ctx.events.publish({ t: 'GUILD_MEMBER_REMOVE', d: { guild_id: guildId, user: toUser(user) }, audience: { kind: 'guild', guildId } });
  ctx.events.publish({ t: 'GUILD_DELETE', d: { id: guildId }, audience: { kind: 'users', userIds: [user.id] } });
  // A bot's managed role exists only while the bot is in the guild.
  if (user.bot) await removeManagedRoles(ctx, guildId, user.id);
}

/** The member and their user, or 10007 Unknown Member. */
async function loadMember(ctx: ServerContext, guildId: Snowflake, userId: Snowflake): Promise<{ member: MemberRecord; user: UserRecord }> {
  const [member, user] = await Promise.all([ctx.store.getMember(guildId, userId), ctx.store.getUser(userId)]);
  if (!member || !user) throw new HearthError('UNKNOWN_MEMBER');
  return { member, user };
}

/** Discord's hierarchy: only the owner, or someone whose highest role is above the target's, may act on them. */
function assertAbove(access: GuildAccess, target: MemberRecord): void {
  if (target.userId === access.guild.ownerId) throw new HearthError('MISSING_PERMISSIONS');
  if (highestRolePosition(access, access.member) <= highestRolePosition(access, target)) throw new HearthError('MISSING_PERMISSIONS');
}

/**
 * Role changes: MANAGE_ROLES, every role exists, is not @everyone, and sits below the actor's
 * highest role; a role given must hold no permission the actor lacks.
 */
function checkRoleChange(access: GuildAccess, before: readonly Snowflake[], after: readonly Snowflake[]): void {
  assertPermission(access.permissions, Permission.MANAGE_ROLES);
  const top = highestRolePosition(access, access.member);
  const changed = [...after.filter((id) => !before.includes(id)), ...before.filter((id) => !after.includes(id))];
  for (const [index, roleId] of after.entries()) {
    if (!access.roles.some((r) => r.id === roleId) || roleId === access.guild.id) {
      throw invalidFormBody({ [`roles.${index}`]: { code: 'INVALID_ROLE', message: `Unknown role ${roleId}.` } });
    }
  }
  for (const roleId of changed) {
    const role = access.roles.find((r) => r.id === roleId);
    // Managed roles belong to their bot alone: nobody gives or takes them.
    if (role?.botUserId !== undefined) throw new HearthError('INVALID_ROLE');
    if (role && role.position >= top) throw new HearthError('MISSING_PERMISSIONS');
    if (role && after.includes(roleId)) assertHoldsRolePermissions(access, role);
  }
}

async function updateAndAnnounce(ctx: ServerContext, member: MemberRecord, user: UserRecord, changes: Partial<MemberRecord>): Promise<GuildMember> {
  await ctx.store.updateMember(member.guildId, member.userId, changes);
  const updated = { ...member, ...changes };
  ctx.events.publish({ t: 'GUILD_MEMBER_UPDATE', d: toMemberEvent(updated, user), audience: { kind: 'guild', guildId: member.guildId } });
  return toMember(updated, user);
}

type ModifyMemberInput = ReturnType<typeof modifyMemberSchema.parse>;

async function modifyMember(
  ctx: ServerContext, voice: VoiceMoves, actor: UserRecord, params: MemberParams, input: ModifyMemberInput,
): Promise<GuildMember> {
  const access = await requireGuildMember(ctx.store, actor.id, params.guildId);
  const { member, user } = await loadMember(ctx, params.guildId, params.userId);
  const changes: Partial<MemberRecord> = {};
  if (input.nick !== undefined) {
    const self = member.userId === actor.id;
    assertPermission(access.permissions, self ? Permission.CHANGE_NICKNAME : Permission.MANAGE_NICKNAMES);
    if (!self) assertAbove(access, member);
    changes.nick = input.nick || null;
  }
  if (input.roles !== undefined) {
    const roles = [...new Set(input.roles)];
    checkRoleChange(access, member.roleIds, roles);
    changes.roleIds = roles;
  }
  if (input.mute !== undefined) {
    assertPermission(access.permissions, Permission.MUTE_MEMBERS);
    changes.mute = input.mute;
  }
  if (input.deaf !== undefined) {
    assertPermission(access.permissions, Permission.DEAFEN_MEMBERS);
    changes.deaf = input.deaf;
  }
  if (input.channel_id !== undefined) await moveInVoice(ctx, voice, access, member.userId, input.channel_id);
  // A move alone changes no member field: the voice state update says it all.
  if (input.channel_id !== undefined && Object.keys(changes).length === 0) return toMember(member, user);
  return updateAndAnnounce(ctx, member, user, changes);
}

/**
 * Discord's voice move through PATCH member: MOVE_MEMBERS, and CONNECT for the moderator in the
 * destination channel; the voice module checks the member and the channel (40032 not in voice).
 */
async function moveInVoice(ctx: ServerContext, voice: VoiceMoves, access: GuildAccess, userId: Snowflake, channelId: Snowflake | null): Promise<void> {
  assertPermission(access.permissions, Permission.MOVE_MEMBERS);
  if (channelId !== null) {
    const channel = await ctx.store.getChannel(channelId);
    if (!channel || channel.guildId !== access.guild.id) throw invalidFormBody({ channel_id: { code: 'CHANNEL_INVALID', message: 'Unknown channel.' } });
    channelAccessFrom(access, channel, Permission.CONNECT);
  }
  await voice.moveMember(access.guild.id, userId, channelId);
}

async function setMemberRole(ctx: ServerContext, actor: UserRecord, params: MemberRoleParams, add: boolean): Promise<void> {
  const access = await requireGuildMember(ctx.store, actor.id, params.guildId);
  const { member, user } = await loadMember(ctx, params.guildId, params.userId);
  if (!access.roles.some((r) => r.id === params.roleId) || params.roleId === params.guildId) throw new HearthError('UNKNOWN_ROLE');
  const roles = add ? [...new Set([...member.roleIds, params.roleId])] : member.roleIds.filter((id) => id !== params.roleId);
  checkRoleChange(access, member.roleIds, roles);
  if (roles.length !== member.roleIds.length) await updateAndAnnounce(ctx, member, user, { roleIds: roles });
}

export function registerMemberRoutes(api: FastifyInstance, ctx: ServerContext, voice: VoiceMoves): void {
  const auth = requireUser(ctx);
  const read = { onRequest: auth, config: { rateLimit: Buckets.guildRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.guildWrite } };

  api.get<{ Params: GuildParams }>('/guilds/:guildId/members', read, async (request) => {
    const query = parseBody(listMembersQuerySchema, request.query);
    await requireGuildMember(ctx.store, userOf(request).id, request.params.guildId);
    const members = await ctx.store.listMembers(request.params.guildId, { after: query.after, limit: query.limit });
    return loadMembers(ctx.store, members);
  });

  api.get<{ Params: MemberParams }>('/guilds/:guildId/members/:userId', read, async (request) => {
    const { guildId } = request.params;
    const userId = request.params.userId === '@me' ? userOf(request).id : request.params.userId;
    await requireGuildMember(ctx.store, userOf(request).id, guildId);
    const { member, user } = await loadMember(ctx, guildId, userId);
    return toMember(member, user);
  });

  api.patch<{ Params: GuildParams }>('/guilds/:guildId/members/@me', write, async (request) => {
    const input = parseBody(modifyCurrentMemberSchema, request.body);
    const actor = userOf(request);
    return modifyMember(ctx, voice, actor, { guildId: request.params.guildId, userId: actor.id }, input);
  });

  api.patch<{ Params: MemberParams }>('/guilds/:guildId/members/:userId', write, async (request) => {
    return modifyMember(ctx, voice, userOf(request), request.params, parseBody(modifyMemberSchema, request.body));
  });

  api.put<{ Params: MemberRoleParams }>('/guilds/:guildId/members/:userId/roles/:roleId', write, async (request, reply) => {
    await setMemberRole(ctx, userOf(request), request.params, true);
    return reply.code(204).send();
  });

  api.delete<{ Params: MemberRoleParams }>('/guilds/:guildId/members/:userId/roles/:roleId', write, async (request, reply) => {
    await setMemberRole(ctx, userOf(request), request.params, false);
    return reply.code(204).send();
  });

  api.delete<{ Params: MemberParams }>('/guilds/:guildId/members/:userId', write, async (request, reply) => {
    const actor = userOf(request);
    const access = await requireGuildMember(ctx.store, actor.id, request.params.guildId);
    assertPermission(access.permissions, Permission.KICK_MEMBERS);
    const { member, user } = await loadMember(ctx, request.params.guildId, request.params.userId);
    if (member.userId === actor.id) throw new HearthError('MISSING_PERMISSIONS');
    assertAbove(access, member);
    await removeMember(ctx, request.params.guildId, user);
    return reply.code(204).send();
  });
}
