/**
 * Selectors: what the UI shows, derived from {@link ClientState}. Pure; the renderer memoizes
 * them per state object. Channel order, unread and mention badges, the grouped member list and
 * the current user's permissions follow Discord's rules.
 */
import { compareSnowflakes, type Snowflake } from '../../shared/snowflake.js';
import { ChannelType, type Channel, type Role, type Status, type VoiceState } from '../../shared/protocol/entities.js';
import {
  computeBasePermissions, computePermissions, hasPermission, parsePermissions, Permission, type PermissionOverwriteInput, type PermissionSubject,
} from '../../shared/permissions.js';
import type { ClientMessage, ClientState } from './types.js';
import { mentionsMe } from './message-events.js';

export { mentionsMe };

function permissionSubject(state: ClientState, guildId: Snowflake, userId = state.user?.id): PermissionSubject | undefined {
  const guild = state.guilds[guildId];
  if (!guild || !userId) return undefined;
  const rolePermissions = new Map<Snowflake, bigint>();
  for (const role of Object.values(state.roles[guildId] ?? {})) rolePermissions.set(role.id, parsePermissions(role.permissions) ?? 0n);
  return { guildId, ownerId: guild.owner_id, userId, roleIds: state.members[guildId]?.[userId]?.roles ?? [], rolePermissions };
}

function channelOverwrites(channel: Channel): PermissionOverwriteInput[] {
  return channel.permission_overwrites.map((o) => ({
    id: o.id, type: o.type, allow: parsePermissions(o.allow) ?? 0n, deny: parsePermissions(o.deny) ?? 0n,
  }));
}

/** The current user's guild-level permissions (0n when not a member). */
export function selectGuildPermissions(state: ClientState, guildId: Snowflake): bigint {
  const subject = permissionSubject(state, guildId);
  return subject ? computeBasePermissions(subject) : 0n;
}

/** The current user's permissions in a channel, after overwrites (0n when unknown). */
export function selectChannelPermissions(state: ClientState, channelId: Snowflake): bigint {
  const channel = state.channels[channelId];
  const subject = channel ? permissionSubject(state, channel.guild_id) : undefined;
  if (!channel || !subject) return 0n;
  return computePermissions(subject, channelOverwrites(channel));
}

/** True when the current user has every bit of `required` in the channel. */
export function canInChannel(state: ClientState, channelId: Snowflake, required: bigint): boolean {
  return hasPermission(selectChannelPermissions(state, channelId), required);
}

/** Whether the channel has messages newer than the last one read (text channels only). */
export function selectIsUnread(state: ClientState, channelId: Snowflake): boolean {
  const channel = state.channels[channelId];
  if (!channel || channel.type !== ChannelType.GUILD_TEXT || !channel.last_message_id) return false;
  const read = state.readStates[channelId]?.lastMessageId;
  return !read || compareSnowflakes(channel.last_message_id, read) > 0;
}

export function selectMentionCount(state: ClientState, channelId: Snowflake): number {
  return state.readStates[channelId]?.mentionCount ?? 0;
}

/** Channel order as Discord shows it: by position, then ID; text-like before voice in a category. */
function channelOrder(a: Channel, b: Channel): number {
  const voiceA = a.type === ChannelType.GUILD_VOICE ? 1 : 0;
  const voiceB = b.type === ChannelType.GUILD_VOICE ? 1 : 0;
  return voiceA - voiceB || a.position - b.position || compareSnowflakes(a.id, b.id);
}

export interface ChannelListItem {
  channel: Channel;
  unread: boolean;
  mentionCount: number;
  /** Voice channels: who is in it, with their voice state. */
  voiceStates: VoiceState[];
}

export interface ChannelListSection {
  /** null for channels outside any category (shown first). */
  category: Channel | null;
  channels: ChannelListItem[];
}

