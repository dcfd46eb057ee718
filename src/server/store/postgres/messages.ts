/**
 * Messages, reactions and read states on PostgreSQL. Messages are keyed by (channel_id, id) with
 * BIGINT snowflakes, so a page of history is one range scan of the primary key in ID order; the
 * history statements are exported so a test can check their plans.
 *
 * Every write here is a single statement (a CTE where two tables change), so it is atomic without
 * a transaction and costs one round trip; it returns once PostgreSQL has committed it durably.
 */
import type { Attachment, Embed } from '../../../shared/protocol/entities.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import type { MessageRecord, MessageStore, ReactionSummary, ReadStateRecord } from '../store.js';
import {
  MAX_BIGINT, afterParam, execute, idParam, idsParam, jsonParam, query, queryOne, statement, updateColumns, type PgPool, type Statement,
} from './database.js';

interface MessageRow {
  channel_id: string;
  id: string;
  guild_id: string | null;
  author_id: string;
  type: number;
  content: string;
  edited_at: string | null;
  nonce: string | null;
  flags: number;
  pinned: boolean;
  tts: boolean;
  mention_everyone: boolean;
  mentions: Snowflake[];
  mention_roles: Snowflake[];
  attachments: Attachment[];
  embeds: Embed[];
  reference_message_id: string | null;
}

interface ReactionRow { message_id: string; emoji: string; count: number; me: boolean }
interface ReadStateRow { user_id: string; channel_id: string; last_message_id: string | null; mention_count: number }

const COLUMNS = `channel_id, id, guild_id, author_id, type, content, edited_at, nonce, flags, pinned, tts,
  mention_everyone, mentions, mention_roles, attachments, embeds, reference_message_id`;
const SELECT = `SELECT ${COLUMNS} FROM messages`;
const READ_STATE = 'user_id, channel_id, last_message_id, mention_count';

/** The history statements: `$1` channel, `$2` bound, `$3` limit (`$4` second limit for around). */
export const HISTORY_SQL = {
  latest: statement(`${SELECT} WHERE channel_id = $1 ORDER BY id DESC LIMIT $2`),
  before: statement(`${SELECT} WHERE channel_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`),
  after: statement(`${SELECT} WHERE channel_id = $1 AND id > $2 ORDER BY id ASC LIMIT $3`),
  // Newer ones (ascending from the bound), then the message and older ones; one round trip.
  around: statement(`(${SELECT} WHERE channel_id = $1 AND id > $2 ORDER BY id ASC LIMIT $3)
    UNION ALL (${SELECT} WHERE channel_id = $1 AND id <= $2 ORDER BY id DESC LIMIT $4) ORDER BY id DESC`),
} satisfies Record<string, Statement>;

