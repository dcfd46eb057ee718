/**
 * Reducer helpers for guild-shaped data: ingesting a full guild (READY, GUILD_CREATE), removing
 * one, and keeping users and members in their separate records.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { GatewayGuild } from '../../shared/protocol/gateway.js';
import type { Guild, GuildMember, Presence, Role } from '../../shared/protocol/entities.js';
import type { ClientState, GuildState, PresenceState } from './types.js';

/** Copies a record without some keys. */
export function omitKeys<V>(record: Record<string, V>, keys: Iterable<string>): Record<string, V> {
  const drop = new Set(keys);
  const result: Record<string, V> = {};
  for (const [key, value] of Object.entries(record)) if (!drop.has(key)) result[key] = value;
  return result;
}

/** The guild without its roles, with the counts the client tracks. */
export function toGuildState(guild: Guild, memberCount: number, joinedAt: string | null): GuildState {
  const { roles: _roles, ...rest } = guild;
  return { ...rest, memberCount, joinedAt };
}

export function rolesById(roles: readonly Role[]): Record<Snowflake, Role> {
  return Object.fromEntries(roles.map((role) => [role.id, role]));
}

export function toPresenceState(presence: Presence): PresenceState {
  return { status: presence.status, activities: presence.activities, clientStatus: presence.client_status };
}

/** A member without its user (users are kept once, in `state.users`). */
export function memberWithoutUser(member: GuildMember): Omit<GuildMember, 'user'> {
  const { user: _user, ...rest } = member;
  return rest;
}

/** Adds (or replaces) a full guild with its channels, roles, members, presences and voice states. */
export function ingestGuild(state: ClientState, guild: GatewayGuild): ClientState {
  const channels = { ...state.channels };
  for (const channel of guild.channels) channels[channel.id] = { ...channel, guild_id: guild.id };
  const users = { ...state.users };
  const members: Record<Snowflake, Omit<GuildMember, 'user'>> = {};
  for (const member of guild.members) {
    users[member.user.id] = member.user;
    members[member.user.id] = memberWithoutUser(member);
  }
  const presences = { ...state.presences };
  for (const presence of guild.presences) presences[presence.user.id] = toPresenceState(presence);
  const voiceStates = Object.fromEntries(
    guild.voice_states.filter((v) => v.channel_id !== null).map((v) => [v.user_id, { ...v, guild_id: guild.id }]),
  );
  return {
    ...state,
    guildOrder: state.guildOrder.includes(guild.id) ? state.guildOrder : [...state.guildOrder, guild.id],
    guilds: { ...state.guilds, [guild.id]: toGuildState(guild, guild.member_count, guild.joined_at) },
    roles: { ...state.roles, [guild.id]: rolesById(guild.roles) },
    channels,
    users,
    members: { ...state.members, [guild.id]: members },
    membersComplete: { ...state.membersComplete, [guild.id]: guild.members.length >= guild.member_count },
    presences,
    voiceStates: { ...state.voiceStates, [guild.id]: voiceStates },
  };
}

/** Removes a guild and everything under it (left, kicked, deleted). */
export function removeGuild(state: ClientState, guildId: Snowflake): ClientState {
  const channelIds = Object.values(state.channels).filter((c) => c.guild_id === guildId).map((c) => c.id);
  const leftVoice = state.selfVoice.guildId === guildId;
  return {
    ...state,
    guildOrder: state.guildOrder.filter((id) => id !== guildId),
    guilds: omitKeys(state.guilds, [guildId]),
    roles: omitKeys(state.roles, [guildId]),
    members: omitKeys(state.members, [guildId]),
    membersComplete: omitKeys(state.membersComplete, [guildId]),
    voiceStates: omitKeys(state.voiceStates, [guildId]),
    channels: omitKeys(state.channels, channelIds),
    messages: omitKeys(state.messages, channelIds),
    readStates: omitKeys(state.readStates, channelIds),
    typing: omitKeys(state.typing, channelIds),
    selfVoice: leftVoice ? { ...state.selfVoice, guildId: null, channelId: null } : state.selfVoice,
  };
}

/** Sets one member of a guild (and its user). */
export function putMember(state: ClientState, guildId: Snowflake, member: GuildMember): ClientState {
  return {
    ...state,
    users: { ...state.users, [member.user.id]: member.user },
    members: { ...state.members, [guildId]: { ...state.members[guildId], [member.user.id]: memberWithoutUser(member) } },
  };
}

/**
 * `record` with `incoming`'s fields merged over the entry at `key`, or `record` itself when that
 * changes no field. Every MESSAGE_CREATE carries its author and member: replacing equal entries
 * would give the record a new identity per message, and every view derived from it (the member
 * list of a large guild: permissions and a sort over all members) would be recomputed each time.
 */
export function mergeEntry<V extends object>(record: Record<string, V>, key: string, incoming: V): Record<string, V> {
  const held = record[key];
  if (held && Object.entries(incoming).every(([field, value]) => sameJsonValue((held as Record<string, unknown>)[field], value))) return record;
  return { ...record, [key]: { ...held, ...incoming } };
}

/** Structural equality of JSON values (what the gateway delivers). */
function sameJsonValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJsonValue(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((k) => Object.hasOwn(right, k) && sameJsonValue(left[k], right[k]));
}

/** Changes a guild's member count by `delta` (never below 0). */
export function adjustMemberCount(state: ClientState, guildId: Snowflake, delta: number): ClientState {
  const guild = state.guilds[guildId];
  if (!guild) return state;
  return { ...state, guilds: { ...state.guilds, [guildId]: { ...guild, memberCount: Math.max(0, guild.memberCount + delta) } } };
}