/** The guild's channel sidebar: visible channels grouped under their categories, in order. */
export function selectChannelList(state: ClientState, guildId: Snowflake): ChannelListSection[] {
  const all = Object.values(state.channels).filter((c) => c.guild_id === guildId);
  const visible = all.filter((c) => canInChannel(state, c.id, Permission.VIEW_CHANNEL));
  const voiceByChannel = new Map<Snowflake, VoiceState[]>();
  for (const voice of Object.values(state.voiceStates[guildId] ?? {})) {
    if (voice.channel_id) voiceByChannel.set(voice.channel_id, [...(voiceByChannel.get(voice.channel_id) ?? []), voice]);
  }
  const item = (channel: Channel): ChannelListItem => ({
    channel,
    unread: selectIsUnread(state, channel.id),
    mentionCount: selectMentionCount(state, channel.id),
    voiceStates: voiceByChannel.get(channel.id) ?? [],
  });
  const categories = visible.filter((c) => c.type === ChannelType.GUILD_CATEGORY).sort(channelOrder);
  const categoryIds = new Set(categories.map((c) => c.id));
  const children = visible.filter((c) => c.type !== ChannelType.GUILD_CATEGORY);
  const loose = children.filter((c) => !c.parent_id || !categoryIds.has(c.parent_id)).sort(channelOrder);
  const sections: ChannelListSection[] = loose.length > 0 ? [{ category: null, channels: loose.map(item) }] : [];
  for (const category of categories) {
    sections.push({ category, channels: children.filter((c) => c.parent_id === category.id).sort(channelOrder).map(item) });
  }
  return sections;
}

export interface GuildListItem {
  guildId: Snowflake;
  name: string;
  icon: string | null;
  unread: boolean;
  mentionCount: number;
}

/** The guild rail: every guild with its unread dot and mention badge. */
export function selectGuildList(state: ClientState): GuildListItem[] {
  return state.guildOrder.flatMap((guildId) => {
    const guild = state.guilds[guildId];
    if (!guild) return [];
    const channels = selectChannelList(state, guildId).flatMap((s) => s.channels);
    return [{
      guildId,
      name: guild.name,
      icon: guild.icon,
      unread: channels.some((c) => c.unread),
      mentionCount: channels.reduce((sum, c) => sum + c.mentionCount, 0),
    }];
  });
}

/** All unread mentions across guilds (tray badge, `app.setBadgeCount`). */
export function selectTotalMentionCount(state: ClientState): number {
  return selectGuildList(state).reduce((sum, g) => sum + g.mentionCount, 0);
}

/** Roles of a member sorted highest first. */
function memberRoles(state: ClientState, guildId: Snowflake, userId: Snowflake): Role[] {
  const roles = state.roles[guildId] ?? {};
  return (state.members[guildId]?.[userId]?.roles ?? [])
    .map((id) => roles[id])
    .filter((r): r is Role => r !== undefined)
    .sort((a, b) => b.position - a.position || compareSnowflakes(a.id, b.id));
}

/** Name shown for a user in a guild: nickname, then display name, then username. */
export function selectDisplayName(state: ClientState, guildId: Snowflake | null, userId: Snowflake): string {
  const nick = guildId ? state.members[guildId]?.[userId]?.nick : null;
  const user = state.users[userId];
  return nick ?? user?.global_name ?? user?.username ?? 'Unknown user';
}

/** The colour of a member's name: their highest role that has a colour (0 = default). */
export function selectMemberColor(state: ClientState, guildId: Snowflake, userId: Snowflake): number {
  return memberRoles(state, guildId, userId).find((r) => r.color !== 0)?.color ?? 0;
}

/** What others see of a user: `offline` when unknown. */
export function selectStatus(state: ClientState, userId: Snowflake): Exclude<Status, 'invisible'> {
  if (userId === state.user?.id && state.connection.status === 'ready') {
    return state.selfStatus === 'invisible' ? 'offline' : state.selfStatus;
  }
  return state.presences[userId]?.status ?? 'offline';
}

