/**
 * Messages, reactions and read states in SQLite. Messages are keyed by (channel_id, id) in a
 * WITHOUT ROWID table, so a page of history is one range scan of the primary key; reactions are
 * keyed by (channel_id, message_id, emoji, user_id) for the same reason.
 *
 * IDs are stored as decimal text. Text order equals numeric order only between IDs of the same
 * number of digits, which holds for every snowflake made between 2022 and 2090 (19 digits); a
 * query bound with a different digit count is resolved numerically against the channel's IDs.
 */
import type { Attachment, Embed } from '../../../shared/protocol/entities.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import type { HistoryQuery, MessageRecord, MessageStore, ReactionSummary, ReadStateRecord } from '../store.js';
import type { SqliteDatabase } from './database.js';

interface MessageRow {
  channel_id: string;
  id: string;
  guild_id: string | null;
  author_id: string;
  type: number;
  content: string;
  edited_at: number | null;
  nonce: string | null;
  flags: number;
  pinned: number;
  tts: number;
  mention_everyone: number;
  mentions: string;
  mention_roles: string;
  attachments: string;
  embeds: string;
  reference_message_id: string | null;
}

interface ReactionRow {
  message_id: string;
  emoji: string;
  count: number;
  me: number;
}

interface ReadStateRow {
  user_id: string;
  channel_id: string;
  last_message_id: string | null;
  mention_count: number;
}

const COLUMNS = `channel_id, id, guild_id, author_id, type, content, edited_at, nonce, flags, pinned, tts,
  mention_everyone, mentions, mention_roles, attachments, embeds, reference_message_id`;

function toRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    guildId: row.guild_id,
    authorId: row.author_id,
    type: row.type,
    content: row.content,
    editedAt: row.edited_at,
    nonce: row.nonce,
    flags: row.flags,
    pinned: row.pinned === 1,
    tts: row.tts === 1,
    mentionEveryone: row.mention_everyone === 1,
    mentionIds: JSON.parse(row.mentions) as Snowflake[],
    mentionRoleIds: JSON.parse(row.mention_roles) as Snowflake[],
    attachments: JSON.parse(row.attachments) as Attachment[],
    embeds: JSON.parse(row.embeds) as Embed[],
    referenceMessageId: row.reference_message_id,
  };
}

function toRow(message: MessageRecord): MessageRow {
  return {
    channel_id: message.channelId,
    id: message.id,
    guild_id: message.guildId,
    author_id: message.authorId,
    type: message.type,
    content: message.content,
    edited_at: message.editedAt,
    nonce: message.nonce,
    flags: message.flags,
    pinned: message.pinned ? 1 : 0,
    tts: message.tts ? 1 : 0,
    mention_everyone: message.mentionEveryone ? 1 : 0,
    mentions: JSON.stringify(message.mentionIds),
    mention_roles: JSON.stringify(message.mentionRoleIds),
    attachments: JSON.stringify(message.attachments),
    embeds: JSON.stringify(message.embeds),
    reference_message_id: message.referenceMessageId,
  };
}

function toReadState(row: ReadStateRow): ReadStateRecord {
  return { userId: row.user_id, channelId: row.channel_id, lastMessageId: row.last_message_id, mentionCount: row.mention_count };
}

/**
 * Where a bound sits among the channel's IDs when its digit count differs from theirs:
 * 'below' every ID, 'above' every ID, or 'comparable' by text.
 */
type BoundPlace = 'below' | 'comparable' | 'above';

function placeBound(bound: Snowflake, sampleId: Snowflake | undefined): BoundPlace {
  const canonical = BigInt(bound).toString();
  if (sampleId === undefined || canonical.length === sampleId.length) return 'comparable';
  return canonical.length < sampleId.length ? 'below' : 'above';
}

