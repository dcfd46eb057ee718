/**
 * Guilds: create (with Discord's starter channels), get, modify (name, icon, system channel,
 * ownership transfer), delete (owner only).
 */
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { DEFAULT_EVERYONE_PERMISSIONS, Permission } from '../../shared/permissions.js';
import type { Guild } from '../../shared/protocol/entities.js';
import { createGuildSchema, getGuildQuerySchema, modifyGuildSchema } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { ChannelRecord, GuildRecord, NewGuild } from '../store/store.js';
import { guildMemberIds, requireGuildMember, requireGuildPermission } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { applyImageField, decodeImageDataUri, deleteImage, deleteImagesOf, IMAGE_BODY_LIMIT, saveImage } from './images.js';
import { Buckets } from './rate-limit.js';
import { loadGatewayGuild, toGuild } from '../domain/shapes.js';

/** Discord's cap on guilds one user may be in. */
export const MAX_GUILDS_PER_USER = 100;

type GuildParams = { guildId: string };

/** The guild record and its starter layout: "Text Channels" › #general, "Voice Channels" › General. */
function starterGuild(ctx: ServerContext, ownerId: string, name: string, now: number): NewGuild {
  const id = ctx.ids.next();
  const channel = (fields: Pick<ChannelRecord, 'type' | 'name' | 'parentId' | 'position'> & Partial<ChannelRecord>): ChannelRecord => ({
    id: ctx.ids.next(), guildId: id, topic: null, bitrate: null, userLimit: null, lastMessageId: null, overwrites: [], ...fields,
  });
  const textCategory = channel({ type: 4, name: 'Text Channels', parentId: null, position: 0 });
  const general = channel({ type: 0, name: 'general', parentId: textCategory.id, position: 0 });
  const voiceCategory = channel({ type: 4, name: 'Voice Channels', parentId: null, position: 1 });
  const voice = channel({ type: 2, name: 'General', parentId: voiceCategory.id, position: 0, bitrate: 64_000, userLimit: 0 });
  return {
    guild: { id, name, icon: null, ownerId, systemChannelId: general.id, createdAt: now },
    everyoneRole: { id, guildId: id, name: '@everyone', color: 0, hoist: false, mentionable: false, position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS },
    channels: [textCategory, general, voiceCategory, voice],
  };
}

async function createGuild(ctx: ServerContext, userId: string, body: unknown): Promise<Guild> {
  const input = parseBody(createGuildSchema, body);
  if ((await ctx.store.listGuildIdsOfUser(userId)).length >= MAX_GUILDS_PER_USER) throw new HearthError('MAX_GUILDS');
  const icon = input.icon ? decodeImageDataUri('icon', input.icon) : undefined;
  const newGuild = starterGuild(ctx, userId, input.name, Date.now());
  if (icon) newGuild.guild.icon = await saveImage(ctx.config.dataDir, 'icons', newGuild.guild.id, icon);
  await ctx.store.createGuild(newGuild);
  const gatewayGuild = await loadGatewayGuild(ctx.store, newGuild.guild.id, userId);
  if (gatewayGuild) ctx.events.publish({ t: 'GUILD_CREATE', d: gatewayGuild, audience: { kind: 'users', userIds: [userId] } });
  return toGuild(newGuild.guild, [newGuild.everyoneRole]);
}

async function modifyGuild(ctx: ServerContext, userId: string, guildId: string, body: unknown): Promise<Guild> {
  const input = parseBody(modifyGuildSchema, body);
  const access = await requireGuildPermission(ctx.store, userId, guildId, Permission.MANAGE_GUILD);
  const { guild } = access;
  const changes: Partial<GuildRecord> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.owner_id !== undefined && input.owner_id !== guild.ownerId) {
    if (guild.ownerId !== userId) throw new HearthError('MISSING_PERMISSIONS');
    if (!(await ctx.store.getMember(guildId, input.owner_id))) throw invalidFormBody({ owner_id: { code: 'UNKNOWN_MEMBER', message: 'The new owner must be a member of the guild.' } });
    changes.ownerId = input.owner_id;
  }
  if (input.system_channel_id !== undefined) {
    const channel = input.system_channel_id === null ? undefined : await ctx.store.getChannel(input.system_channel_id);
    if (input.system_channel_id !== null && (channel?.guildId !== guildId || channel.type !== 0)) {
      throw invalidFormBody({ system_channel_id: { code: 'CHANNEL_INVALID', message: 'Must be a text channel of this guild.' } });
    }
    changes.systemChannelId = input.system_channel_id;
  }
  const icon = await applyImageField(ctx, 'icons', guildId, 'icon', input.icon);
  if (icon !== undefined) changes.icon = icon;
  await ctx.store.updateGuild(guildId, changes);
  if (icon !== undefined && icon !== guild.icon) await deleteImage(ctx.config.dataDir, 'icons', guildId, guild.icon);
  const shape = toGuild({ ...guild, ...changes }, access.roles);
  ctx.events.publish({ t: 'GUILD_UPDATE', d: shape, audience: { kind: 'guild', guildId } });
  return shape;
}

async function deleteGuild(ctx: ServerContext, userId: string, guildId: string): Promise<void> {
  const { guild } = await requireGuildMember(ctx.store, userId, guildId);
  if (guild.ownerId !== userId) throw new HearthError('MISSING_PERMISSIONS');
  // Members are gone after the delete, so the audience is fixed beforehand.
  const memberIds = await guildMemberIds(ctx.store, guildId);
  await ctx.store.deleteGuild(guildId);
  await deleteImagesOf(ctx.config.dataDir, 'icons', guildId);
  ctx.events.publish({ t: 'GUILD_DELETE', d: { id: guildId }, audience: { kind: 'users', userIds: memberIds } });
}

export function registerGuildRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  const read = { onRequest: auth, config: { rateLimit: Buckets.guildRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.guildWrite }, bodyLimit: IMAGE_BODY_LIMIT };

  api.post('/guilds', { onRequest: auth, config: { rateLimit: Buckets.guildCreate }, bodyLimit: IMAGE_BODY_LIMIT }, async (request, reply) => {
    return reply.code(201).send(await createGuild(ctx, userOf(request).id, request.body));
  });

  api.get<{ Params: GuildParams }>('/guilds/:guildId', read, async (request) => {
    const { with_counts } = parseBody(getGuildQuerySchema, request.query);
    const access = await requireGuildMember(ctx.store, userOf(request).id, request.params.guildId);
    const counts = with_counts === 'true' ? { members: await ctx.store.countMembers(access.guild.id) } : undefined;
    return toGuild(access.guild, access.roles, counts);
  });

  api.patch<{ Params: GuildParams }>('/guilds/:guildId', write, async (request) => {
    return modifyGuild(ctx, userOf(request).id, request.params.guildId, request.body);
  });

  api.delete<{ Params: GuildParams }>('/guilds/:guildId', write, async (request, reply) => {
    await deleteGuild(ctx, userOf(request).id, request.params.guildId);
    return reply.code(204).send();
  });
}
