/**
 * Reactions with unicode emoji (URL-encoded in the path, as Discord): add and remove one's own,
 * remove someone else's, all of one emoji or all of them (MANAGE_MESSAGES), list who reacted.
 * Custom emoji (`name:id`) do not exist in Hearth and get 10014 Unknown Emoji.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { User } from '../../shared/protocol/entities.js';
import { reactionUsersQuerySchema } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { MessageRecord, UserRecord } from '../store/store.js';
import { assertPermission, requireChannelAccess, type ChannelAccess } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { channelAudience, requireMessage, requireMessageChannel } from './message-access.js';
import { Buckets } from './rate-limit.js';
import { toMember, toUser } from '../domain/shapes.js';

/** Distinct emoji one message may carry (Discord's limit). */
export const MAX_REACTION_EMOJI = 20;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI_MARK = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

/** True for one unicode emoji: a single grapheme that is pictographic, a flag or a keycap. */
export function isUnicodeEmoji(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  const segments = [...graphemes.segment(value)];
  return segments.length === 1 && EMOJI_MARK.test(value);
}

/** The emoji of a route, or 10014 Unknown Emoji. Fastify has already percent-decoded it. */
function requireEmoji(raw: string): string {
  if (!isUnicodeEmoji(raw)) throw new HearthError('UNKNOWN_EMOJI');
  return raw;
}

type ReactionParams = { Params: { channelId: string; messageId: string; emoji: string } };

interface ReactionTarget {
  access: ChannelAccess;
  message: MessageRecord;
  emoji: string;
}

/** Channel access with READ_MESSAGE_HISTORY (and `extra`), the message and the emoji. */
async function reactionTarget(ctx: ServerContext, user: UserRecord, params: ReactionParams['Params'], extra = 0n): Promise<ReactionTarget> {
  const access = await requireChannelAccess(ctx.store, user.id, params.channelId, Permission.READ_MESSAGE_HISTORY | extra);
  requireMessageChannel(access);
  const message = await requireMessage(ctx, access.channel.id, params.messageId);
  return { access, message, emoji: requireEmoji(params.emoji) };
}

/** Adds the caller's reaction; a new emoji on the message needs ADD_REACTIONS, joining one does not (as Discord). */
async function addReaction(ctx: ServerContext, user: UserRecord, params: ReactionParams['Params']): Promise<void> {
  const { access, message, emoji } = await reactionTarget(ctx, user, params);
  const existing = await ctx.store.listReactions(message.channelId, [message.id], user.id);
  const same = existing.find((r) => r.emoji === emoji);
  if (same?.me) return;
  if (!same) {
    assertPermission(access.channelPermissions, Permission.ADD_REACTIONS);
    if (existing.length >= MAX_REACTION_EMOJI) throw new HearthError('MAX_REACTIONS');
  }
  if (!(await ctx.store.addReaction(message.channelId, message.id, emoji, user.id, Date.now()))) return;
  ctx.events.publish({
    t: 'MESSAGE_REACTION_ADD',
    d: {
      user_id: user.id,
      channel_id: message.channelId,
      message_id: message.id,
      guild_id: access.guild.id,
      member: toMember(access.member, user),
      emoji: { id: null, name: emoji },
      message_author_id: message.authorId,
      burst: false,
      type: 0,
    },
    audience: channelAudience(access),
  });
}

async function removeReaction(ctx: ServerContext, target: ReactionTarget, userId: string): Promise<void> {
  const { access, message, emoji } = target;
  if (!(await ctx.store.removeReaction(message.channelId, message.id, emoji, userId))) return;
  ctx.events.publish({
    t: 'MESSAGE_REACTION_REMOVE',
    d: { user_id: userId, channel_id: message.channelId, message_id: message.id, guild_id: access.guild.id, emoji: { id: null, name: emoji }, burst: false, type: 0 },
    audience: channelAudience(access),
  });
}

/** The users who reacted with the emoji, by user ID after `after`. */
async function listReactionUsers(ctx: ServerContext, user: UserRecord, params: ReactionParams['Params'], query: unknown): Promise<User[]> {
  const { message, emoji } = await reactionTarget(ctx, user, params);
  const { after, limit, type } = parseBody(reactionUsersQuerySchema, query);
  if (type === 1) return []; // Hearth has no burst (super) reactions.
  const ids = await ctx.store.listReactionUsers(message.channelId, message.id, emoji, { after, limit });
  const users = new Map((await ctx.store.getUsers(ids)).map((u) => [u.id, u]));
  return ids.flatMap((id) => {
    const found = users.get(id);
    return found ? [toUser(found)] : [];
  });
}

export function registerReactionRoutes(scope: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  const read = { onRequest: auth, config: { rateLimit: Buckets.channelRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.channelWrite } };
  const base = '/channels/:channelId/messages/:messageId/reactions';

  scope.put<ReactionParams>(`${base}/:emoji/@me`, write, async (request, reply) => {
    await addReaction(ctx, userOf(request), request.params);
    return reply.code(204).send();
  });

  scope.delete<ReactionParams>(`${base}/:emoji/@me`, write, async (request, reply) => {
    const user = userOf(request);
    await removeReaction(ctx, await reactionTarget(ctx, user, request.params), user.id);
    return reply.code(204).send();
  });

  scope.delete<{ Params: ReactionParams['Params'] & { userId: string } }>(`${base}/:emoji/:userId`, write, async (request, reply) => {
    const user = userOf(request);
    const { userId } = request.params;
    const extra = userId === user.id ? 0n : Permission.MANAGE_MESSAGES;
    await removeReaction(ctx, await reactionTarget(ctx, user, request.params, extra), userId);
    return reply.code(204).send();
  });

  scope.get<ReactionParams>(`${base}/:emoji`, read, async (request) => listReactionUsers(ctx, userOf(request), request.params, request.query));

  scope.delete<ReactionParams>(`${base}/:emoji`, write, async (request, reply) => {
    const { access, message, emoji } = await reactionTarget(ctx, userOf(request), request.params, Permission.MANAGE_MESSAGES);
    await ctx.store.removeAllReactions(message.channelId, message.id, emoji);
    ctx.events.publish({
      t: 'MESSAGE_REACTION_REMOVE_EMOJI',
      d: { channel_id: message.channelId, message_id: message.id, guild_id: access.guild.id, emoji: { id: null, name: emoji } },
      audience: channelAudience(access),
    });
    return reply.code(204).send();
  });

  scope.delete<{ Params: { channelId: string; messageId: string } }>(base, write, async (request, reply) => {
    const user = userOf(request);
    const access = await requireChannelAccess(ctx.store, user.id, request.params.channelId, Permission.READ_MESSAGE_HISTORY | Permission.MANAGE_MESSAGES);
    const message = await requireMessage(ctx, access.channel.id, request.params.messageId);
    await ctx.store.removeAllReactions(message.channelId, message.id);
    ctx.events.publish({
      t: 'MESSAGE_REACTION_REMOVE_ALL',
      d: { channel_id: message.channelId, message_id: message.id, guild_id: access.guild.id },
      audience: channelAudience(access),
    });
    return reply.code(204).send();
  });
}
