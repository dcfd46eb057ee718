/**
 * What every message route checks after the channel gate (access.ts): that the channel holds
 * messages and that the message exists; and who hears about changes in the channel.
 */
import { HearthError } from '../../shared/errors.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { Audience } from '../bus/events.js';
import type { ServerContext } from '../context.js';
import type { MessageRecord } from '../store/store.js';
import type { ChannelAccess } from '../domain/access.js';

/** Channel types that hold messages: text, and the text chat of voice channels (as Discord). */
const MESSAGE_CHANNEL_TYPES: ReadonlySet<number> = new Set([0, 2]);

/** 50008 unless the channel holds messages. */
export function requireMessageChannel(access: ChannelAccess): void {
  if (!MESSAGE_CHANNEL_TYPES.has(access.channel.type)) throw new HearthError('NON_TEXT_CHANNEL');
}

/** The message, or 10008 Unknown Message. */
export async function requireMessage(ctx: ServerContext, channelId: Snowflake, messageId: string): Promise<MessageRecord> {
  const message = await ctx.store.getMessage(channelId, messageId);
  if (!message) throw new HearthError('UNKNOWN_MESSAGE');
  return message;
}

/** The audience of a channel's message events: members who can view the channel. */
export function channelAudience(access: ChannelAccess): Audience {
  return { kind: 'channel', guildId: access.guild.id, channelId: access.channel.id };
}