/** The SQLite implementation of {@link MessageStore} over an open, migrated database. */
export function sqliteMessageStore(db: SqliteDatabase): MessageStore {
  const s = prepareStatements(db);

  /** Text form of a bound, valid for comparison with the channel's IDs; `null` bounds nothing. */
  function resolveBound(channelId: Snowflake, bound: Snowflake): { place: BoundPlace; key: string } {
    const sample = (s.newestId.get(channelId) as { id: string } | undefined)?.id;
    return { place: placeBound(bound, sample), key: BigInt(bound).toString() };
  }

  function rows(statement: { all: (...args: unknown[]) => unknown[] }, ...args: unknown[]): MessageRecord[] {
    return (statement.all(...args) as MessageRow[]).map(toRecord);
  }

  function listBefore(channelId: Snowflake, before: Snowflake, limit: number): MessageRecord[] {
    const { place, key } = resolveBound(channelId, before);
    if (place === 'below') return [];
    if (place === 'above') return rows(s.latest, channelId, limit);
    return rows(s.before, channelId, key, limit);
  }

  function listAfter(channelId: Snowflake, after: Snowflake, limit: number): MessageRecord[] {
    const { place, key } = resolveBound(channelId, after);
    if (place === 'above') return [];
    // The `limit` messages just after the bound, oldest first from the index, then newest first.
    const page = place === 'below' ? rows(s.oldest, channelId, limit) : rows(s.after, channelId, key, limit);
    return page.reverse();
  }

  function listAround(channelId: Snowflake, around: Snowflake, limit: number): MessageRecord[] {
    const newerCount = Math.floor(limit / 2);
    const olderCount = limit - newerCount;
    const { place, key } = resolveBound(channelId, around);
    if (place === 'below') return listAfter(channelId, around, newerCount);
    if (place === 'above') return rows(s.latest, channelId, olderCount);
    const newer = newerCount > 0 ? rows(s.after, channelId, key, newerCount).reverse() : [];
    const olderOrSelf = rows(s.atOrBefore, channelId, key, olderCount);
    return [...newer, ...olderOrSelf];
  }

  const createMessage = db.transaction((message: MessageRecord) => {
    s.insert.run(toRow(message));
    s.setLastMessage.run({ channel_id: message.channelId, id: message.id });
  });

  const updateMessage = db.transaction(
    (channelId: Snowflake, id: Snowflake, changes: Parameters<MessageStore['updateMessage']>[2]) => {
      const row = s.get.get(channelId, id) as MessageRow | undefined;
      if (!row) return;
      s.update.run(toRow({ ...toRecord(row), ...changes }));
    },
  );

  const deleteMessage = db.transaction((channelId: Snowflake, id: Snowflake) => {
    s.deleteReactionsOfMessage.run(channelId, id);
    s.delete.run(channelId, id);
  });

  const incrementMentions = db.transaction((channelId: Snowflake, userIds: readonly Snowflake[]) => {
    for (const userId of new Set(userIds)) s.incrementMention.run(userId, channelId);
  });

  return {
    async createMessage(message) {
      createMessage(message);
    },
    async getMessage(channelId, id) {
      const row = s.get.get(channelId, id) as MessageRow | undefined;
      return row && toRecord(row);
    },
    async getMessages(channelId, ids) {
      if (ids.length === 0) return [];
      return rows(s.getMany, channelId, JSON.stringify(ids));
    },
    async getMessageByNonce(channelId, authorId, nonce) {
      const row = s.byNonce.get(channelId, authorId, nonce) as MessageRow | undefined;
      return row && toRecord(row);
    },
    async listMessages(channelId, query: HistoryQuery) {
      if (query.around !== undefined) return listAround(channelId, query.around, query.limit);
      if (query.before !== undefined) return listBefore(channelId, query.before, query.limit);
      if (query.after !== undefined) return listAfter(channelId, query.after, query.limit);
      return rows(s.latest, channelId, query.limit);
    },
    async updateMessage(channelId, id, changes) {
      updateMessage(channelId, id, changes);
    },
    async deleteMessage(channelId, id) {
      deleteMessage(channelId, id);
    },

    async addReaction(channelId, messageId, emoji, userId, createdAt) {
      return s.addReaction.run(channelId, messageId, emoji, userId, createdAt).changes === 1;
    },
    async removeReaction(channelId, messageId, emoji, userId) {
      return s.removeReaction.run(channelId, messageId, emoji, userId).changes === 1;
    },
    async removeAllReactions(channelId, messageId, emoji) {
      if (emoji === undefined) s.deleteReactionsOfMessage.run(channelId, messageId);
      else s.deleteReactionsOfEmoji.run(channelId, messageId, emoji);
    },
    async listReactions(channelId, messageIds, viewerId) {
      if (messageIds.length === 0) return [];
      const found = s.reactionSummaries.all(viewerId, channelId, JSON.stringify(messageIds)) as ReactionRow[];
      return found.map((r): ReactionSummary => ({ messageId: r.message_id, emoji: r.emoji, count: r.count, me: r.me === 1 }));
    },
    async listReactionUsers(channelId, messageId, emoji, options) {
      const found = s.reactionUsers.all(channelId, messageId, emoji, options.after ?? '', options.limit) as { user_id: string }[];
      return found.map((r) => r.user_id);
    },

    async getReadStates(userId) {
      return (s.readStates.all(userId) as ReadStateRow[]).map(toReadState);
    },
    async getReadState(userId, channelId) {
      const row = s.readState.get(userId, channelId) as ReadStateRow | undefined;
      return row && toReadState(row);
    },
    async setReadState(state) {
      s.setReadState.run(state.userId, state.channelId, state.lastMessageId, state.mentionCount);
    },
    async incrementMentions(channelId, userIds) {
      incrementMentions(channelId, userIds);
    },
  };
}

