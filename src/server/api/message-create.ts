/**
 * Creating a message: validation, `enforce_nonce`, replies, mentions, attachments, then the
 * durable write, the author's read state, mention counts, and MESSAGE_CREATE — in that order, so
 * nobody hears of a message that is not stored.
 */
import type { FastifyRequest } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { Permission, hasPermission } from '../../shared/permissions.js';
import { MessageType, type Attachment, type Embed, type Message } from '../../shared/protocol/entities.js';
import { createMessageSchema } from '../../shared/protocol/rest.js';
import type { z } from 'zod';
import { snowflakeTimestamp, type Snowflake } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { MemberRecord, MessageRecord, UserRecord } from '../store/store.js';
import { assertPermission, canView, requireChannelAccess, type ChannelAccess } from '../domain/access.js';
import { sanitizeFilename } from './attachment-files.js';
import { discardUploads, finishUploads, readMessageBody, type MessageBody } from './attachments.js';
import { userOf } from './auth.js';
import { parseMentions, resolveMentions, type ResolvedMentions } from './mentions.js';
import { channelAudience, requireMessageChannel } from './message-access.js';
import { loadMessageView, toMessageMember } from './message-view.js';

/** How long `enforce_nonce` remembers a nonce ("the past few minutes", as Discord). */
export const ENFORCE_NONCE_WINDOW_MS = 5 * 60_000;

/** How mentions resolve for this author in this channel. */
export function mentionRulesFor(ctx: ServerContext, access: ChannelAccess, authorId: Snowflake, repliedUserId?: Snowflake) {
  return {
    authorId,
    repliedUserId,
    canMentionEveryone: hasPermission(access.channelPermissions, Permission.MENTION_EVERYONE),
    roleMentionable: new Map(access.roles.filter((r) => r.id !== access.guild.id).map((r) => [r.id, r.mentionable])),
    async membersAmong(userIds: readonly Snowflake[]) {
      const members = await Promise.all(userIds.map((id) => ctx.store.getMember(access.guild.id, id)));
      return new Set(members.flatMap((m) => (m ? [m.userId] : [])));
    },
  };
}

