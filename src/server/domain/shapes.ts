/**
 * Store records → Discord API v10 wire shapes. Routes and the gateway build every user, member,
 * role, channel, guild and invite they send with these, so a shape is defined in one place.
 */
import type { Channel, CurrentUser, Guild, GuildMember, Invite, Presence, Role, User, VoiceState } from '../../shared/protocol/entities.js';
import type { GatewayGuild } from '../../shared/protocol/gateway.js';
import type { InviteWithMetadata } from '../../shared/protocol/rest.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type {
  ChannelRecord, GuildRecord, InviteRecord, MemberRecord, RoleRecord, Store, UserRecord,
} from '../store/store.js';

/** Guilds with more members than this are "large": GUILD_CREATE carries only the viewer's member. */
export const LARGE_GUILD_THRESHOLD = 250;

const iso = (ms: number): string => new Date(ms).toISOString();

/** A user as everyone sees it. */
export function toUser(user: UserRecord): User {
  const shape: User = {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: user.avatar,
    public_flags: 0,
  };
  if (user.bot) shape.bot = true;
  return shape;
}

/** The user as its owner sees it (`GET /users/@me`, READY). */
export function toCurrentUser(user: UserRecord): CurrentUser {
  return { ...toUser(user), flags: 0, mfa_enabled: false, verified: true, locale: 'en-US' };
}

export function toRole(role: RoleRecord): Role {
  const shape: Role = {
    id: role.id,
    name: role.name,
    color: role.color,
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.botUserId !== undefined,
    mentionable: role.mentionable,
    flags: 0,
  };
  if (role.botUserId !== undefined) shape.tags = { bot_id: role.botUserId };
  return shape;
}

export function toMember(member: MemberRecord, user: UserRecord): GuildMember {
  return {
    user: toUser(user),
    nick: member.nick,
    avatar: null,
    roles: [...member.roleIds],
    joined_at: iso(member.joinedAt),
    premium_since: null,
    deaf: member.deaf,
    mute: member.mute,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A member with `guild_id`, as GUILD_MEMBER_ADD/UPDATE carry it. */
export function toMemberEvent(member: MemberRecord, user: UserRecord): GuildMember & { guild_id: Snowflake } {
  return { ...toMember(member, user), guild_id: member.guildId };
}

export function toChannel(channel: ChannelRecord): Channel {
  const shape: Channel = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.targetId,
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
    flags: 0,
  };
  if (channel.type === 0) {
    Object.assign(shape, { topic: channel.topic, nsfw: false, last_message_id: channel.lastMessageId, rate_limit_per_user: 0 });
  } else if (channel.type === 2) {
    Object.assign(shape, {
      bitrate: channel.bitrate ?? 64_000,
      user_limit: channel.userLimit ?? 0,
      rtc_region: null,
      last_message_id: channel.lastMessageId,
      nsfw: false,
      rate_limit_per_user: 0,
    });
  }
  return shape;
}

/** Member and (when the caller knows live presence) online counts, for `?with_counts=true`. */
export interface GuildCounts {
  members: number;
  presences?: number;
}

/** The guild object; `counts` adds `approximate_*` (`?with_counts=true`). */
export function toGuild(guild: GuildRecord, roles: readonly RoleRecord[], counts?: GuildCounts): Guild {
  const shape: Guild = {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    owner_id: guild.ownerId,
    roles: roles.map(toRole),
    emojis: [],
    features: [],
    description: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    system_channel_id: guild.systemChannelId,
    afk_channel_id: null,
    afk_timeout: 300,
    premium_tier: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
  };
  if (counts) Object.assign(shape, countFields(counts));
  return shape;
}

function countFields(counts: GuildCounts): Pick<Guild, 'approximate_member_count' | 'approximate_presence_count'> {
  return counts.presences === undefined
    ? { approximate_member_count: counts.members }
    : { approximate_member_count: counts.members, approximate_presence_count: counts.presences };
}

/** When an invite stops working, or null when it never expires. */
export function inviteExpiresAt(invite: InviteRecord): string | null {
  return invite.maxAge === 0 ? null : iso(invite.createdAt + invite.maxAge * 1000);
}

export interface InviteParts {
  invite: InviteRecord;
  guild: GuildRecord;
  channel: ChannelRecord;
  inviter?: UserRecord;
  /** Adds `approximate_member_count` / `approximate_presence_count`. */
  counts?: GuildCounts;
}

/** The public invite (lookup, accept). */
export function toInvite({ invite, guild, channel, inviter, counts }: InviteParts): Invite {
  const shape: Invite = {
    code: invite.code,
    type: 0,
    guild: { id: guild.id, name: guild.name, icon: guild.icon, description: null, features: [] },
    channel: { id: channel.id, name: channel.name, type: channel.type },
    expires_at: inviteExpiresAt(invite),
  };
  if (inviter) shape.inviter = toUser(inviter);
  if (counts) Object.assign(shape, countFields(counts));
  return shape;
}

/** The invite with metadata, as its creator and the guild's managers see it. */
export function toInviteWithMetadata(parts: InviteParts): InviteWithMetadata {
  const { invite } = parts;
  return {
    ...toInvite(parts),
    uses: invite.uses,
    max_uses: invite.maxUses,
    max_age: invite.maxAge,
    temporary: invite.temporary,
    created_at: iso(invite.createdAt),
  };
}

/** Loads members with their users, skipping any whose user row is gone. */
export async function loadMembers(store: Store, members: readonly MemberRecord[]): Promise<GuildMember[]> {
  const users = new Map((await store.getUsers(members.map((m) => m.userId))).map((u) => [u.id, u]));
  const shapes: GuildMember[] = [];
  for (const member of members) {
    const user = users.get(member.userId);
    if (user) shapes.push(toMember(member, user));
  }
  return shapes;
}

/** What the caller adds to a {@link GatewayGuild}: live state the store does not hold. */
export interface LiveGuildState {
  presences: Presence[];
  voiceStates: VoiceState[];
}

/**
 * The full guild for READY and GUILD_CREATE as `viewerId` receives it: roles, every channel
 * (as Discord sends them; clients hide the ones they cannot view), and all members of a small
 * guild or only the viewer's member of a large one. Undefined when the guild or the membership
 * is gone.
 */
export async function loadGatewayGuild(
  store: Store,
  guildId: Snowflake,
  viewerId: Snowflake,
  live: LiveGuildState = { presences: [], voiceStates: [] },
): Promise<GatewayGuild | undefined> {
  const [guild, viewer] = await Promise.all([store.getGuild(guildId), store.getMember(guildId, viewerId)]);
  if (!guild || !viewer) return undefined;
  const [roles, channels, memberCount] = await Promise.all([
    store.listRoles(guildId),
    store.listChannels(guildId),
    store.countMembers(guildId),
  ]);
  const large = memberCount > LARGE_GUILD_THRESHOLD;
  const memberRecords = large ? [viewer] : await store.listMembers(guildId, { limit: LARGE_GUILD_THRESHOLD });
  return {
    ...toGuild(guild, roles),
    joined_at: iso(viewer.joinedAt),
    large,
    unavailable: false,
    member_count: memberCount,
    channels: channels.map(toChannel),
    members: await loadMembers(store, memberRecords),
    presences: live.presences,
    voice_states: live.voiceStates,
    threads: [],
    stickers: [],
  };
}
