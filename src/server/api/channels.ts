/**
 * Channels: list and create in a guild, bulk reorder, get, modify, delete, and permission
 * overwrites. Types 0 text, 2 voice (bitrate, user_limit), 4 category.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Channel } from '../../shared/protocol/entities.js';
import {
  channelPositionsSchema, createChannelSchema, editOverwriteSchema, modifyChannelSchema,
} from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { ChannelRecord } from '../store/store.js';
import { assertPermission, channelAccessFrom, requireChannelAccess, requireGuildMember, requireGuildPermission } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import {
  MAX_GUILD_CHANNELS, announceChannelUpdate, assertMayWriteOverwrites, checkOverwrites, checkParent, nextPosition, normalizeChannelName,
} from './channel-rules.js';
import { Buckets } from './rate-limit.js';
import { toChannel, toGuild } from '../domain/shapes.js';

type GuildParams = { guildId: string };
type ChannelParams = { channelId: string };
type OverwriteParams = { channelId: string; overwriteId: string };

async function createChannel(ctx: ServerContext, userId: string, guildId: string, body: unknown): Promise<Channel> {
  const input = parseBody(createChannelSchema, body);
  const access = await requireGuildPermission(ctx.store, userId, guildId, Permission.MANAGE_CHANNELS);
  const channels = await ctx.store.listChannels(guildId);
  if (channels.length >= MAX_GUILD_CHANNELS) throw new HearthError('MAX_CHANNELS');
  const parentId = input.parent_id ?? null;
  checkParent(channels, input.type, parentId);
  const overwrites = input.permission_overwrites ? await checkOverwrites(ctx, access, access.permissions, input.permission_overwrites) : [];
  const channel: ChannelRecord = {
    id: ctx.ids.next(),
    guildId,
    type: input.type,
    name: normalizeChannelName(input.type, input.name),
    topic: input.type === 0 ? (input.topic ?? null) : null,
    parentId,
    position: input.position ?? nextPosition(channels, parentId),
    bitrate: input.type === 2 ? (input.bitrate ?? 64_000) : null,
    userLimit: input.type === 2 ? (input.user_limit ?? 0) : null,
    lastMessageId: null,
    overwrites,
  };
  await ctx.store.createChannel(channel);
  ctx.events.publish({ t: 'CHANNEL_CREATE', d: toChannel(channel), audience: { kind: 'guild', guildId } });
  return toChannel(channel);
}

/**
 * Bulk reorder: each moved channel is checked as `PATCH /channels/:id` checks it (VIEW_CHANNEL
 * and MANAGE_CHANNELS there; syncing to the category edits its overwrites, as setting
 * `permission_overwrites` would), so nobody moves or opens up a channel they cannot see. Every
 * entry is checked before anything is stored.
 */
async function reorderChannels(ctx: ServerContext, userId: string, guildId: string, body: unknown): Promise<void> {
  const input = parseBody(channelPositionsSchema, body);
  const access = await requireGuildPermission(ctx.store, userId, guildId, Permission.MANAGE_CHANNELS);
  const channels = await ctx.store.listChannels(guildId);
  const byId = new Map(channels.map((c) => [c.id, c]));
  const changed = new Map<string, ChannelRecord>();
  for (const [index, entry] of input.entries()) {
    const channel = byId.get(entry.id);
    if (!channel) throw invalidFormBody({ [`${index}.id`]: { code: 'CHANNEL_INVALID', message: `No channel ${entry.id} in this guild.` } });
    const { channelPermissions } = channelAccessFrom(access, channel, Permission.MANAGE_CHANNELS);
    const next = { ...channel };
    if (entry.position != null) next.position = entry.position;
    if (entry.parent_id !== undefined) {
      next.parentId = entry.parent_id;
      checkParent(channels, channel.type, next.parentId, `${index}.parent_id`);
    }
    // Syncing copies the category's overwrites, as Discord does; that edits permissions.
    const parent = next.parentId === null ? undefined : byId.get(next.parentId);
    if (entry.lock_permissions && parent) {
      assertMayWriteOverwrites(channelPermissions, parent.overwrites);
      next.overwrites = parent.overwrites;
    }
    changed.set(next.id, next);
  }
  await ctx.store.setChannelPositions(
    guildId,
    [...changed.values()].map((c) => ({ id: c.id, position: c.position, parentId: c.parentId })),
  );
  for (const channel of changed.values()) {
    const before = byId.get(channel.id);
    if (before && before.overwrites !== channel.overwrites) await ctx.store.updateChannel(channel.id, { overwrites: channel.overwrites });
    announceChannelUpdate(ctx, channel);
  }
}

