/**
 * Message routes: history, get one, create (message-create.ts), edit own, delete (own, or with
 * MANAGE_MESSAGES), typing. Reactions and read states have their own files; all of them are
 * registered here in one scope that accepts multipart uploads.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { Permission, hasPermission } from '../../shared/permissions.js';
import type { Attachment, Embed, Message } from '../../shared/protocol/entities.js';
import { MessageFlag, bulkDeleteMessagesSchema, editMessageSchema, listMessagesQuerySchema } from '../../shared/protocol/rest.js';
import { snowflakeTimestamp, type Snowflake } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import { ApplicationFlag, messageContentExempt, withoutMessageContent } from '../gateway/intents.js';
import type { MessageRecord, MessageStore, UserRecord } from '../store/store.js';
import { assertPermission, requireChannelAccess, type ChannelAccess } from '../domain/access.js';
import { deleteAttachmentFiles } from './attachment-files.js';
import { MAX_ATTACHMENTS, MAX_UPLOAD_BYTES, discardUploads, finishUploads, readMessageBody, type MessageBody } from './attachments.js';
import { requireUser, userOf } from './auth.js';
import { parseMentions, resolveMentions } from './mentions.js';
import { channelAudience, requireMessage, requireMessageChannel } from './message-access.js';
import { createMessage, mentionRulesFor, resolveAttachmentUrls } from './message-create.js';
import { loadMessageView, loadMessageViews, toMessageMember } from './message-view.js';
import { Buckets } from './rate-limit.js';
import { registerReactionRoutes } from './reactions.js';
import { registerReadStateRoutes } from './read-states.js';
import { toMember } from '../domain/shapes.js';

type MessageParams = { Params: { channelId: string; messageId: string } };

/** Publishes MESSAGE_UPDATE with the author's member, as Discord sends it in guilds. */
async function publishUpdate(ctx: ServerContext, access: ChannelAccess, view: Message, authorId: Snowflake): Promise<void> {
  const [member, author] = await Promise.all([ctx.store.getMember(access.guild.id, authorId), ctx.store.getUser(authorId)]);
  const { reactions: _perViewer, ...event } = view;
  const d: Message = { ...event, guild_id: access.guild.id };
  if (member && author) d.member = toMessageMember(member, author);
  ctx.events.publish({ t: 'MESSAGE_UPDATE', d, audience: channelAudience(access) });
}

type EditInput = ReturnType<typeof editMessageSchema.parse>;

interface Edit {
  changes: Parameters<MessageStore['updateMessage']>[2];
  removedAttachmentIds: Snowflake[];
}

/** Another member's message: only SUPPRESS_EMBEDS may change, with MANAGE_MESSAGES (as Discord). */
function editOthers(access: ChannelAccess, existing: MessageRecord, input: EditInput, body: MessageBody): Edit {
  const touches = input.content !== undefined || input.embeds !== undefined || input.attachments !== undefined || body.uploads.length > 0;
  if (touches || input.flags === undefined) throw new HearthError('CANNOT_EDIT_OTHERS_MESSAGE');
  assertPermission(access.channelPermissions, Permission.MANAGE_MESSAGES);
  return { changes: { flags: withSuppressEmbeds(existing.flags, input.flags) }, removedAttachmentIds: [] };
}

function withSuppressEmbeds(flags: number, requested: number | null): number {
  return requested === null ? flags : (flags & ~MessageFlag.SUPPRESS_EMBEDS) | (requested & MessageFlag.SUPPRESS_EMBEDS);
}

