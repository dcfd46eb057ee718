/**
 * Row shapes of the guild tables and their mapping to store records (SQLite stores booleans as
 * 0/1 and permission bitfields as decimal text).
 */
import type { Snowflake } from '../../../shared/snowflake.js';
import type { ChannelRecord, GuildRecord, InviteRecord, MemberRecord, OverwriteRecord, RoleRecord } from '../store.js';

export interface GuildRow { id: string; name: string; icon: string | null; owner_id: string; system_channel_id: string | null; created_at: number }
export interface RoleRow {
  id: string; guild_id: string; name: string; color: number; hoist: number; mentionable: number; position: number; permissions: string;
  bot_user_id: string | null;
}
export interface MemberRow { guild_id: string; user_id: string; nick: string | null; joined_at: number; mute: number; deaf: number }
export interface ChannelRow {
  id: string; guild_id: string; type: number; name: string; topic: string | null; parent_id: string | null;
  position: number; bitrate: number | null; user_limit: number | null; last_message_id: string | null;
}
export interface OverwriteRow { channel_id: string; target_id: string; type: number; allow: string; deny: string }
export interface InviteRow {
  code: string; guild_id: string; channel_id: string; inviter_id: string | null; max_age: number;
  max_uses: number; uses: number; temporary: number; created_at: number;
}

export const toGuild = (row: GuildRow): GuildRecord => ({
  id: row.id, name: row.name, icon: row.icon, ownerId: row.owner_id, systemChannelId: row.system_channel_id, createdAt: row.created_at,
});

export const toRole = (row: RoleRow): RoleRecord => ({
  id: row.id, guildId: row.guild_id, name: row.name, color: row.color, hoist: row.hoist === 1,
  mentionable: row.mentionable === 1, position: row.position, permissions: BigInt(row.permissions),
  ...(row.bot_user_id === null ? {} : { botUserId: row.bot_user_id }),
});

export const toMember = (row: MemberRow, roleIds: Snowflake[]): MemberRecord => ({
  guildId: row.guild_id, userId: row.user_id, nick: row.nick, joinedAt: row.joined_at, mute: row.mute === 1, deaf: row.deaf === 1, roleIds,
});

export const toOverwrite = (row: OverwriteRow): OverwriteRecord => ({
  targetId: row.target_id, type: row.type === 1 ? 1 : 0, allow: BigInt(row.allow), deny: BigInt(row.deny),
});

export const toChannel = (row: ChannelRow, overwrites: OverwriteRecord[]): ChannelRecord => ({
  id: row.id, guildId: row.guild_id, type: row.type as ChannelRecord['type'], name: row.name, topic: row.topic,
  parentId: row.parent_id, position: row.position, bitrate: row.bitrate, userLimit: row.user_limit,
  lastMessageId: row.last_message_id, overwrites,
});

export const toInvite = (row: InviteRow): InviteRecord => ({
  code: row.code, guildId: row.guild_id, channelId: row.channel_id, inviterId: row.inviter_id, maxAge: row.max_age,
  maxUses: row.max_uses, uses: row.uses, temporary: row.temporary === 1, createdAt: row.created_at,
});

export const bool = (value: boolean | undefined): number | undefined => (value === undefined ? undefined : value ? 1 : 0);
export const bits = (value: bigint | undefined): string | undefined => (value === undefined ? undefined : value.toString());
