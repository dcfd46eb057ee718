/**
 * Invites: create on a channel (`max_age`, `max_uses`), list per channel and per guild, look up
 * without joining (guild name, member count), accept (join), delete. Expired or used-up invites
 * are refused with 10006 Unknown Invite and removed.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { isInviteCode } from '../../shared/invite.js';
import { Permission, hasPermission } from '../../shared/permissions.js';
import type { Invite } from '../../shared/protocol/entities.js';
import { createInviteSchema, getInviteQuerySchema, type InviteWithMetadata } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import { inviteUsable } from '../store/invites.js';
import type { InviteRecord, MemberRecord } from '../store/store.js';
import { channelAccessFrom, requireChannelAccess, requireGuildMember, requireGuildPermission } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { MAX_GUILDS_PER_USER } from './guilds.js';
import { announceJoin } from './members.js';
import { Buckets } from './rate-limit.js';
import { toInvite, toInviteWithMetadata, type InviteParts } from '../domain/shapes.js';

/** Discord's cap on invites in one guild. */
export const MAX_GUILD_INVITES = 1000;

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new random invite code: 8 characters of [A-Za-z0-9] (62^8 ≈ 2·10^14 codes). */
function newInviteCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** The invite's parts for shaping, or undefined when its guild or channel is gone. */
async function inviteParts(ctx: ServerContext, invite: InviteRecord, withCounts = false): Promise<InviteParts | undefined> {
  const [guild, channel, inviter] = await Promise.all([
    ctx.store.getGuild(invite.guildId),
    ctx.store.getChannel(invite.channelId),
    invite.inviterId ? ctx.store.getUser(invite.inviterId) : undefined,
  ]);
  if (!guild || !channel) return undefined;
  const counts = withCounts ? { members: await ctx.store.countMembers(guild.id) } : undefined;
  return { invite, guild, channel, inviter, counts };
}

/** A usable invite by code; unusable ones are deleted and reported as 10006 Unknown Invite. */
async function usableInvite(ctx: ServerContext, code: string): Promise<InviteRecord> {
  const invite = isInviteCode(code) ? await ctx.store.getInvite(code) : undefined;
  if (!invite) throw new HearthError('UNKNOWN_INVITE');
  if (!inviteUsable(invite, Date.now())) {
    await ctx.store.deleteInvite(code);
    throw new HearthError('UNKNOWN_INVITE');
  }
  return invite;
}

/** Shapes invites with metadata, dropping (and deleting) those no longer usable. */
async function withMetadata(ctx: ServerContext, invites: readonly InviteRecord[]): Promise<InviteWithMetadata[]> {
  const shapes: InviteWithMetadata[] = [];
  for (const invite of invites) {
    const parts = inviteUsable(invite, Date.now()) ? await inviteParts(ctx, invite) : undefined;
    if (parts) shapes.push(toInviteWithMetadata(parts));
    else await ctx.store.deleteInvite(invite.code);
  }
  return shapes;
}

async function createInvite(ctx: ServerContext, userId: string, channelId: string, body: unknown): Promise<InviteWithMetadata> {
  const input = parseBody(createInviteSchema, body ?? {});
  const access = await requireChannelAccess(ctx.store, userId, channelId, Permission.CREATE_INSTANT_INVITE);
  const existing = await ctx.store.listInvites(access.guild.id);
  const now = Date.now();
  // Without `unique`, an equivalent live invite by the same person is reused, as Discord does.
  const reusable = input.unique
    ? undefined
    : existing.find((i) => i.channelId === channelId && i.inviterId === userId && i.maxAge === input.max_age && i.maxUses === input.max_uses
        && i.temporary === input.temporary && i.uses === 0 && inviteUsable(i, now));
  const parts = reusable && (await inviteParts(ctx, reusable));
  if (parts) return toInviteWithMetadata(parts);
  if (existing.length >= MAX_GUILD_INVITES) throw new HearthError('MAX_INVITES');
  const invite: InviteRecord = {
    code: newInviteCode(), guildId: access.guild.id, channelId, inviterId: userId, maxAge: input.max_age,
    maxUses: input.max_uses, uses: 0, temporary: input.temporary, createdAt: now,
  };
  await ctx.store.createInvite(invite);
  const created = toInviteWithMetadata({ invite, guild: access.guild, channel: access.channel, inviter: await ctx.store.getUser(userId) });
  ctx.events.publish({
    t: 'INVITE_CREATE', d: { ...created, channel_id: channelId, guild_id: access.guild.id },
    audience: { kind: 'channel', guildId: access.guild.id, channelId },
  });
  return created;
}

