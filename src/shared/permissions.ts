/**
 * Discord's permission bitfield. Values travel as decimal strings; inside they are bigints.
 * {@link computePermissions} follows Discord's order: base (everyone role + member roles),
 * then channel overwrites for @everyone, for the member's roles, for the member.
 */
import type { Snowflake } from './snowflake.js';

export const Permission = {
  CREATE_INSTANT_INVITE: 1n << 0n,
  KICK_MEMBERS: 1n << 1n,
  BAN_MEMBERS: 1n << 2n,
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  ADD_REACTIONS: 1n << 6n,
  VIEW_AUDIT_LOG: 1n << 7n,
  PRIORITY_SPEAKER: 1n << 8n,
  STREAM: 1n << 9n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  SEND_TTS_MESSAGES: 1n << 12n,
  MANAGE_MESSAGES: 1n << 13n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  USE_EXTERNAL_EMOJIS: 1n << 18n,
  CONNECT: 1n << 20n,
  SPEAK: 1n << 21n,
  MUTE_MEMBERS: 1n << 22n,
  DEAFEN_MEMBERS: 1n << 23n,
  MOVE_MEMBERS: 1n << 24n,
  USE_VAD: 1n << 25n,
  CHANGE_NICKNAME: 1n << 26n,
  MANAGE_NICKNAMES: 1n << 27n,
  MANAGE_ROLES: 1n << 28n,
  MANAGE_WEBHOOKS: 1n << 29n,
} as const;

export type PermissionName = keyof typeof Permission;

/** Every permission bit Hearth knows. */
export const ALL_PERMISSIONS: bigint = Object.values(Permission).reduce((all, bit) => all | bit, 0n);

/** What the @everyone role of a new guild may do (as Discord's defaults). */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  Permission.CREATE_INSTANT_INVITE |
  Permission.ADD_REACTIONS |
  Permission.STREAM |
  Permission.VIEW_CHANNEL |
  Permission.SEND_MESSAGES |
  Permission.EMBED_LINKS |
  Permission.ATTACH_FILES |
  Permission.READ_MESSAGE_HISTORY |
  Permission.MENTION_EVERYONE |
  Permission.USE_EXTERNAL_EMOJIS |
  Permission.CONNECT |
  Permission.SPEAK |
  Permission.USE_VAD |
  Permission.CHANGE_NICKNAME;

/** A channel permission overwrite: type 0 role, 1 member. */
export interface PermissionOverwriteInput {
  id: Snowflake;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

/** What {@link computePermissions} needs to know about a guild member. */
export interface PermissionSubject {
  guildId: Snowflake;
  ownerId: Snowflake;
  userId: Snowflake;
  /** Role IDs of the member, not including @everyone (whose ID is the guild's ID). */
  roleIds: readonly Snowflake[];
  /** Permissions of every role of the guild, @everyone included, by role ID. */
  rolePermissions: ReadonlyMap<Snowflake, bigint>;
}

/** Guild-level permissions: @everyone plus the member's roles; owner and ADMINISTRATOR get all. */
export function computeBasePermissions(subject: PermissionSubject): bigint {
  if (subject.userId === subject.ownerId) return ALL_PERMISSIONS;
  let permissions = subject.rolePermissions.get(subject.guildId) ?? 0n;
  for (const roleId of subject.roleIds) permissions |= subject.rolePermissions.get(roleId) ?? 0n;
  if ((permissions & Permission.ADMINISTRATOR) !== 0n) return ALL_PERMISSIONS;
  return permissions;
}

/** Channel-level permissions in Discord's order; pass no overwrites for guild-level checks. */
export function computePermissions(
  subject: PermissionSubject,
  overwrites: readonly PermissionOverwriteInput[] = [],
): bigint {
  const base = computeBasePermissions(subject);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  let permissions = base;
  const everyone = overwrites.find((o) => o.type === 0 && o.id === subject.guildId);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && subject.roleIds.includes(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;
  const member = overwrites.find((o) => o.type === 1 && o.id === subject.userId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;
  return permissions;
}

/** True when every bit of `required` is in `permissions`. */
export function hasPermission(permissions: bigint, required: bigint): boolean {
  return (permissions & required) === required;
}

/** Parses a permission string from the wire; undefined when it is not a non-negative integer. */
export function parsePermissions(value: string): bigint | undefined {
  if (!/^\d{1,20}$/.test(value)) return undefined;
  return BigInt(value) & ALL_PERMISSIONS;
}
