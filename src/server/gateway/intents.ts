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
  HEARTH_VOICE_SPEAKING: GatewayIntent.GUILD_VOICE_STATES,
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

/** Discord's application flags that switch a privileged intent on (GATEWAY_PRESENCE, …). */
export const ApplicationFlag = {
  GATEWAY_PRESENCE: 1 << 12,
  GATEWAY_GUILD_MEMBERS: 1 << 14,
  GATEWAY_MESSAGE_CONTENT: 1 << 18,
} as const;

/**
 * Every privileged intent switched on. Hearth has no approval process: a new application gets
 * them all, and its owner may switch each off (then IDENTIFY asking for it closes with 4014).
 */
export const APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS =
  ApplicationFlag.GATEWAY_PRESENCE | ApplicationFlag.GATEWAY_GUILD_MEMBERS | ApplicationFlag.GATEWAY_MESSAGE_CONTENT;

/** Each privileged intent and the application flag that allows it. */
const PRIVILEGED_INTENTS: readonly (readonly [intent: number, flag: number])[] = [
  [GatewayIntent.GUILD_PRESENCES, ApplicationFlag.GATEWAY_PRESENCE],
  [GatewayIntent.GUILD_MEMBERS, ApplicationFlag.GATEWAY_GUILD_MEMBERS],
  [GatewayIntent.MESSAGE_CONTENT, ApplicationFlag.GATEWAY_MESSAGE_CONTENT],
];

/** The privileged intents in `intents` that the application's `flags` do not allow (0: none). */
export function disallowedIntents(intents: number, applicationFlags: number): number {
  let disallowed = 0;
  for (const [intent, flag] of PRIVILEGED_INTENTS) {
    if ((intents & intent) !== 0 && (applicationFlags & flag) === 0) disallowed |= intent;
  }
  return disallowed;
}

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