async function acceptInvite(ctx: ServerContext, userId: string, code: string): Promise<Invite> {
  const invite = await usableInvite(ctx, code);
  const parts = await inviteParts(ctx, invite, true);
  const user = await ctx.store.getUser(userId);
  if (!parts || !user) throw new HearthError('UNKNOWN_INVITE');
  if (await ctx.store.getMember(invite.guildId, userId)) return toInvite(parts);
  if ((await ctx.store.listGuildIdsOfUser(userId)).length >= MAX_GUILDS_PER_USER) throw new HearthError('MAX_GUILDS');
  const member: MemberRecord = { guildId: invite.guildId, userId, nick: null, joinedAt: Date.now(), mute: false, deaf: false, roleIds: [] };
  if (!(await ctx.store.useInvite(code, member, member.joinedAt))) throw new HearthError('UNKNOWN_INVITE');
  await announceJoin(ctx, member, user);
  const counts = { members: await ctx.store.countMembers(invite.guildId) };
  return toInvite({ ...parts, invite: { ...invite, uses: invite.uses + 1 }, counts });
}

async function deleteInvite(ctx: ServerContext, userId: string, code: string): Promise<Invite> {
  const invite = isInviteCode(code) ? await ctx.store.getInvite(code) : undefined;
  if (!invite) throw new HearthError('UNKNOWN_INVITE');
  const access = await requireGuildMember(ctx.store, userId, invite.guildId);
  const parts = await inviteParts(ctx, invite);
  if (!parts) throw new HearthError('UNKNOWN_INVITE');
  // MANAGE_GUILD anywhere, or MANAGE_CHANNELS on the invite's channel.
  if (!hasPermission(access.permissions, Permission.MANAGE_GUILD)) channelAccessFrom(access, parts.channel, Permission.MANAGE_CHANNELS);
  await ctx.store.deleteInvite(code);
  ctx.events.publish({
    t: 'INVITE_DELETE', d: { channel_id: invite.channelId, guild_id: invite.guildId, code },
    audience: { kind: 'channel', guildId: invite.guildId, channelId: invite.channelId },
  });
  return toInvite(parts);
}

export function registerInviteRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  type Code = { Params: { code: string } };

  api.post<{ Params: { channelId: string } }>('/channels/:channelId/invites', { onRequest: auth, config: { rateLimit: Buckets.inviteCreate } }, async (request) => {
    return createInvite(ctx, userOf(request).id, request.params.channelId, request.body);
  });
  api.get<{ Params: { channelId: string } }>('/channels/:channelId/invites', { onRequest: auth, config: { rateLimit: Buckets.channelRead } }, async (request) => {
    const { channel } = await requireChannelAccess(ctx.store, userOf(request).id, request.params.channelId, Permission.MANAGE_CHANNELS);
    return withMetadata(ctx, (await ctx.store.listInvites(channel.guildId)).filter((i) => i.channelId === channel.id));
  });
  api.get<{ Params: { guildId: string } }>('/guilds/:guildId/invites', { onRequest: auth, config: { rateLimit: Buckets.guildRead } }, async (request) => {
    await requireGuildPermission(ctx.store, userOf(request).id, request.params.guildId, Permission.MANAGE_GUILD);
    return withMetadata(ctx, await ctx.store.listInvites(request.params.guildId));
  });
  // Looking an invite up needs no account: a link preview shows the guild before signing in.
  api.get<Code>('/invites/:code', { config: { rateLimit: Buckets.inviteRead } }, async (request) => {
    const { with_counts } = parseBody(getInviteQuerySchema, request.query);
    const parts = await inviteParts(ctx, await usableInvite(ctx, request.params.code), with_counts === 'true');
    if (!parts) throw new HearthError('UNKNOWN_INVITE');
    return toInvite(parts);
  });
  api.post<Code>('/invites/:code', { onRequest: auth, config: { rateLimit: Buckets.inviteAccept } }, async (request) => {
    return acceptInvite(ctx, userOf(request).id, request.params.code);
  });
  api.delete<Code>('/invites/:code', { onRequest: auth, config: { rateLimit: Buckets.guildWrite } }, async (request) => {
    return deleteInvite(ctx, userOf(request).id, request.params.code);
  });
}