/** Every statement, prepared once per database. */
function prepareStatements(db: SqliteDatabase) {
  const select = `SELECT ${COLUMNS} FROM messages`;
  return {
    insert: db.prepare(`INSERT INTO messages (${COLUMNS}) VALUES (@channel_id, @id, @guild_id, @author_id, @type, @content,
      @edited_at, @nonce, @flags, @pinned, @tts, @mention_everyone, @mentions, @mention_roles, @attachments, @embeds,
      @reference_message_id)`),
    // Only moves forward: a message written late (imports) never hides a newer one.
    setLastMessage: db.prepare(`UPDATE channels SET last_message_id = @id WHERE id = @channel_id AND (last_message_id IS NULL
      OR length(last_message_id) < length(@id) OR (length(last_message_id) = length(@id) AND last_message_id < @id))`),
    update: db.prepare(`UPDATE messages SET content = @content, edited_at = @edited_at, flags = @flags, pinned = @pinned,
      mention_everyone = @mention_everyone, mentions = @mentions, mention_roles = @mention_roles,
      attachments = @attachments, embeds = @embeds WHERE channel_id = @channel_id AND id = @id`),
    delete: db.prepare('DELETE FROM messages WHERE channel_id = ? AND id = ?'),
    get: db.prepare(`${select} WHERE channel_id = ? AND id = ?`),
    getMany: db.prepare(`${select} WHERE channel_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`),
    byNonce: db.prepare(`${select} WHERE channel_id = ? AND author_id = ? AND nonce = ? ORDER BY id DESC LIMIT 1`),
    newestId: db.prepare('SELECT id FROM messages WHERE channel_id = ? ORDER BY id DESC LIMIT 1'),
    latest: db.prepare(`${select} WHERE channel_id = ? ORDER BY id DESC LIMIT ?`),
    oldest: db.prepare(`${select} WHERE channel_id = ? ORDER BY id ASC LIMIT ?`),
    before: db.prepare(`${select} WHERE channel_id = ? AND id < ? ORDER BY id DESC LIMIT ?`),
    atOrBefore: db.prepare(`${select} WHERE channel_id = ? AND id <= ? ORDER BY id DESC LIMIT ?`),
    after: db.prepare(`${select} WHERE channel_id = ? AND id > ? ORDER BY id ASC LIMIT ?`),

    addReaction: db.prepare(`INSERT INTO reactions (channel_id, message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`),
    removeReaction: db.prepare('DELETE FROM reactions WHERE channel_id = ? AND message_id = ? AND emoji = ? AND user_id = ?'),
    deleteReactionsOfMessage: db.prepare('DELETE FROM reactions WHERE channel_id = ? AND message_id = ?'),
    deleteReactionsOfEmoji: db.prepare('DELETE FROM reactions WHERE channel_id = ? AND message_id = ? AND emoji = ?'),
    reactionSummaries: db.prepare(`SELECT message_id, emoji, COUNT(*) AS count, MAX(user_id = ?) AS me FROM reactions
      WHERE channel_id = ? AND message_id IN (SELECT value FROM json_each(?))
      GROUP BY message_id, emoji ORDER BY message_id DESC, MIN(created_at), emoji`),
    reactionUsers: db.prepare(`SELECT user_id FROM reactions WHERE channel_id = ? AND message_id = ? AND emoji = ?
      AND user_id > ? ORDER BY user_id LIMIT ?`),

    readStates: db.prepare('SELECT user_id, channel_id, last_message_id, mention_count FROM read_states WHERE user_id = ?'),
    readState: db.prepare(`SELECT user_id, channel_id, last_message_id, mention_count FROM read_states
      WHERE user_id = ? AND channel_id = ?`),
    setReadState: db.prepare(`INSERT INTO read_states (user_id, channel_id, last_message_id, mention_count) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id, channel_id) DO UPDATE SET last_message_id = excluded.last_message_id,
      mention_count = excluded.mention_count`),
    incrementMention: db.prepare(`INSERT INTO read_states (user_id, channel_id, last_message_id, mention_count) VALUES (?, ?, NULL, 1)
      ON CONFLICT (user_id, channel_id) DO UPDATE SET mention_count = mention_count + 1`),
  };
}
