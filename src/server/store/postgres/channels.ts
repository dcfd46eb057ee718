/**
 * Channels and their permission overwrites on PostgreSQL. A channel is read with its overwrites in
 * one query (aggregated as JSON), and multi-row writes are single statements or transactions.
 */
import type { ChannelRecord, GuildStore, OverwriteRecord } from '../store.js';
import { execute, idParam, query, queryOne, statement, transaction, updateColumns, type PgPool, type Queryable } from './database.js';

interface OverwriteJson { target_id: string; type: number; allow: string; deny: string }
interface ChannelRow {
  id: string; guild_id: string; type: number; name: string; topic: string | null; parent_id: string | null;
  position: number; bitrate: number | null; user_limit: number | null; last_message_id: string | null;
  overwrites: OverwriteJson[];
}

// Overwrites in target ID order; bit sets travel as text because they may exceed 2^53.
const SELECT_CHANNEL = `SELECT c.id, c.guild_id, c.type, c.name, c.topic, c.parent_id, c.position, c.bitrate, c.user_limit,
  c.last_message_id, COALESCE((SELECT json_agg(json_build_object('target_id', o.target_id::text, 'type', o.type,
    'allow', o.allow::text, 'deny', o.deny::text) ORDER BY o.target_id) FROM overwrites o WHERE o.channel_id = c.id), '[]'::json)
  AS overwrites FROM channels c`;

const sql = {
  insert: statement(`INSERT INTO channels (id, guild_id, type, name, topic, parent_id, position, bitrate, user_limit, last_message_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`),
  channel: statement(`${SELECT_CHANNEL} WHERE c.id = $1`),
  channels: statement(`${SELECT_CHANNEL} WHERE c.guild_id = $1 ORDER BY c.position, c.id`),
  putOverwrites: statement(`INSERT INTO overwrites (channel_id, target_id, type, allow, deny)
    SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::numeric[], $5::numeric[])
    ON CONFLICT (channel_id, target_id) DO UPDATE SET type = excluded.type, allow = excluded.allow, deny = excluded.deny`),
  deleteOverwrite: statement('DELETE FROM overwrites WHERE channel_id = $1 AND target_id = $2'),
  deleteOverwrites: statement('DELETE FROM overwrites WHERE channel_id = $1'),
  setPositions: statement(`UPDATE channels c SET position = v.position,
    parent_id = CASE WHEN v.move THEN v.parent_id ELSE c.parent_id END
    FROM unnest($2::bigint[], $3::int[], $4::boolean[], $5::bigint[]) AS v(id, position, move, parent_id)
    WHERE c.id = v.id AND c.guild_id = $1`),
  // Messages, reactions and read states have no foreign key (they are keyed for range scans), so they go explicitly.
  deleteReactions: statement('DELETE FROM reactions WHERE channel_id = $1'),
  deleteMessages: statement('DELETE FROM messages WHERE channel_id = $1'),
  deleteReadStates: statement('DELETE FROM read_states WHERE channel_id = $1'),
  orphanChildren: statement('UPDATE channels SET parent_id = NULL WHERE parent_id = $1'),
  clearSystemChannel: statement(`UPDATE guilds SET system_channel_id = NULL
    WHERE id = (SELECT guild_id FROM channels WHERE id = $1) AND system_channel_id = $1`),
  // Overwrites and invites follow through ON DELETE CASCADE.
  deleteChannel: statement('DELETE FROM channels WHERE id = $1'),
};

const toOverwrite = (o: OverwriteJson): OverwriteRecord => ({
  targetId: o.target_id, type: o.type === 1 ? 1 : 0, allow: BigInt(o.allow), deny: BigInt(o.deny),
});

const toChannel = (row: ChannelRow): ChannelRecord => ({
  id: row.id, guildId: row.guild_id, type: row.type as ChannelRecord['type'], name: row.name, topic: row.topic,
  parentId: row.parent_id, position: row.position, bitrate: row.bitrate, userLimit: row.user_limit,
  lastMessageId: row.last_message_id, overwrites: row.overwrites.map(toOverwrite),
});

/** Inserts or replaces overwrites of one channel in one statement (the last one per target wins). */
async function putOverwrites(db: Queryable, channelId: string, overwrites: readonly OverwriteRecord[]): Promise<void> {
  if (overwrites.length === 0) return;
  const byTarget = new Map(overwrites.map((o) => [o.targetId, o]));
  const list = [...byTarget.values()];
  await execute(db, sql.putOverwrites, [
    channelId, list.map((o) => o.targetId), list.map((o) => o.type), list.map((o) => o.allow.toString()), list.map((o) => o.deny.toString()),
  ]);
}

/** Inserts a channel with its overwrites; callers make it one transaction when there are overwrites. */
export async function insertChannel(db: Queryable, c: ChannelRecord): Promise<void> {
  await execute(db, sql.insert, [c.id, c.guildId, c.type, c.name, c.topic, c.parentId, c.position, c.bitrate, c.userLimit, c.lastMessageId]);
  await putOverwrites(db, c.id, c.overwrites);
}

/** The channel part of {@link GuildStore}. */
export function postgresChannelStore(pool: PgPool) {
  return {
    async createChannel(channel) {
      if (channel.overwrites.length === 0) await insertChannel(pool, channel);
      else await transaction(pool, (client) => insertChannel(client, channel));
    },
    getChannel(id) {
      return queryOne(pool, sql.channel, [idParam(id)], toChannel);
    },
    async listChannels(guildId) {
      return (await query<ChannelRow>(pool, sql.channels, [idParam(guildId)])).map(toChannel);
    },
    async updateChannel(id, changes) {
      const { name, topic, parentId, position, bitrate, userLimit, lastMessageId, overwrites } = changes;
      const columns = { name, topic, parent_id: parentId, position, bitrate, user_limit: userLimit, last_message_id: lastMessageId };
      if (overwrites === undefined) {
        await updateColumns(pool, 'channels', columns, { id: idParam(id) });
        return;
      }
      await transaction(pool, async (client) => {
        await updateColumns(client, 'channels', columns, { id: idParam(id) });
        await execute(client, sql.deleteOverwrites, [idParam(id)]);
        await putOverwrites(client, id, overwrites);
      });
    },
    async deleteChannel(id) {
      const key = idParam(id);
      await transaction(pool, async (client) => {
        for (const st of [sql.deleteReactions, sql.deleteMessages, sql.deleteReadStates, sql.orphanChildren, sql.clearSystemChannel, sql.deleteChannel]) {
          await execute(client, st, [key]);
        }
      });
    },
    async setChannelPositions(guildId, positions) {
      if (positions.length === 0) return;
      await execute(pool, sql.setPositions, [
        idParam(guildId),
        positions.map((p) => p.id),
        positions.map((p) => p.position),
        positions.map((p) => p.parentId !== undefined),
        positions.map((p) => p.parentId ?? null),
      ]);
    },
    async putOverwrite(channelId, overwrite) {
      await putOverwrites(pool, channelId, [overwrite]);
    },
    async deleteOverwrite(channelId, targetId) {
      await execute(pool, sql.deleteOverwrite, [idParam(channelId), idParam(targetId)]);
    },
  } satisfies Partial<GuildStore>;
}
