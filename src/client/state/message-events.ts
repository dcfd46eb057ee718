/**
 * Reducer helpers for message traffic: new messages (with Discord's unread and mention
 * counting), reactions, typing and read states.
 */
import { compareSnowflakes, type Snowflake } from '../../shared/snowflake.js';
import type { Emoji, Message, Reaction } from '../../shared/protocol/entities.js';
import type { MessageReactionAddData, MessageReactionRemoveData } from '../../shared/protocol/gateway.js';
import type { ClientState, MessageWindow } from './types.js';
import { mergeEntry, omitKeys } from './guilds.js';
import { insertMessage, mapMessage } from './windows.js';

/**
 * Whether a message mentions the current user as Discord counts it: a direct mention, a mention
 * of one of the user's roles, or @everyone/@here (the server sets `mention_everyone` only when
 * the author was allowed to).
 */
export function mentionsMe(state: ClientState, message: Pick<Message, 'mentions' | 'mention_roles' | 'mention_everyone' | 'guild_id' | 'channel_id'>): boolean {
  const me = state.user?.id;
  if (!me) return false;
  if (message.mention_everyone) return true;
  if (message.mentions.some((user) => user.id === me)) return true;
  const guildId = message.guild_id ?? state.channels[message.channel_id]?.guild_id;
  const myRoles = guildId ? state.members[guildId]?.[me]?.roles ?? [] : [];
  return message.mention_roles.some((roleId) => myRoles.includes(roleId));
}

function withWindow(state: ClientState, channelId: Snowflake, change: (w: MessageWindow) => MessageWindow): ClientState {
  const window = state.messages[channelId];
  if (!window) return state;
  const next = change(window);
  return next === window ? state : { ...state, messages: { ...state.messages, [channelId]: next } };
}

export { withWindow };

/** MESSAGE_CREATE: window, channel's last message, read state (own = read; mention = +1), typing. */
export function applyMessageCreate(state: ClientState, message: Message): ClientState {
  let next = withWindow(state, message.channel_id, (w) => insertMessage(w, message));
  const channel = next.channels[message.channel_id];
  if (channel && (!channel.last_message_id || compareSnowflakes(message.id, channel.last_message_id) > 0)) {
    next = { ...next, channels: { ...next.channels, [channel.id]: { ...channel, last_message_id: message.id } } };
  }
  const own = message.author.id === state.user?.id;
  const read = next.readStates[message.channel_id] ?? { lastMessageId: null, mentionCount: 0 };
  if (own) {
    next = { ...next, readStates: { ...next.readStates, [message.channel_id]: { lastMessageId: message.id, mentionCount: 0 } } };
  } else if (mentionsMe(state, message)) {
    next = { ...next, readStates: { ...next.readStates, [message.channel_id]: { ...read, mentionCount: read.mentionCount + 1 } } };
  }
  const typing = next.typing[message.channel_id];
  if (typing?.[message.author.id] !== undefined) {
    next = { ...next, typing: { ...next.typing, [message.channel_id]: omitKeys(typing, [message.author.id]) } };
  }
  const guildMembers = message.guild_id ? next.members[message.guild_id] : undefined;
  if (message.member && message.guild_id && guildMembers) {
    const members = mergeEntry(guildMembers, message.author.id, message.member);
    if (members !== guildMembers) next = { ...next, members: { ...next.members, [message.guild_id]: members } };
  }
  const users = mergeEntry(next.users, message.author.id, message.author);
  return users === next.users ? next : { ...next, users };
}

function sameEmoji(a: Emoji, b: Emoji): boolean {
  return a.id !== null || b.id !== null ? a.id === b.id : a.name === b.name;
}

/** MESSAGE_REACTION_ADD: one more of the emoji; `me` when it was the current user. */
export function applyReactionAdd(state: ClientState, data: MessageReactionAddData): ClientState {
  const me = data.user_id === state.user?.id;
  return withWindow(state, data.channel_id, (w) =>
    mapMessage(w, data.message_id, (message) => {
      const reactions = message.reactions ?? [];
      const existing = reactions.find((r) => sameEmoji(r.emoji, data.emoji));
      if (existing && me && existing.me) return message;
      const updated: Reaction = existing
        ? { ...existing, count: existing.count + 1, count_details: { ...existing.count_details, normal: existing.count_details.normal + 1 }, me: existing.me || me }
        : { count: 1, count_details: { burst: 0, normal: 1 }, me, me_burst: false, burst_colors: [], emoji: data.emoji };
      return { ...message, reactions: existing ? reactions.map((r) => (r === existing ? updated : r)) : [...reactions, updated] };
    }),
  );
}

/** MESSAGE_REACTION_REMOVE: one fewer; the reaction goes when none are left. */
export function applyReactionRemove(state: ClientState, data: MessageReactionRemoveData): ClientState {
  const me = data.user_id === state.user?.id;
  return withWindow(state, data.channel_id, (w) =>
    mapMessage(w, data.message_id, (message) => {
      const reactions = message.reactions ?? [];
      const existing = reactions.find((r) => sameEmoji(r.emoji, data.emoji));
      if (!existing || (me && !existing.me)) return message;
      if (existing.count <= 1) return { ...message, reactions: reactions.filter((r) => r !== existing) };
      const updated: Reaction = {
        ...existing,
        count: existing.count - 1,
        count_details: { ...existing.count_details, normal: Math.max(0, existing.count_details.normal - 1) },
        me: me ? false : existing.me,
      };
      return { ...message, reactions: reactions.map((r) => (r === existing ? updated : r)) };
    }),
  );
}

/** Drops typing indicators that have expired by `now`. */
export function expireTyping(state: ClientState, now: number): ClientState {
  let changed = false;
  const typing: ClientState['typing'] = {};
  for (const [channelId, users] of Object.entries(state.typing)) {
    const live = Object.fromEntries(Object.entries(users).filter(([, until]) => until > now));
    if (Object.keys(live).length !== Object.keys(users).length) changed = true;
    if (Object.keys(live).length > 0) typing[channelId] = live;
  }
  return changed ? { ...state, typing } : state;
}
