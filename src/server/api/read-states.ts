/**
 * Read states: per user and channel, the last message read and the mentions since. Clients learn
 * them in READY (`read_state`, built from `store.getReadStates`) and from MESSAGE_ACK, which goes
 * only to the user's own sessions. Sending a message marks the channel read for its author
 * (message-create.ts); mentions raise the mentioned users' counts.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { ackMessageSchema, type AckMessageResponse } from '../../shared/protocol/rest.js';
import { compareSnowflakes } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { UserRecord } from '../store/store.js';
import { requireChannelAccess, type ChannelAccess } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { requireMessage, requireMessageChannel } from './message-access.js';
import { Buckets } from './rate-limit.js';

/**
 * Mentions of the member in the messages after `messageId` (at most the newest 100 of them):
 * a message that arrived while the client was acking an older one stays counted.
 */
async function mentionsAfter(ctx: ServerContext, access: ChannelAccess, messageId: string): Promise<number> {
  const { member } = access;
  const later = await ctx.store.listMessages(access.channel.id, { after: messageId, limit: 100 });
  return later.filter((m) => m.authorId !== member.userId && (
    m.mentionEveryone || m.mentionIds.includes(member.userId) || m.mentionRoleIds.some((id) => member.roleIds.includes(id))
  )).length;
}

/**
 * `POST /channels/:channelId/messages/:messageId/ack`: marks the channel read up to the message.
 * With `manual: true` and a `mention_count` it marks it unread from there instead (Discord's
 * "Mark Unread"). Bots have no read states (20001, as Discord).
 */
async function ackMessage(ctx: ServerContext, user: UserRecord, channelId: string, messageId: string, body: unknown): Promise<AckMessageResponse> {
  if (user.bot) throw new HearthError('BOTS_CANNOT_USE_ENDPOINT');
  const access = await requireChannelAccess(ctx.store, user.id, channelId);
  requireMessageChannel(access);
  const message = await requireMessage(ctx, access.channel.id, messageId);
  const input = parseBody(ackMessageSchema, body ?? {});
  let mentionCount = input.manual ? (input.mention_count ?? 0) : 0;
  if (!input.manual) {
    const current = await ctx.store.getReadState(user.id, message.channelId);
    // A late ack of an older message (one client behind another) must not mark newer ones unread.
    if (current?.lastMessageId && compareSnowflakes(current.lastMessageId, message.id) > 0) return { token: null };
    mentionCount = await mentionsAfter(ctx, access, message.id);
  }
  await ctx.store.setReadState({ userId: user.id, channelId: message.channelId, lastMessageId: message.id, mentionCount });
  ctx.events.publish({
    t: 'MESSAGE_ACK',
    d: { channel_id: message.channelId, message_id: message.id, mention_count: mentionCount },
    audience: { kind: 'users', userIds: [user.id] },
  });
  return { token: null };
}

export function registerReadStateRoutes(scope: FastifyInstance, ctx: ServerContext): void {
  const write = { onRequest: requireUser(ctx), config: { rateLimit: Buckets.channelWrite } };
  scope.post<{ Params: { channelId: string; messageId: string } }>('/channels/:channelId/messages/:messageId/ack', write, async (request) =>
    ackMessage(ctx, userOf(request), request.params.channelId, request.params.messageId, request.body));
}