/** The author's edit: content (mentions re-parsed), embeds, kept and new attachments, flags. */
async function editOwn(ctx: ServerContext, access: ChannelAccess, existing: MessageRecord, input: EditInput, body: MessageBody): Promise<Edit> {
  const content = input.content === undefined ? existing.content : (input.content ?? '');
  const keep = input.attachments === undefined ? undefined : new Set((input.attachments ?? []).map((a) => String(a.id)));
  const kept = keep ? existing.attachments.filter((a) => keep.has(a.id)) : existing.attachments;
  if (kept.length + body.uploads.length > MAX_ATTACHMENTS) {
    throw invalidFormBody({ attachments: { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_ATTACHMENTS} or fewer in length.` } });
  }
  const uploaded = await finishUploads(ctx, access.channel.id, body.uploads, input.attachments ?? []);
  const attachments: Attachment[] = [...kept, ...uploaded];
  const embeds: Embed[] = input.embeds === undefined ? existing.embeds : resolveAttachmentUrls(input.embeds ?? [], attachments);
  if (content.trim().length === 0 && embeds.length === 0 && attachments.length === 0) throw new HearthError('EMPTY_MESSAGE');
  const changes: Edit['changes'] = { content, embeds, attachments };
  if (input.content !== undefined || input.allowed_mentions !== undefined) {
    const referenced = existing.referenceMessageId ? await ctx.store.getMessage(existing.channelId, existing.referenceMessageId) : undefined;
    // A reply keeps pinging its replied-to author only if it did so when sent.
    const replied = referenced && existing.mentionIds.includes(referenced.authorId) ? referenced.authorId : undefined;
    const rules = mentionRulesFor(ctx, access, existing.authorId, replied);
    const mentions = await resolveMentions(parseMentions(content), input.allowed_mentions ?? undefined, rules);
    Object.assign(changes, { mentionIds: mentions.userIds, mentionRoleIds: mentions.roleIds, mentionEveryone: mentions.everyone });
  }
  const contentChanged = input.content !== undefined || input.embeds !== undefined || input.attachments !== undefined || body.uploads.length > 0;
  if (contentChanged) changes.editedAt = Date.now();
  if (input.flags !== undefined) changes.flags = withSuppressEmbeds(existing.flags, input.flags);
  const removedAttachmentIds = existing.attachments.filter((a) => !kept.includes(a)).map((a) => a.id);
  return { changes, removedAttachmentIds };
}

/** `PATCH /channels/:channelId/messages/:messageId`. */
async function editMessage(ctx: ServerContext, request: FastifyRequest<MessageParams>): Promise<Message> {
  const user = userOf(request);
  const access = await requireChannelAccess(ctx.store, user.id, request.params.channelId);
  requireMessageChannel(access);
  const existing = await requireMessage(ctx, access.channel.id, request.params.messageId);
  const own = existing.authorId === user.id;
  if (request.isMultipart()) {
    if (!own) throw new HearthError('CANNOT_EDIT_OTHERS_MESSAGE');
    assertPermission(access.channelPermissions, Permission.ATTACH_FILES);
  }
  const body = await readMessageBody(request, ctx, access.channel.id);
  let edit: Edit;
  try {
    const input = parseBody(editMessageSchema, body.payload);
    edit = own ? await editOwn(ctx, access, existing, input, body) : editOthers(access, existing, input, body);
    await ctx.store.updateMessage(existing.channelId, existing.id, edit.changes);
  } catch (error) {
    await discardUploads(ctx, access.channel.id, body.uploads);
    throw error;
  }
  await deleteAttachmentFiles(ctx.config.dataDir, existing.channelId, edit.removedAttachmentIds);
  const view = await loadMessageView(ctx, await requireMessage(ctx, existing.channelId, existing.id), user.id);
  await publishUpdate(ctx, access, view, existing.authorId);
  return view;
}

/** `DELETE /channels/:channelId/messages/:messageId`: own messages, or anyone's with MANAGE_MESSAGES. */
async function deleteMessage(ctx: ServerContext, user: UserRecord, channelId: string, messageId: string): Promise<void> {
  const access = await requireChannelAccess(ctx.store, user.id, channelId);
  const existing = await requireMessage(ctx, access.channel.id, messageId);
  if (existing.authorId !== user.id) assertPermission(access.channelPermissions, Permission.MANAGE_MESSAGES);
  await ctx.store.deleteMessage(existing.channelId, existing.id);
  await deleteAttachmentFiles(ctx.config.dataDir, existing.channelId, existing.attachments.map((a) => a.id));
  ctx.events.publish({
    t: 'MESSAGE_DELETE',
    d: { id: existing.id, channel_id: existing.channelId, guild_id: access.guild.id },
    audience: channelAudience(access),
  });
}

/** How old a message may be to go in a bulk delete (Discord's rule). */
export const BULK_DELETE_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;

/** `POST /channels/:channelId/messages/bulk-delete`: MANAGE_MESSAGES; one MESSAGE_DELETE_BULK for the lot. */
async function bulkDeleteMessages(ctx: ServerContext, user: UserRecord, channelId: string, body: unknown): Promise<void> {
  const access = await requireChannelAccess(ctx.store, user.id, channelId, Permission.MANAGE_MESSAGES);
  requireMessageChannel(access);
  const { messages } = parseBody(bulkDeleteMessagesSchema, body);
  const ids = [...new Set(messages)];
  if (ids.some((id) => Date.now() - snowflakeTimestamp(id) > BULK_DELETE_MAX_AGE_MS)) throw new HearthError('BULK_DELETE_TOO_OLD');
  const found = await ctx.store.getMessages(access.channel.id, ids);
  for (const message of found) await ctx.store.deleteMessage(message.channelId, message.id);
  await deleteAttachmentFiles(ctx.config.dataDir, access.channel.id, found.flatMap((m) => m.attachments.map((a) => a.id)));
  if (found.length === 0) return;
  ctx.events.publish({
    t: 'MESSAGE_DELETE_BULK',
    d: { ids: found.map((m) => m.id), channel_id: access.channel.id, guild_id: access.guild.id },
    audience: channelAudience(access),
  });
}

/** `GET /channels/:channelId/messages`: newest first; empty without READ_MESSAGE_HISTORY (as Discord). */
async function listMessages(ctx: ServerContext, user: UserRecord, channelId: string, query: unknown): Promise<Message[]> {
  const access = await requireChannelAccess(ctx.store, user.id, channelId);
  requireMessageChannel(access);
  const { limit, before, after, around } = parseBody(listMessagesQuerySchema, query);
  if (!hasPermission(access.channelPermissions, Permission.READ_MESSAGE_HISTORY)) return [];
  const records = await ctx.store.listMessages(access.channel.id, { limit, before, after, around });
  return forReader(ctx, user, await loadMessageViews(ctx, records, user.id));
}

/**
 * A bot whose application has the MESSAGE_CONTENT intent switched off reads others' messages
 * without content over REST too (as on Discord), unless they mention it; otherwise unchanged.
 */
async function forReader(ctx: ServerContext, user: UserRecord, messages: Message[]): Promise<Message[]> {
  if (!user.bot) return messages;
  const application = await ctx.store.getApplicationByBotUser(user.id);
  if (!application || (application.flags & ApplicationFlag.GATEWAY_MESSAGE_CONTENT) !== 0) return messages;
  return messages.map((message) => (messageContentExempt(message, user.id) ? message : withoutMessageContent(message)));
}

/** `POST /channels/:channelId/typing`: TYPING_START to the channel's viewers for 10 seconds. */
async function startTyping(ctx: ServerContext, user: UserRecord, channelId: string): Promise<void> {
  const access = await requireChannelAccess(ctx.store, user.id, channelId, Permission.SEND_MESSAGES);
  requireMessageChannel(access);
  ctx.events.publish({
    t: 'TYPING_START',
    d: {
      channel_id: access.channel.id,
      guild_id: access.guild.id,
      user_id: user.id,
      timestamp: Math.floor(Date.now() / 1000),
      member: toMember(access.member, user),
    },
    audience: channelAudience(access),
  });
}

/** Registers message, reaction and read-state routes in a scope that parses multipart uploads. */
export async function registerMessageRoutes(api: FastifyInstance, ctx: ServerContext): Promise<void> {
  await api.register(async (scope) => {
    await scope.register(fastifyMultipart, { throwFileSizeLimit: true, limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: MAX_ATTACHMENTS } });
    // An upload refused before it was read to the end leaves its bytes on the socket, where they
    // would be taken for the next request: close the connection instead of reading them.
    scope.addHook('onSend', async (request, reply, payload) => {
      if (request.isMultipart() && !request.raw.complete) void reply.header('Connection', 'close');
      return payload;
    });
    const auth = requireUser(ctx);
    const read = { onRequest: auth, config: { rateLimit: Buckets.channelRead } };
    const write = { onRequest: auth, config: { rateLimit: Buckets.channelWrite } };

    scope.get<{ Params: { channelId: string } }>('/channels/:channelId/messages', read, async (request) =>
      listMessages(ctx, userOf(request), request.params.channelId, request.query));

    scope.get<MessageParams>('/channels/:channelId/messages/:messageId', read, async (request) => {
      const user = userOf(request);
      const access = await requireChannelAccess(ctx.store, user.id, request.params.channelId, Permission.READ_MESSAGE_HISTORY);
      const [message] = await forReader(ctx, user, [await loadMessageView(ctx, await requireMessage(ctx, access.channel.id, request.params.messageId), user.id)]);
      return message;
    });

    scope.post<{ Params: { channelId: string } }>('/channels/:channelId/messages', write, async (request) => createMessage(ctx, request));

    scope.patch<MessageParams>('/channels/:channelId/messages/:messageId', write, async (request) => editMessage(ctx, request));

    scope.delete<MessageParams>('/channels/:channelId/messages/:messageId', write, async (request, reply) => {
      await deleteMessage(ctx, userOf(request), request.params.channelId, request.params.messageId);
      return reply.code(204).send();
    });

    scope.post<{ Params: { channelId: string } }>('/channels/:channelId/messages/bulk-delete', write, async (request, reply) => {
      await bulkDeleteMessages(ctx, userOf(request), request.params.channelId, request.body);
      return reply.code(204).send();
    });

    scope.post<{ Params: { channelId: string } }>('/channels/:channelId/typing', write, async (request, reply) => {
      await startTyping(ctx, userOf(request), request.params.channelId);
      return reply.code(204).send();
    });

    registerReactionRoutes(scope, ctx);
    registerReadStateRoutes(scope, ctx);
  });
}
