/**
 * The permission gate every route passes: loads the guild, the member, the roles and the channel's
 * overwrites, computes permissions with Discord's order (src/shared/permissions.ts) and throws the
 * catalogue error Discord would send:
 * - not a member, or no such guild/channel: 10004 Unknown Guild / 10003 Unknown Channel (404), so a
 *   stranger cannot tell a private guild from a missing one;
 * - a member who cannot view the channel: 50001 Missing Access (403);
 * - a member lacking another permission: 50013 Missing Permissions (403).
 * The gateway uses {@link canView} / {@link channelViewerIds} to decide who receives channel events,
 * and the voice module {@link channelPermissionsOf} to decide who may connect and speak.
 */
import { HearthError } from '../../shared/errors.js';
import {
  ALL_PERMISSIONS, Permission, computeBasePermissions, computePermissions, hasPermission, type PermissionOverwriteInput, type PermissionSubject,
} from '../../shared/permissions.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ChannelRecord, GuildRecord, MemberRecord, RoleRecord, Store } from '../store/store.js';

/** The guild-wide facts permission checks need, loaded once and reusable for many members. */
export interface GuildPermissionContext {
  guild: GuildRecord;
  roles: RoleRecord[];
  rolePermissions: ReadonlyMap<Snowflake, bigint>;
}

/** A member's standing in a guild: what every guild route starts from. */
export interface GuildAccess extends GuildPermissionContext {
  member: MemberRecord;
  /** Guild-level permissions (no channel overwrites). */
  permissions: bigint;
}

/** A member's standing in one channel. */
export interface ChannelAccess extends GuildAccess {
  channel: ChannelRecord;
  /** Channel-level permissions (after overwrites). */
  channelPermissions: bigint;
}

/** Who a permission is computed for: the user and their roles. */
export interface PermissionHolder {
  userId: Snowflake;
  roleIds: readonly Snowflake[];
}

/** Builds the guild context from already-loaded records. */
export function guildPermissionContext(guild: GuildRecord, roles: RoleRecord[]): GuildPermissionContext {
  return { guild, roles, rolePermissions: new Map(roles.map((r) => [r.id, r.permissions])) };
}

/** Loads the guild context, or undefined when the guild does not exist. */
export async function loadGuildPermissionContext(store: Store, guildId: Snowflake): Promise<GuildPermissionContext | undefined> {
  const [guild, roles] = await Promise.all([store.getGuild(guildId), store.listRoles(guildId)]);
  return guild && guildPermissionContext(guild, roles);
}

function subject(context: GuildPermissionContext, holder: PermissionHolder): PermissionSubject {
  return {
    guildId: context.guild.id,
    ownerId: context.guild.ownerId,
    userId: holder.userId,
    roleIds: holder.roleIds,
    rolePermissions: context.rolePermissions,
  };
}

function overwriteInputs(channel: ChannelRecord): PermissionOverwriteInput[] {
  return channel.overwrites.map((o) => ({ id: o.targetId, type: o.type, allow: o.allow, deny: o.deny }));
}

/** Guild-level permissions of a member. */
export function basePermissionsOf(context: GuildPermissionContext, holder: PermissionHolder): bigint {
  return computeBasePermissions(subject(context, holder));
}

/** Channel permissions of a member. A channel inherits nothing from its category at check time (Discord syncs by copying). */
export function channelPermissionsOf(context: GuildPermissionContext, holder: PermissionHolder, channel: ChannelRecord): bigint {
  return computePermissions(subject(context, holder), overwriteInputs(channel));
}

/** Whether the member may view the channel; cheap, from already-loaded data (gateway fanout). */
export function canView(context: GuildPermissionContext, holder: PermissionHolder, channel: ChannelRecord): boolean {
  return hasPermission(channelPermissionsOf(context, holder, channel), Permission.VIEW_CHANNEL);
}

/** The highest position among the member's roles (0 = only @everyone); the owner is above all. */
export function highestRolePosition(context: GuildPermissionContext, holder: PermissionHolder): number {
  if (holder.userId === context.guild.ownerId) return Number.POSITIVE_INFINITY;
  let highest = 0;
  for (const role of context.roles) {
    if (holder.roleIds.includes(role.id) && role.position > highest) highest = role.position;
  }
  return highest;
}