export interface MemberListEntry {
  userId: Snowflake;
  displayName: string;
  color: number;
  status: Exclude<Status, 'invisible'>;
  avatar: string | null;
  bot: boolean;
}

export interface MemberListGroup {
  /** A hoisted role's ID, `online` or `offline`. */
  id: string;
  name: string;
  members: MemberListEntry[];
}

/**
 * Names in the member list sort case- and accent-insensitively. One collator for every sort:
 * `localeCompare` with options builds a new one per comparison, which in a 1,000-member guild
 * made each recomputation of the list cost tens of milliseconds.
 */
const NAME_ORDER = new Intl.Collator(undefined, { sensitivity: 'base' });

/**
 * The member list as Discord groups it: online members under their highest hoisted role (roles by
 * position), online members without one under "Online", everyone offline under "Offline"; names
 * sorted within a group; empty groups left out. With a channel, only members who can view it.
 */
export function selectMemberList(state: ClientState, guildId: Snowflake, channelId?: Snowflake): MemberListGroup[] {
  const channel = channelId ? state.channels[channelId] : undefined;
  const hoisted = Object.values(state.roles[guildId] ?? {}).filter((r) => r.hoist && r.id !== guildId)
    .sort((a, b) => b.position - a.position || compareSnowflakes(a.id, b.id));
  const groups = new Map<string, MemberListEntry[]>([...hoisted.map((r) => [r.id, []] as [string, MemberListEntry[]]), ['online', []], ['offline', []]]);
  for (const userId of Object.keys(state.members[guildId] ?? {})) {
    if (channel && !memberCanView(state, guildId, userId, channel)) continue;
    const status = selectStatus(state, userId);
    const user = state.users[userId];
    const entry: MemberListEntry = {
      userId,
      displayName: selectDisplayName(state, guildId, userId),
      color: selectMemberColor(state, guildId, userId),
      status,
      avatar: user?.avatar ?? null,
      bot: user?.bot === true,
    };
    const role = status === 'offline' ? undefined : memberRoles(state, guildId, userId).find((r) => r.hoist);
    groups.get(status === 'offline' ? 'offline' : role?.id ?? 'online')?.push(entry);
  }
  const names = new Map<string, string>([...hoisted.map((r) => [r.id, r.name] as [string, string]), ['online', 'Online'], ['offline', 'Offline']]);
  return [...groups.entries()]
    .filter(([, members]) => members.length > 0)
    .map(([id, members]) => ({
      id,
      name: names.get(id) ?? id,
      members: members.sort((a, b) => NAME_ORDER.compare(a.displayName, b.displayName) || compareSnowflakes(a.userId, b.userId)),
    }));
}

function memberCanView(state: ClientState, guildId: Snowflake, userId: Snowflake, channel: Channel): boolean {
  const subject = permissionSubject(state, guildId, userId);
  return subject !== undefined && hasPermission(computePermissions(subject, channelOverwrites(channel)), Permission.VIEW_CHANNEL);
}

/** Users typing in a channel at `now` (never the current user), oldest first. */
export function selectTypingUserIds(state: ClientState, channelId: Snowflake, now: number): Snowflake[] {
  return Object.entries(state.typing[channelId] ?? {})
    .filter(([, until]) => until > now)
    .sort(([, a], [, b]) => a - b)
    .map(([userId]) => userId);
}

/** The first message after the read marker (where the "new messages" divider goes), if loaded. */
export function selectFirstUnreadMessageId(state: ClientState, channelId: Snowflake): Snowflake | undefined {
  const window = state.messages[channelId];
  if (!window || !selectIsUnread(state, channelId)) return undefined;
  const read = state.readStates[channelId]?.lastMessageId ?? null;
  const me = state.user?.id;
  return window.messages.find((m: ClientMessage) =>
    m.delivery === 'sent' && m.author.id !== me && (read === null || compareSnowflakes(m.id, read) > 0))?.id;
}
