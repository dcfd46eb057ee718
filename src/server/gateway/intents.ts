/**
 * Which intent each dispatch needs, and the MESSAGE_CONTENT rule. Sessions that identify without
 * `intents` (Hearth's own clients) get every intent; bots get what they ask for.
 */
import { GatewayIntent, type DispatchEventName } from '../../shared/protocol/gateway.js';
import type { Message } from '../../shared/protocol/entities.js';

/** The intent a dispatch requires (0: always sent). Typed over every event, so none is forgotten. */
export const EVENT_INTENT: Readonly<Record<DispatchEventName, number>> = {
  READY: 0,
  RESUMED: 0,
  USER_UPDATE: 0,
  MESSAGE_ACK: 0,
  GUILD_MEMBERS_CHUNK: 0,
  HEARTH_VOICE_SIGNAL: 0,
  HEARTH_VOICE_ERROR: 0,
  GUILD_CREATE: GatewayIntent.GUILDS,
  GUILD_UPDATE: GatewayIntent.GUILDS,
  GUILD_DELETE: GatewayIntent.GUILDS,
  CHANNEL_CREATE: GatewayIntent.GUILDS,
  CHANNEL_UPDATE: GatewayIntent.GUILDS,
  CHANNEL_DELETE: GatewayIntent.GUILDS,
  GUILD_ROLE_CREATE: GatewayIntent.GUILDS,
  GUILD_ROLE_UPDATE: GatewayIntent.GUILDS,
  GUILD_ROLE_DELETE: GatewayIntent.GUILDS,
  GUILD_MEMBER_ADD: GatewayIntent.GUILD_MEMBERS,
  GUILD_MEMBER_UPDATE: GatewayIntent.GUILD_MEMBERS,
  GUILD_MEMBER_REMOVE: GatewayIntent.GUILD_MEMBERS,
  INVITE_CREATE: GatewayIntent.GUILD_INVITES,
  INVITE_DELETE: GatewayIntent.GUILD_INVITES,
  VOICE_STATE_UPDATE: GatewayIntent.GUILD_VOICE_STATES,
  PRESENCE_UPDATE: GatewayIntent.GUILD_PRESENCES,
  MESSAGE_CREATE: GatewayIntent.GUILD_MESSAGES,
  MESSAGE_UPDATE: GatewayIntent.GUILD_MESSAGES,
  MESSAGE_DELETE: GatewayIntent.GUILD_MESSAGES,
  MESSAGE_DELETE_BULK: GatewayIntent.GUILD_MESSAGES,
  MESSAGE_REACTION_ADD: GatewayIntent.GUILD_MESSAGE_REACTIONS,
  MESSAGE_REACTION_REMOVE: GatewayIntent.GUILD_MESSAGE_REACTIONS,
  MESSAGE_REACTION_REMOVE_ALL: GatewayIntent.GUILD_MESSAGE_REACTIONS,
  MESSAGE_REACTION_REMOVE_EMOJI: GatewayIntent.GUILD_MESSAGE_REACTIONS,
  TYPING_START: GatewayIntent.GUILD_MESSAGE_TYPING,
};

/**
 * Discord's application flags for privileged intents. Hearth has no approval process, so every
 * bot may use GUILD_PRESENCES, GUILD_MEMBERS and MESSAGE_CONTENT (READY `application.flags`),
 * and 4014 "disallowed intents" never happens.
 */
export const APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS = (1 << 12) | (1 << 14) | (1 << 18);

/** Whether a session of `userId` sees the full message without MESSAGE_CONTENT: own or mentioning it. */
export function messageContentExempt(message: Partial<Pick<Message, 'author' | 'mentions'>>, userId: string): boolean {
  // Optional fields: a partial MESSAGE_UPDATE (no author or mentions) must not break the fanout.
  return message.author?.id === userId || (message.mentions ?? []).some((user) => user.id === userId);
}

/** The message as sessions without MESSAGE_CONTENT see it: content, embeds, attachments emptied. */
export function withoutMessageContent(message: Message): Message {
  const stripped: Message = { ...message, content: '', embeds: [], attachments: [] };
  if (message.referenced_message) {
    stripped.referenced_message = { ...message.referenced_message, content: '', embeds: [], attachments: [] };
  }
  return stripped;
}
