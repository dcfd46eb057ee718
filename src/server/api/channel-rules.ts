/**
 * The rules a channel change must keep, shared by create, modify and bulk reorder: names as
 * Discord normalizes them, parents that are categories of the same guild, overwrites that name a
 * real role or member and grant nothing the actor lacks, and the guild's channel limit.
 */
import { invalidFormBody } from '../../shared/errors.js';
import { ALL_PERMISSIONS, Permission } from '../../shared/permissions.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import type { ChannelRecord, OverwriteRecord } from '../store/store.js';
import { assertPermission, type GuildAccess } from '../domain/access.js';
import { toChannel } from '../domain/shapes.js';

/** Discord's cap on channels in one guild. */
export const MAX_GUILD_CHANNELS = 500;

/** Text channel names are lowercase with dashes for spaces, as Discord makes them. */
export function normalizeChannelName(type: ChannelRecord['type'], name: string): string {
  return type === 0 ? name.trim().toLowerCase().replace(/\s+/g, '-') : name.trim();
}

/** Checks a new parent: null, or a category of the same guild; a category has no parent. */
export function checkParent(
  channels: readonly ChannelRecord[], type: ChannelRecord['type'], parentId: Snowflake | null, field = 'parent_id',
): void {
  if (parentId === null) return;
  if (type === 4) throw invalidFormBody({ [field]: { code: 'CHANNEL_PARENT_INVALID', message: 'A category cannot have a parent.' } });
  const parent = channels.find((c) => c.id === parentId);
  if (!parent || parent.type !== 4) {
    throw invalidFormBody({ [field]: { code: 'CHANNEL_PARENT_INVALID', message: 'The parent must be a category of this guild.' } });
  }
}

/** A wire overwrite, parsed. */
export interface OverwriteInput {
  id: Snowflake;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/**
 * Throws 50013 unless the actor may set these overwrites: MANAGE_ROLES, and (unless the actor
 * has every permission) no bit allowed or denied that the actor lacks.
 */
export function assertMayWriteOverwrites(actorPermissions: bigint, overwrites: readonly Pick<OverwriteRecord, 'allow' | 'deny'>[]): void {
  assertPermission(actorPermissions, Permission.MANAGE_ROLES);
  for (const o of overwrites) assertPermission(actorPermissions, o.allow | o.deny);
}

/**
 * Turns wire overwrites into records after checking that each target exists and that the actor
 * may set them ({@link assertMayWriteOverwrites}).
 */
export async function checkOverwrites(
  ctx: ServerContext, access: GuildAccess, actorPermissions: bigint, overwrites: readonly OverwriteInput[],
): Promise<OverwriteRecord[]> {
  assertPermission(actorPermissions, Permission.MANAGE_ROLES);
  const records: OverwriteRecord[] = [];
  for (const [index, o] of overwrites.entries()) {
    const exists = o.type === 0 ? access.roles.some((r) => r.id === o.id) : (await ctx.store.getMember(access.guild.id, o.id)) !== undefined;
    if (!exists) {
      throw invalidFormBody({ [`permission_overwrites.${index}.id`]: { code: 'UNKNOWN_OVERWRITE_TARGET', message: `No ${o.type === 0 ? 'role' : 'member'} ${o.id} in this guild.` } });
    }
    const allow = BigInt(o.allow) & ALL_PERMISSIONS;
    const deny = BigInt(o.deny) & ALL_PERMISSIONS & ~allow;
    records.push({ targetId: o.id, type: o.type, allow, deny });
  }
  assertMayWriteOverwrites(actorPermissions, records);
  return records;
}

/** The position after the last channel that shares the new channel's parent. */
export function nextPosition(channels: readonly ChannelRecord[], parentId: Snowflake | null): number {
  const siblings = channels.filter((c) => c.parentId === parentId);
  return siblings.length === 0 ? 0 : Math.max(...siblings.map((c) => c.position)) + 1;
}

/** Publishes CHANNEL_UPDATE for a changed channel to the guild. */
export function announceChannelUpdate(ctx: ServerContext, channel: ChannelRecord): void {
  ctx.events.publish({ t: 'CHANNEL_UPDATE', d: toChannel(channel), audience: { kind: 'guild', guildId: channel.guildId } });
}