/** Members (not the author) whose mention count the message raises: pinged and able to see it. */
async function mentionRecipients(ctx: ServerContext, access: ChannelAccess, mentions: ResolvedMentions, authorId: Snowflake): Promise<Snowflake[]> {
  const recipients = new Set<Snowflake>();
  const consider = (member: MemberRecord) => {
    if (member.userId !== authorId && canView(access, member, access.channel)) recipients.add(member.userId);
  };
  if (!mentions.everyone && mentions.roleIds.length === 0) {
    const members = await Promise.all(mentions.userIds.map((id) => ctx.store.getMember(access.guild.id, id)));
    for (const member of members) if (member) consider(member);
    return [...recipients];
  }
  const users = new Set(mentions.userIds);
  const roles = new Set(mentions.roleIds);
  let after: Snowflake | undefined;
  for (;;) {
    const page = await ctx.store.listMembers(access.guild.id, { after, limit: 1000 });
    for (const member of page) {
      if (mentions.everyone || users.has(member.userId) || member.roleIds.some((id) => roles.has(id))) consider(member);
    }
    if (page.length < 1000) return [...recipients];
    after = page.at(-1)!.userId;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Points `attachment://name` URLs in embeds at the uploaded file of that name, as Discord does. */
export function resolveAttachmentUrls(embeds: Embed[], attachments: readonly Attachment[]): Embed[] {
  const resolve = (url: string) => {
    if (!url.toLowerCase().startsWith('attachment://')) return url;
    const name = url.slice('attachment://'.length);
    const stored = sanitizeFilename(safeDecode(name));
    return attachments.find((a) => a.filename === name || a.filename === stored)?.url ?? url;
  };
  return embeds.map((embed) => {
    const copy: Embed = { ...embed };
    if (copy.image) copy.image = { ...copy.image, url: resolve(copy.image.url) };
    if (copy.thumbnail) copy.thumbnail = { ...copy.thumbnail, url: resolve(copy.thumbnail.url) };
    if (copy.footer?.icon_url) copy.footer = { ...copy.footer, icon_url: resolve(copy.footer.icon_url) };
    if (copy.author?.icon_url) copy.author = { ...copy.author, icon_url: resolve(copy.author.icon_url) };
    return copy;
  });
}

/** The replied-to message, checked: same channel, READ_MESSAGE_HISTORY, and present unless the client allows otherwise. */
async function loadReference(
  ctx: ServerContext, access: ChannelAccess, reference: { message_id: Snowflake; channel_id?: Snowflake | undefined; fail_if_not_exists?: boolean | undefined },
): Promise<MessageRecord | undefined> {
  if (reference.channel_id !== undefined && reference.channel_id !== access.channel.id) {
    throw invalidFormBody({ message_reference: { code: 'REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL', message: 'Cannot reply to a message in a different channel' } });
  }
  assertPermission(access.channelPermissions, Permission.READ_MESSAGE_HISTORY);
  const referenced = await ctx.store.getMessage(access.channel.id, reference.message_id);
  if (!referenced && reference.fail_if_not_exists !== false) {
    throw invalidFormBody({ message_reference: { code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' } });
  }
  return referenced;
}

type CreateMessageInput = z.output<typeof createMessageSchema>;

interface Outcome {
  record: MessageRecord;
  /** False when `enforce_nonce` found the earlier message. */
  created: boolean;
  mentions: ResolvedMentions;
}

/** Sends with `enforce_nonce` in flight on this node, by channel, author and nonce. */
const nonceLocks = new WeakMap<ServerContext, Map<string, Promise<unknown>>>();

/**
 * Runs `work` after any earlier send with the same key has finished, so that two copies of one
 * send arriving together (a client retrying over a new connection) make one message, not two.
 */
async function oneAtATime<T>(ctx: ServerContext, key: string, work: () => Promise<T>): Promise<T> {
  let locks = nonceLocks.get(ctx);
  if (!locks) nonceLocks.set(ctx, (locks = new Map()));
  for (let busy = locks.get(key); busy; busy = locks.get(key)) await busy.catch(() => undefined);
  const running = work();
  locks.set(key, running);
  try {
    return await running;
  } finally {
    if (locks.get(key) === running) locks.delete(key);
  }
}

/** Validates the body and stores the message (or finds the earlier one for `enforce_nonce`). */
async function storeMessage(ctx: ServerContext, access: ChannelAccess, author: UserRecord, body: MessageBody): Promise<Outcome> {
  const input = parseBody(createMessageSchema, body.payload);
  const { nonce } = input;
  if (!input.enforce_nonce || nonce === undefined) return storeNewMessage(ctx, access, author, body, input);
  return oneAtATime(ctx, `${access.channel.id}:${author.id}:${nonce}`, async () => {
    const earlier = await ctx.store.getMessageByNonce(access.channel.id, author.id, nonce);
    if (!earlier || Date.now() - snowflakeTimestamp(earlier.id) >= ENFORCE_NONCE_WINDOW_MS) return storeNewMessage(ctx, access, author, body, input);
    await discardUploads(ctx, access.channel.id, body.uploads);
    return { record: earlier, created: false, mentions: { userIds: [], roleIds: [], everyone: false } };
  });
}

/** Stores a new message from a parsed body. */
async function storeNewMessage(
  ctx: ServerContext, access: ChannelAccess, author: UserRecord, body: MessageBody, input: CreateMessageInput,
): Promise<Outcome> {
  const content = input.content ?? '';
  const embeds: Embed[] = input.embeds ?? [];
  if (content.trim().length === 0 && embeds.length === 0 && body.uploads.length === 0) throw new HearthError('EMPTY_MESSAGE');
  const referenced = input.message_reference ? await loadReference(ctx, access, input.message_reference) : undefined;
  const rules = mentionRulesFor(ctx, access, author.id, referenced?.authorId);
  const mentions = await resolveMentions(parseMentions(content), input.allowed_mentions, rules);
  const attachments = await finishUploads(ctx, access.channel.id, body.uploads, input.attachments);
  const record: MessageRecord = {
    id: ctx.ids.next(),
    channelId: access.channel.id,
    guildId: access.guild.id,
    authorId: author.id,
    type: referenced ? MessageType.REPLY : MessageType.DEFAULT,
    content,
    editedAt: null,
    nonce: input.nonce ?? null,
    flags: input.flags ?? 0,
    pinned: false,
    tts: (input.tts ?? false) && hasPermission(access.channelPermissions, Permission.SEND_TTS_MESSAGES),
    mentionEveryone: mentions.everyone,
    mentionIds: mentions.userIds,
    mentionRoleIds: mentions.roleIds,
    attachments,
    embeds: resolveAttachmentUrls(embeds, attachments),
    referenceMessageId: referenced?.id ?? null,
  };
  await ctx.store.createMessage(record);
  return { record, created: true, mentions };
}

/** `POST /channels/:channelId/messages`: JSON or multipart with files. */
export async function createMessage(ctx: ServerContext, request: FastifyRequest<{ Params: { channelId: string } }>): Promise<Message> {
  const author = userOf(request);
  const access = await requireChannelAccess(ctx.store, author.id, request.params.channelId, Permission.SEND_MESSAGES);
  requireMessageChannel(access);
  if (request.isMultipart()) assertPermission(access.channelPermissions, Permission.ATTACH_FILES);
  const body = await readMessageBody(request, ctx, access.channel.id);
  let outcome: Outcome;
  try {
    outcome = await storeMessage(ctx, access, author, body);
  } catch (error) {
    await discardUploads(ctx, access.channel.id, body.uploads);
    throw error;
  }
  const { record, created, mentions } = outcome;
  const view = await loadMessageView(ctx, record, author.id);
  if (record.nonce !== null) view.nonce = record.nonce;
  if (!created) return view;
  await ctx.store.setReadState({ userId: author.id, channelId: record.channelId, lastMessageId: record.id, mentionCount: 0 });
  const recipients = await mentionRecipients(ctx, access, mentions, author.id);
  if (recipients.length > 0) await ctx.store.incrementMentions(record.channelId, recipients);
  const { reactions: _none, ...event } = view;
  ctx.events.publish({
    t: 'MESSAGE_CREATE',
    d: { ...event, guild_id: access.guild.id, member: toMessageMember(access.member, author) },
    audience: channelAudience(access),
  });
  return view;
}
