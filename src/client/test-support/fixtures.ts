/**
 * Wire-shaped fixtures for client state tests: users, roles, channels, members, messages and a
 * READY built from them. Plain data; every field a real server sends is present.
 */
import type { Channel, CurrentUser, GuildMember, Message, Role, User } from '../../shared/protocol/entities.js';
import type { GatewayGuild, ReadyData } from '../../shared/protocol/gateway.js';
import type { ClientAction, DispatchAction } from '../state/types.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../shared/permissions.js';

export const GUILD_ID = '100000000000000001';
export const ME = '200000000000000001';
export const ALICE = '200000000000000002';
export const BOB = '200000000000000003';

export function user(id: string, username: string): User {
  return { id, username, discriminator: '0', global_name: null, avatar: null };
}

export const me: CurrentUser = { ...user(ME, 'me'), mfa_enabled: false, verified: true, locale: 'en-US' };

export function role(id: string, overrides: Partial<Role> = {}): Role {
  return {
    id, name: `role-${id}`, color: 0, hoist: false, icon: null, unicode_emoji: null, position: 1,
    permissions: '0', managed: false, mentionable: true, flags: 0, ...overrides,
  };
}

export const everyone = role(GUILD_ID, { name: '@everyone', position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS.toString() });

export function channel(id: string, overrides: Partial<Channel> = {}): Channel {
  return {
    id, type: 0, guild_id: GUILD_ID, name: `channel-${id}`, position: 0, parent_id: null,
    permission_overwrites: [], topic: null, last_message_id: null, flags: 0, ...overrides,
  };
}

export function member(u: User, roles: string[] = [], nick: string | null = null): GuildMember {
  return {
    user: u, nick, avatar: null, roles, joined_at: '2026-01-01T00:00:00.000Z', premium_since: null,
    deaf: false, mute: false, flags: 0, pending: false, communication_disabled_until: null,
  };
}

let messageCounter = 0;

/** A message; IDs increase with each call unless given. */
export function message(channelId: string, author: User, overrides: Partial<Message> = {}): Message {
  messageCounter += 1;
  return {
    id: (300000000000000000n + BigInt(messageCounter)).toString(),
    channel_id: channelId, guild_id: GUILD_ID, author, content: `message ${messageCounter}`,
    timestamp: '2026-01-01T00:00:00.000Z', edited_timestamp: null, tts: false, mention_everyone: false,
    mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0, ...overrides,
  };
}

export const TEXT = '400000000000000001';
export const CATEGORY = '400000000000000002';
export const VOICE = '400000000000000003';

export function gatewayGuild(overrides: Partial<GatewayGuild> = {}): GatewayGuild {
  return {
    id: GUILD_ID, name: 'Guild', icon: null, owner_id: ALICE, roles: [everyone], emojis: [], features: [],
    description: null, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
    mfa_level: 0, system_channel_id: null, afk_channel_id: null, afk_timeout: 300, premium_tier: 0,
    preferred_locale: 'en-US', nsfw_level: 0, joined_at: '2026-01-01T00:00:00.000Z', large: false,
    unavailable: false, member_count: 3,
    channels: [
      channel(CATEGORY, { type: 4, name: 'Text Channels' }),
      channel(TEXT, { name: 'general', parent_id: CATEGORY }),
      channel(VOICE, { type: 2, name: 'General', parent_id: CATEGORY, bitrate: 64000, user_limit: 0 }),
    ],
    members: [member(me), member(user(ALICE, 'alice')), member(user(BOB, 'bob'))],
    presences: [{ user: { id: ALICE }, status: 'online', activities: [], client_status: { web: 'online' } }],
    voice_states: [],
    threads: [],
    stickers: [],
    ...overrides,
  };
}

export function ready(guilds: ReadyData['guilds'] = [gatewayGuild()], overrides: Partial<ReadyData> = {}): ReadyData {
  return {
    v: 10, user: me, guilds, session_id: 'session-1', resume_gateway_url: 'ws://127.0.0.1/gateway',
    session_type: 'normal', private_channels: [], relationships: [], read_state: [],
    hearth: { ice_servers: [{ urls: 'stun:stun.example.org' }], voice_mesh_limit: 10 }, ...overrides,
  };
}

/** A dispatch action as the client core forwards it. */
export function dispatch<T extends DispatchAction['t']>(t: T, d: Extract<DispatchAction, { t: T }>['d'], receivedAt = 1_000_000): ClientAction {
  return { type: 'dispatch', t, d, receivedAt } as ClientAction;
}
