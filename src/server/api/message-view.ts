/**
 * Message records → Discord v10 message objects, in batches: one user lookup, one reaction query
 * and one referenced-message query for a whole page of history.
 */
import type { Attachment, Embed, GuildMember, Message, Reaction, User } from '../../shared/protocol/entities.js';
import { MessageType } from '../../shared/protocol/entities.js';
import { snowflakeTimestamp, type Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import type { MemberRecord, MessageRecord, ReactionSummary, UserRecord } from '../store/store.js';
import { attachmentPath, type AttachmentUrlSigner } from './attachment-urls.js';
import { toMember, toUser } from '../domain/shapes.js';

/** How a user who no longer exists appears (Discord shows "Deleted User"). */
function deletedUser(id: Snowflake): User {
  return { id, username: 'deleted_user', discriminator: '0', global_name: 'Deleted User', avatar: null, public_flags: 0 };
}

function toReaction(summary: ReactionSummary): Reaction {
  return {
    count: summary.count,
    count_details: { burst: 0, normal: summary.count },
    me: summary.me,
    me_burst: false,
    burst_colors: [],
    emoji: { id: null, name: summary.emoji },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Embed images that show this message's own uploads get their current signed URL too. */
function withCurrentEmbedUrls(embed: Embed, record: MessageRecord, urls: AttachmentUrls): Embed {
  const current = (url: string) => {
    const withoutQuery = url.split('?')[0]!;
    const own = record.attachments.find((a) => withoutQuery.endsWith(attachmentPath(record.channelId, a.id, a.filename)));
    return own ? urls.sign(record.channelId, own.id, own.filename) : url;
  };
  if (record.attachments.length === 0 || (!embed.image && !embed.thumbnail)) return embed;
  const copy: Embed = { ...embed };
  if (copy.image) copy.image = { ...copy.image, url: current(copy.image.url) };
  if (copy.thumbnail) copy.thumbnail = { ...copy.thumbnail, url: current(copy.thumbnail.url) };
  return copy;
}

/**
 * Signs attachment URLs for the messages being built, with the base URL of now, so a server that
 * moved (new host or port) serves working links.
 */
interface AttachmentUrls {
  sign(channelId: Snowflake, attachmentId: Snowflake, filename: string): string;
}

function withCurrentUrl(attachment: Attachment, channelId: Snowflake, urls: AttachmentUrls): Attachment {
  const url = urls.sign(channelId, attachment.id, attachment.filename);
  return { ...attachment, url, proxy_url: url };
}

/** Everything a batch of messages refers to, loaded once. */
interface Related {
  urls: AttachmentUrls;
  users: Map<Snowflake, UserRecord>;
  reactions: Map<Snowflake, Reaction[]>;
  referenced: Map<Snowflake, MessageRecord>;
}

function shape(record: MessageRecord, related: Related, nested: boolean): Message {
  const user = (id: Snowflake) => {
    const found = related.users.get(id);
    return found ? toUser(found) : deletedUser(id);
  };
  const message: Message = {
    id: record.id,
    channel_id: record.channelId,
    author: user(record.authorId),
    content: record.content,
    timestamp: iso(snowflakeTimestamp(record.id)),
    edited_timestamp: record.editedAt === null ? null : iso(record.editedAt),
    tts: record.tts,
    mention_everyone: record.mentionEveryone,
    mentions: record.mentionIds.map(user),
    mention_roles: [...record.mentionRoleIds],
    attachments: record.attachments.map((a) => withCurrentUrl(a, record.channelId, related.urls)),
    embeds: record.embeds.map((embed) => withCurrentEmbedUrls(embed, record, related.urls)),
    pinned: record.pinned,
    type: record.type,
    flags: record.flags,
  };
  if (record.guildId !== null) message.guild_id = record.guildId;
  const reactions = related.reactions.get(record.id);
  if (reactions && !nested) message.reactions = reactions;
  if (record.referenceMessageId !== null) {
    message.message_reference = { type: 0, message_id: record.referenceMessageId, channel_id: record.channelId };
    if (record.guildId !== null) message.message_reference.guild_id = record.guildId;
    if (!nested && record.type === MessageType.REPLY) {
      // Discord sends null when the replied-to message was deleted, and never nests deeper.
      const referenced = related.referenced.get(record.referenceMessageId);
      message.referenced_message = referenced ? shape(referenced, related, true) : null;
    }
  }
  return message;
}

/**
 * Builds the message objects `viewerId` sees (reactions with their `me`), in the order given.
 * All records must belong to one channel.
 */
export async function loadMessageViews(ctx: ServerContext, records: readonly MessageRecord[], viewerId: Snowflake): Promise<Message[]> {
  if (records.length === 0) return [];
  const { store } = ctx;
  const channelId = records[0]!.channelId;
  const referenceIds = [...new Set(records.flatMap((r) => (r.referenceMessageId ? [r.referenceMessageId] : [])))];
  const [referenced, summaries] = await Promise.all([
    store.getMessages(channelId, referenceIds),
    store.listReactions(channelId, records.map((r) => r.id), viewerId),
  ]);
  const userIds = new Set<Snowflake>();
  for (const record of [...records, ...referenced]) {
    userIds.add(record.authorId);
    for (const id of record.mentionIds) userIds.add(id);
  }
  const related: Related = {
    urls: signerAt(ctx.attachmentUrls, ctx.baseUrl()),
    users: new Map((await store.getUsers([...userIds])).map((u) => [u.id, u])),
    reactions: new Map(),
    referenced: new Map(referenced.map((r) => [r.id, r])),
  };
  for (const summary of summaries) {
    const list = related.reactions.get(summary.messageId) ?? [];
    list.push(toReaction(summary));
    related.reactions.set(summary.messageId, list);
  }
  return records.map((record) => shape(record, related, false));
}

function signerAt(signer: AttachmentUrlSigner, baseUrl: string): AttachmentUrls {
  return { sign: (channelId, attachmentId, filename) => signer.url(baseUrl, channelId, attachmentId, filename) };
}

/** One message as `viewerId` sees it. */
export async function loadMessageView(ctx: ServerContext, record: MessageRecord, viewerId: Snowflake): Promise<Message> {
  const [view] = await loadMessageViews(ctx, [record], viewerId);
  return view!;
}

/** The author's member without `user`, as MESSAGE_CREATE/UPDATE carry it in guilds. */
export function toMessageMember(member: MemberRecord, user: UserRecord): Omit<GuildMember, 'user'> {
  const { user: _user, ...rest } = toMember(member, user);
  return rest;
}
