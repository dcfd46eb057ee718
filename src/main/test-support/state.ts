/**
 * Client states for desktop-shell tests, built with the real reducer so they have the shape the
 * running app sees.
 */
import { createInitialState, reduce } from '../../client/state/reducer.js';
import type { ClientAction, ClientState } from '../../shared/ipc/state.js';
import type { GatewayGuild } from '../../shared/protocol/gateway.js';
import type { Channel, Message, Role, User } from '../../shared/protocol/entities.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../shared/permissions.js';

export const ME: User = { id: '100000000000000001', username: 'ember', global_name: 'Ember', avatar: null, discriminator: '0' };
export const FRIEND: User = { id: '100000000000000002', username: 'ash', global_name: 'Ash', avatar: null, discriminator: '0' };
export const GUILD_ID = '200000000000000001';
export const CHANNEL_ID = '300000000000000001';

const CHANNEL: Channel = {
  id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'general', position: 0, parent_id: null,
  permission_overwrites: [], topic: null, last_message_id: null, flags: 0,
};

/** @everyone, with Discord's default permissions (so #general is visible). */
const EVERYONE: Role = {
  id: GUILD_ID, name: '@everyone', color: 0, hoist: false, icon: null, unicode_emoji: null, position: 0,
  permissions: String(DEFAULT_EVERYONE_PERMISSIONS), managed: false, mentionable: false, flags: 0,
};

const GUILD: GatewayGuild = {
  id: GUILD_ID, name: 'Campfire', icon: null, owner_id: FRIEND.id, roles: [EVERYONE], emojis: [], features: [], description: null,
  verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0, mfa_level: 0,
  system_channel_id: null, afk_channel_id: null, afk_timeout: 300, premium_tier: 0, preferred_locale: 'en-US', nsfw_level: 0,
  joined_at: new Date(0).toISOString(), large: false, unavailable: false, member_count: 2, channels: [CHANNEL],
  members: [], presences: [], voice_states: [], threads: [], stickers: [],
};

function apply(state: ClientState, action: ClientAction): ClientState {
  return reduce(state, action);
}

/** A state signed in as {@link ME} with one guild ("Campfire") and one text channel (#general). */
export function signedInState(): ClientState {
  let state = createInitialState();
  state = apply(state, {
    type: 'session/started', serverUrl: 'http://127.0.0.1:8080',
    user: { ...ME, mfa_enabled: false, verified: true, locale: 'en-US' },
  });
  return apply(state, { type: 'dispatch', t: 'GUILD_CREATE', d: GUILD, receivedAt: Date.now() });
}

let nextId = 400000000000000001n;

/** A message in #general. */
export function messageFrom(author: User, content: string, extra: Partial<Message> = {}): Message {
  const id = String(nextId++);
  return {
    id, channel_id: CHANNEL_ID, guild_id: GUILD_ID, author, content, timestamp: new Date().toISOString(),
    edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [],
    embeds: [], pinned: false, type: 0, flags: 0, ...extra,
  };
}

/** The MESSAGE_CREATE action for a message. */
export function messageCreate(message: Message): ClientAction {
  return { type: 'dispatch', t: 'MESSAGE_CREATE', d: message, receivedAt: Date.now() };
}

/** Applies MESSAGE_CREATE dispatches to a state. */
export function withMessages(state: ClientState, ...messages: Message[]): ClientState {
  return messages.reduce((s, m) => apply(s, messageCreate(m)), state);
}

/** Applies any actions to a state. */
export function applyAll(state: ClientState, ...actions: ClientAction[]): ClientState {
  return actions.reduce(apply, state);
}