const sql = {
  // Sets the channel's last message in the same statement; it only moves forward, so a message
  // written late (imports) never hides a newer one.
  insert: statement(`WITH stored AS (INSERT INTO messages (${COLUMNS})
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING channel_id, id)
    UPDATE channels c SET last_message_id = stored.id FROM stored
    WHERE c.id = stored.channel_id AND (c.last_message_id IS NULL OR c.last_message_id < stored.id)`),
  get: statement(`${SELECT} WHERE channel_id = $1 AND id = $2`),
  getMany: statement(`${SELECT} WHERE channel_id = $1 AND id = ANY($2::bigint[]) ORDER BY id DESC`),
  byNonce: statement(`${SELECT} WHERE channel_id = $1 AND author_id = $2 AND nonce = $3 ORDER BY id DESC LIMIT 1`),
  delete: statement(`WITH reactions_gone AS (DELETE FROM reactions WHERE channel_id = $1 AND message_id = $2)
    DELETE FROM messages WHERE channel_id = $1 AND id = $2`),

  addReaction: statement(`INSERT INTO reactions (channel_id, message_id, emoji, user_id, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT DO NOTHING`),
  removeReaction: statement('DELETE FROM reactions WHERE channel_id = $1 AND message_id = $2 AND emoji = $3 AND user_id = $4'),
  removeReactions: statement('DELETE FROM reactions WHERE channel_id = $1 AND message_id = $2'),
  removeEmoji: statement('DELETE FROM reactions WHERE channel_id = $1 AND message_id = $2 AND emoji = $3'),
  reactionSummaries: statement(`SELECT message_id, emoji, COUNT(*)::int AS count, bool_or(user_id = $3) AS me FROM reactions
    WHERE channel_id = $1 AND message_id = ANY($2::bigint[])
    GROUP BY message_id, emoji ORDER BY message_id DESC, MIN(created_at), emoji`),
  reactionUsers: statement(`SELECT user_id FROM reactions WHERE channel_id = $1 AND message_id = $2 AND emoji = $3
    AND user_id > $4 ORDER BY user_id LIMIT $5`),

  readStates: statement(`SELECT ${READ_STATE} FROM read_states WHERE user_id = $1`),
  readState: statement(`SELECT ${READ_STATE} FROM read_states WHERE user_id = $1 AND channel_id = $2`),
  setReadState: statement(`INSERT INTO read_states (${READ_STATE}) VALUES ($1, $2, $3, $4)
    ON CONFLICT (user_id, channel_id) DO UPDATE SET last_message_id = excluded.last_message_id, mention_count = excluded.mention_count`),
  // Distinct and sorted, so concurrent increments lock rows in the same order and cannot deadlock.
  incrementMentions: statement(`INSERT INTO read_states (${READ_STATE})
    SELECT DISTINCT u, $1::bigint, NULL::bigint, 1 FROM unnest($2::bigint[]) AS u ORDER BY u
    ON CONFLICT (user_id, channel_id) DO UPDATE SET mention_count = read_states.mention_count + 1`),
};

function toRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    guildId: row.guild_id,
    authorId: row.author_id,
    type: row.type,
    content: row.content,
    editedAt: row.edited_at === null ? null : Number(row.edited_at),
    nonce: row.nonce,
    flags: row.flags,
    pinned: row.pinned,
    tts: row.tts,
    mentionEveryone: row.mention_everyone,
    mentionIds: row.mentions,
    mentionRoleIds: row.mention_roles,
    attachments: row.attachments,
    embeds: row.embeds,
    referenceMessageId: row.reference_message_id,
  };
}

function insertValues(m: MessageRecord): unknown[] {
  return [
    m.channelId, m.id, m.guildId, m.authorId, m.type, m.content, m.editedAt, m.nonce, m.flags, m.pinned, m.tts,
    m.mentionEveryone, jsonParam(m.mentionIds), jsonParam(m.mentionRoleIds), jsonParam(m.attachments),
    jsonParam(m.embeds), m.referenceMessageId,
  ];
}

const json = (value: unknown): string | undefined => (value === undefined ? undefined : jsonParam(value));

const toReadState = (row: ReadStateRow): ReadStateRecord => ({
  userId: row.user_id, channelId: row.channel_id, lastMessageId: row.last_message_id, mentionCount: row.mention_count,
});

/**
 * A history bound as a BIGINT parameter: 'above' when it exceeds every storable ID (snowflakes
 * are unsigned 64-bit on the wire, BIGINT is signed), else the canonical decimal.
 */
function historyBound(bound: Snowflake): { place: 'above' } | { place: 'within'; key: string } {
  const value = BigInt(bound);
  return value > MAX_BIGINT ? { place: 'above' } : { place: 'within', key: value.toString() };
}