async function modifyChannel(ctx: ServerContext, userId: string, channelId: string, body: unknown): Promise<Channel> {
  const input = parseBody(modifyChannelSchema, body);
  const access = await requireChannelAccess(ctx.store, userId, channelId, Permission.MANAGE_CHANNELS);
  const { channel } = access;
  const changes: Partial<ChannelRecord> = {};
  if (input.name !== undefined) changes.name = normalizeChannelName(channel.type, input.name);
  if (input.topic !== undefined && channel.type === 0) changes.topic = input.topic;
  if (input.position != null) changes.position = input.position;
  if (input.parent_id !== undefined) {
    checkParent(await ctx.store.listChannels(channel.guildId), channel.type, input.parent_id);
    changes.parentId = input.parent_id;
  }
  if (channel.type === 2 && input.bitrate != null) changes.bitrate = input.bitrate;
  if (channel.type === 2 && input.user_limit != null) changes.userLimit = input.user_limit;
  if (input.permission_overwrites != null) {
    changes.overwrites = await checkOverwrites(ctx, access, access.channelPermissions, input.permission_overwrites);
  }
  await ctx.store.updateChannel(channelId, changes);
  const updated = { ...channel, ...changes };
  announceChannelUpdate(ctx, updated);
  return toChannel(updated);
}

async function deleteChannel(ctx: ServerContext, userId: string, channelId: string): Promise<Channel> {
  const { channel, guild } = await requireChannelAccess(ctx.store, userId, channelId, Permission.MANAGE_CHANNELS);
  const children = channel.type === 4 ? (await ctx.store.listChannels(channel.guildId)).filter((c) => c.parentId === channel.id) : [];
  await ctx.store.deleteChannel(channelId);
  ctx.events.publish({ t: 'CHANNEL_DELETE', d: toChannel(channel), audience: { kind: 'guild', guildId: channel.guildId } });
  for (const child of children) announceChannelUpdate(ctx, { ...child, parentId: null });
  if (guild.systemChannelId === channelId) {
    const roles = await ctx.store.listRoles(guild.id);
    ctx.events.publish({ t: 'GUILD_UPDATE', d: toGuild({ ...guild, systemChannelId: null }, roles), audience: { kind: 'guild', guildId: guild.id } });
  }
  return toChannel(channel);
}

async function editOverwrite(ctx: ServerContext, userId: string, params: OverwriteParams, body: unknown): Promise<void> {
  const input = parseBody(editOverwriteSchema, body);
  const access = await requireChannelAccess(ctx.store, userId, params.channelId);
  const [record] = await checkOverwrites(ctx, access, access.channelPermissions, [
    { id: params.overwriteId, type: input.type, allow: input.allow ?? '0', deny: input.deny ?? '0' },
  ]);
  if (!record) return;
  await ctx.store.putOverwrite(params.channelId, record);
  const others = access.channel.overwrites.filter((o) => o.targetId !== record.targetId);
  announceChannelUpdate(ctx, { ...access.channel, overwrites: [...others, record] });
}

async function deleteOverwrite(ctx: ServerContext, userId: string, params: OverwriteParams): Promise<void> {
  const access = await requireChannelAccess(ctx.store, userId, params.channelId);
  assertPermission(access.channelPermissions, Permission.MANAGE_ROLES);
  if (!access.channel.overwrites.some((o) => o.targetId === params.overwriteId)) throw new HearthError('UNKNOWN_OVERWRITE');
  await ctx.store.deleteOverwrite(params.channelId, params.overwriteId);
  announceChannelUpdate(ctx, { ...access.channel, overwrites: access.channel.overwrites.filter((o) => o.targetId !== params.overwriteId) });
}

export function registerChannelRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  const guildRead = { onRequest: auth, config: { rateLimit: Buckets.guildRead } };
  const guildWrite = { onRequest: auth, config: { rateLimit: Buckets.guildWrite } };
  const read = { onRequest: auth, config: { rateLimit: Buckets.channelRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.channelWrite } };

  api.get<{ Params: GuildParams }>('/guilds/:guildId/channels', guildRead, async (request) => {
    await requireGuildMember(ctx.store, userOf(request).id, request.params.guildId);
    return (await ctx.store.listChannels(request.params.guildId)).map(toChannel);
  });
  api.post<{ Params: GuildParams }>('/guilds/:guildId/channels', guildWrite, async (request, reply) => {
    return reply.code(201).send(await createChannel(ctx, userOf(request).id, request.params.guildId, request.body));
  });
  api.patch<{ Params: GuildParams }>('/guilds/:guildId/channels', guildWrite, async (request, reply) => {
    await reorderChannels(ctx, userOf(request).id, request.params.guildId, request.body);
    return reply.code(204).send();
  });
  api.get<{ Params: ChannelParams }>('/channels/:channelId', read, async (request) => {
    return toChannel((await requireChannelAccess(ctx.store, userOf(request).id, request.params.channelId)).channel);
  });
  api.patch<{ Params: ChannelParams }>('/channels/:channelId', write, async (request) => {
    return modifyChannel(ctx, userOf(request).id, request.params.channelId, request.body);
  });
  api.delete<{ Params: ChannelParams }>('/channels/:channelId', write, async (request) => {
    return deleteChannel(ctx, userOf(request).id, request.params.channelId);
  });
  api.put<{ Params: OverwriteParams }>('/channels/:channelId/permissions/:overwriteId', write, async (request, reply) => {
    await editOverwrite(ctx, userOf(request).id, request.params, request.body);
    return reply.code(204).send();
  });
  api.delete<{ Params: OverwriteParams }>('/channels/:channelId/permissions/:overwriteId', write, async (request, reply) => {
    await deleteOverwrite(ctx, userOf(request).id, request.params);
    return reply.code(204).send();
  });
}
