/**
 * Read states: per user and channel, the last message read and the mentions since. Clients learn
 * them in READY (`read_state`, built from `store.getReadStates`) and from MESSAGE_ACK, which goes
 * only to the user's own sessions. Sending a message marks the channel read for its author
 * (message-create.ts); mentions raise the mentioned users' counts.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { ackMessageSchema, type AckMessageResponse } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { UserRecord } from '../store/store.js';
import { requireChannelAccess } from './access.js';
import { requireUser, userOf } from './auth.js';
import { requireMessage, requireMessageChannel } from './message-access.js';
import { Buckets } from './rate-limit.js';

/**
 * `POST /channels/:channelId/messages/:messageId/ack`: marks the channel read up to the message.
 * With `manual: true` and a `mention_count` it marks it unread from there instead (Discord's
 * "Mark Unread"). Bots have no read states (20001, as Discord).
 */
async function ackMessage(ctx: ServerContext, user: UserRecord, channelId: string, messageId: string, body: unknown): Promise<AckMessageResponse> {
  if (user.bot) throw new HearthError('BOTS_CANNOT_USE_ENDPOINT');
  const access = await requireChannelAccess(ctx, user.id, channelId);
  requireMessageChannel(access);
  const message = await requireMessage(ctx, access.channel.id, messageId);
  const input = parseBody(ackMessageSchema, body ?? {});
  const mentionCount = input.manual ? (input.mention_count ?? 0) : 0;
  await ctx.store.setReadState({ userId: user.id, channelId: message.channelId, lastMessageId: message.id, mentionCount });
  ctx.events.publish({
    t: 'MESSAGE_ACK',
    d: { channel_id: message.channelId, message_id: message.id, mention_count: mentionCount },
    audience: { kind: 'users', userIds: [user.id] },
  });
  return { token: null };
}

export function registerReadStateRoutes(scope: FastifyInstance, ctx: ServerContext): void {
  const write = { preHandler: requireUser(ctx), config: { rateLimit: Buckets.channelWrite } };
  scope.post<{ Params: { channelId: string; messageId: string } }>('/channels/:channelId/messages/:messageId/ack', write, async (request) =>
    ackMessage(ctx, userOf(request), request.params.channelId, request.params.messageId, request.body));
}