/** The PostgreSQL implementation of {@link MessageStore}. */
export function postgresMessageStore(pool: PgPool): MessageStore {
  const page = async (st: Statement, values: readonly unknown[]) => (await query<MessageRow>(pool, st, values)).map(toRecord);

  function listBefore(channelId: string | null, before: Snowflake, limit: number) {
    const bound = historyBound(before);
    return bound.place === 'above' ? page(HISTORY_SQL.latest, [channelId, limit]) : page(HISTORY_SQL.before, [channelId, bound.key, limit]);
  }

  async function listAfter(channelId: string | null, after: Snowflake, limit: number) {
    const bound = historyBound(after);
    if (bound.place === 'above') return [];
    // The `limit` messages just after the bound, oldest first from the index, then newest first.
    return (await page(HISTORY_SQL.after, [channelId, bound.key, limit])).reverse();
  }

  function listAround(channelId: string | null, around: Snowflake, limit: number) {
    const newerCount = Math.floor(limit / 2);
    const olderCount = limit - newerCount;
    const bound = historyBound(around);
    if (bound.place === 'above') return page(HISTORY_SQL.latest, [channelId, olderCount]);
    return page(HISTORY_SQL.around, [channelId, bound.key, newerCount, olderCount]);
  }

  return {
    async createMessage(message) {
      await execute(pool, sql.insert, insertValues(message));
    },
    getMessage(channelId, id) {
      return queryOne(pool, sql.get, [idParam(channelId), idParam(id)], toRecord);
    },
    async getMessages(channelId, ids) {
      const wanted = idsParam(ids);
      return wanted.length === 0 ? [] : page(sql.getMany, [idParam(channelId), wanted]);
    },
    getMessageByNonce(channelId, authorId, nonce) {
      return queryOne(pool, sql.byNonce, [idParam(channelId), idParam(authorId), nonce], toRecord);
    },
    async listMessages(channelId, q) {
      const channel = idParam(channelId);
      if (q.around !== undefined) return listAround(channel, q.around, q.limit);
      if (q.before !== undefined) return listBefore(channel, q.before, q.limit);
      if (q.after !== undefined) return listAfter(channel, q.after, q.limit);
      return page(HISTORY_SQL.latest, [channel, q.limit]);
    },
    async updateMessage(channelId, id, c) {
      const columns = {
        content: c.content, edited_at: c.editedAt, flags: c.flags, pinned: c.pinned, mention_everyone: c.mentionEveryone,
        mentions: json(c.mentionIds), mention_roles: json(c.mentionRoleIds), attachments: json(c.attachments), embeds: json(c.embeds),
      };
      await updateColumns(pool, 'messages', columns, { channel_id: idParam(channelId), id: idParam(id) });
    },
    async deleteMessage(channelId, id) {
      await execute(pool, sql.delete, [idParam(channelId), idParam(id)]);
    },

    async addReaction(channelId, messageId, emoji, userId, createdAt) {
      return (await execute(pool, sql.addReaction, [channelId, messageId, emoji, userId, createdAt])) === 1;
    },
    async removeReaction(channelId, messageId, emoji, userId) {
      return (await execute(pool, sql.removeReaction, [idParam(channelId), idParam(messageId), emoji, idParam(userId)])) === 1;
    },
    async removeAllReactions(channelId, messageId, emoji) {
      if (emoji === undefined) await execute(pool, sql.removeReactions, [idParam(channelId), idParam(messageId)]);
      else await execute(pool, sql.removeEmoji, [idParam(channelId), idParam(messageId), emoji]);
    },
    async listReactions(channelId, messageIds, viewerId) {
      const wanted = idsParam(messageIds);
      if (wanted.length === 0) return [];
      const found = await query<ReactionRow>(pool, sql.reactionSummaries, [idParam(channelId), wanted, idParam(viewerId)]);
      return found.map((r): ReactionSummary => ({ messageId: r.message_id, emoji: r.emoji, count: r.count, me: r.me === true }));
    },
    async listReactionUsers(channelId, messageId, emoji, options) {
      const values = [idParam(channelId), idParam(messageId), emoji, afterParam(options.after), options.limit];
      return (await query<{ user_id: string }>(pool, sql.reactionUsers, values)).map((r) => r.user_id);
    },

    async getReadStates(userId) {
      return (await query<ReadStateRow>(pool, sql.readStates, [idParam(userId)])).map(toReadState);
    },
    getReadState(userId, channelId) {
      return queryOne(pool, sql.readState, [idParam(userId), idParam(channelId)], toReadState);
    },
    async setReadState(state) {
      await execute(pool, sql.setReadState, [state.userId, state.channelId, state.lastMessageId, state.mentionCount]);
    },
    async incrementMentions(channelId, userIds) {
      if (userIds.length === 0) return;
      await execute(pool, sql.incrementMentions, [channelId, [...userIds]]);
    },
  };
}
