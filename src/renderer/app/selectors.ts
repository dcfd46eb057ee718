/**
 * UI-only derivations on top of the client core's selectors (src/client/state/selectors.ts,
 * which own unread/mention counting, channel order, member grouping and permissions).
 */
import type { Snowflake } from '../../shared/snowflake.js';
import { ChannelType, type Channel } from '../../shared/protocol/entities.js';
import type { ClientState } from '../../shared/ipc/state.js';
import { hasPermission } from '../../shared/permissions.js';
import {
  selectChannelList, selectChannelPermissions, selectDisplayName, selectGuildPermissions, selectTypingUserIds,
} from '../../client/state/selectors.js';

/** True when the current user has `permission` in the channel, or guild-wide without one. */
export function can(state: ClientState, guildId: Snowflake, permission: bigint, channel?: Channel | null): boolean {
  const granted = channel ? selectChannelPermissions(state, channel.id) : selectGuildPermissions(state, guildId);
  return hasPermission(granted, permission);
}

/** Text channels in sidebar order (Alt+↑/↓, the default channel of a guild). */
export function textChannelsInOrder(state: ClientState, guildId: Snowflake): Channel[] {
  return selectChannelList(state, guildId)
    .flatMap((section) => section.channels)
    .map((item) => item.channel)
    .filter((channel) => channel.type === ChannelType.GUILD_TEXT);
}

/** Names of the users typing in a channel (never me), oldest first. */
export function typingNames(state: ClientState, channelId: Snowflake, now: number): string[] {
  const guildId = state.channels[channelId]?.guild_id ?? null;
  return selectTypingUserIds(state, channelId, now)
    .filter((userId) => userId !== state.user?.id)
    .map((userId) => selectDisplayName(state, guildId, userId));
}

/** Discord's wording of the typing indicator. */
export function typingText(names: readonly string[]): string | null {
  const [a, b, c] = names;
  if (!a) return null;
  if (!b) return `${a} is typing…`;
  if (!c) return `${a} and ${b} are typing…`;
  if (names.length === 3) return `${a}, ${b} and ${c} are typing…`;
  return 'Several people are typing…';
}
