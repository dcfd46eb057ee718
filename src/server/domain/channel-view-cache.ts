/**
 * Who may see a channel's events: VIEW_CHANNEL after overwrites, computed with the shared
 * permission rules from data cached per guild. The cache is dropped for a guild whenever an
 * event changes its roles, channels, members or owner, so the answer is never stale.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { ChannelRecord, Store } from '../store/store.js';
import { canView, loadGuildPermissionContext, type GuildPermissionContext } from './access.js';

interface GuildAccess {
  context: GuildPermissionContext;
  /** Channels by ID (null: no such channel in this guild). */
  channels: Map<Snowflake, ChannelRecord | null>;
  /** Role IDs by member (null: not a member). */
  members: Map<Snowflake, Snowflake[] | null>;
  /** `channelId userId` → can view. */
  results: Map<string, boolean>;
}

/** VIEW_CHANNEL answers per guild, from data loaded once and dropped when it changes. */
export class ChannelViewCache {
  private readonly guilds = new Map<Snowflake, GuildAccess>();

  constructor(private readonly store: Store) {}

  /** The cached answer, if known (no await on the hot path of a fanout). */
  cached(guildId: Snowflake, channelId: Snowflake, userId: Snowflake): boolean | undefined {
    return this.guilds.get(guildId)?.results.get(`${channelId} ${userId}`);
  }

  /** True when the user may view the channel of the guild. */
  async canView(guildId: Snowflake, channelId: Snowflake, userId: Snowflake): Promise<boolean> {
    const guild = this.guilds.get(guildId) ?? (await this.loadGuild(guildId));
    if (!guild) return false;
    const key = `${channelId} ${userId}`;
    const known = guild.results.get(key);
    if (known !== undefined) return known;
    const channel = guild.channels.has(channelId) ? guild.channels.get(channelId) : await this.loadChannel(guild, guildId, channelId);
    const roleIds = guild.members.has(userId) ? guild.members.get(userId) : await this.loadMember(guild, guildId, userId);
    const allowed = Boolean(channel && roleIds && canView(guild.context, { userId, roleIds }, channel));
    // Loads above awaited; the guild entry may have been invalidated meanwhile: cache only if current.
    if (this.guilds.get(guildId) === guild) guild.results.set(key, allowed);
    return allowed;
  }

  /** Forgets what is known about a guild (its roles, channels, members or owner changed). */
  invalidate(guildId: Snowflake): void {
    this.guilds.delete(guildId);
  }

  private async loadGuild(guildId: Snowflake): Promise<GuildAccess | undefined> {
    const context = await loadGuildPermissionContext(this.store, guildId);
    if (!context) return undefined;
    const access: GuildAccess = { context, channels: new Map(), members: new Map(), results: new Map() };
    this.guilds.set(guildId, access);
    return access;
  }

  private async loadChannel(guild: GuildAccess, guildId: Snowflake, channelId: Snowflake): Promise<ChannelRecord | null> {
    const channel = await this.store.getChannel(channelId);
    const found = channel && channel.guildId === guildId ? channel : null;
    guild.channels.set(channelId, found);
    return found;
  }

  private async loadMember(guild: GuildAccess, guildId: Snowflake, userId: Snowflake): Promise<Snowflake[] | null> {
    const member = await this.store.getMember(guildId, userId);
    const roleIds = member ? member.roleIds : null;
    guild.members.set(userId, roleIds);
    return roleIds;
  }
}