/** The member's guild standing; 10004 Unknown Guild when the guild is missing or they are not in it. */
export async function requireGuildMember(store: Store, userId: Snowflake, guildId: Snowflake): Promise<GuildAccess> {
  const [context, member] = await Promise.all([loadGuildPermissionContext(store, guildId), store.getMember(guildId, userId)]);
  if (!context || !member) throw new HearthError('UNKNOWN_GUILD');
  return { ...context, member, permissions: basePermissionsOf(context, member) };
}

/** Throws 50013 Missing Permissions unless `permissions` has every bit of `required`. */
export function assertPermission(permissions: bigint, required: bigint): void {
  if (!hasPermission(permissions, required)) throw new HearthError('MISSING_PERMISSIONS');
}

/**
 * Throws 50013 unless the actor holds every permission of the role: nobody edits or hands out a
 * role that would give more than they have (self-promotion), whatever the role's position.
 */
export function assertHoldsRolePermissions(access: GuildAccess, role: RoleRecord): void {
  assertPermission(access.permissions, role.permissions & ALL_PERMISSIONS);
}

/** The member's guild standing, requiring guild-level `required` (50013 otherwise). */
export async function requireGuildPermission(store: Store, userId: Snowflake, guildId: Snowflake, required: bigint): Promise<GuildAccess> {
  const access = await requireGuildMember(store, userId, guildId);
  assertPermission(access.permissions, required);
  return access;
}

/** The channel's record and the member's standing in it, from a loaded guild access. */
export function channelAccessFrom(access: GuildAccess, channel: ChannelRecord, required: bigint = Permission.VIEW_CHANNEL): ChannelAccess {
  const channelPermissions = channelPermissionsOf(access, access.member, channel);
  if (!hasPermission(channelPermissions, Permission.VIEW_CHANNEL)) throw new HearthError('MISSING_ACCESS');
  assertPermission(channelPermissions, required);
  return { ...access, channel, channelPermissions };
}

/**
 * The channel and the member's standing in it, requiring VIEW_CHANNEL (50001) and `required`
 * (50013). A missing channel or a non-member gets 10003 Unknown Channel.
 */
export async function requireChannelAccess(
  store: Store,
  userId: Snowflake,
  channelId: Snowflake,
  required: bigint = Permission.VIEW_CHANNEL,
): Promise<ChannelAccess> {
  const channel = await store.getChannel(channelId);
  if (!channel) throw new HearthError('UNKNOWN_CHANNEL');
  let access: GuildAccess;
  try {
    access = await requireGuildMember(store, userId, channel.guildId);
  } catch (error) {
    if (error instanceof HearthError && error.errorName === 'UNKNOWN_GUILD') throw new HearthError('UNKNOWN_CHANNEL');
    throw error;
  }
  return channelAccessFrom(access, channel, required);
}

/** Every member who can view the channel (for fanout when the gateway has no cached state). */
export async function channelViewerIds(store: Store, channel: ChannelRecord): Promise<Snowflake[]> {
  const context = await loadGuildPermissionContext(store, channel.guildId);
  if (!context) return [];
  const viewers: Snowflake[] = [];
  let after: Snowflake | undefined;
  for (;;) {
    const page = await store.listMembers(channel.guildId, { after, limit: 1000 });
    for (const member of page) if (canView(context, member, channel)) viewers.push(member.userId);
    if (page.length < 1000) return viewers;
    after = page.at(-1)?.userId;
  }
}

/** Every member's user ID (guild-wide fanout, and a deleted guild's last audience). */
export async function guildMemberIds(store: Store, guildId: Snowflake): Promise<Snowflake[]> {
  const ids: Snowflake[] = [];
  let after: Snowflake | undefined;
  for (;;) {
    const page = await store.listMembers(guildId, { after, limit: 1000 });
    for (const member of page) ids.push(member.userId);
    if (page.length < 1000) return ids;
    after = page.at(-1)?.userId;
  }
}
