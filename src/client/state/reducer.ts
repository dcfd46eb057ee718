/**
 * The pure client state reducer. Runs in the client core (Electron main or the web page) and in
 * the renderer's copy: same actions in the same order give the same state on both sides, so
 * every input (including time) is carried by the action.
 */
import { compareSnowflakes, type Snowflake } from '../../shared/snowflake.js';
import { missingCase } from '../../shared/missing-case.js';
import { ChannelType, type Channel, type VoiceState } from '../../shared/protocol/entities.js';
import { DEFAULT_CLIENT_SETTINGS, type ClientSettings } from '../../shared/ipc/settings.js';
import { TYPING_DURATION_MS, type ClientAction, type ClientState, type DispatchAction } from './types.js';
import {
  adjustMemberCount, ingestGuild, omitKeys, putMember, removeGuild, rolesById, toGuildState, toPresenceState,
} from './guilds.js';
import { applyMessageCreate, applyReactionAdd, applyReactionRemove, expireTyping, withWindow } from './message-events.js';
import { emptyWindow, mapMessage, mergePage, removeMessage, updateMessage } from './windows.js';

/** The state before anything happened: signed out, disconnected. */
export function createInitialState(settings: ClientSettings = DEFAULT_CLIENT_SETTINGS, serverUrl: string | null = null): ClientState {
  return {
    serverUrl,
    user: null,
    sessionId: null,
    authSessionId: null,
    connection: { status: 'idle', reason: null, closeCode: null, attempt: 0, retryAt: null },
    guildOrder: [],
    guilds: {},
    roles: {},
    channels: {},
    members: {},
    membersComplete: {},
    users: {},
    presences: {},
    voiceStates: {},
    selfVoice: { guildId: null, channelId: null, selfMute: false, selfDeaf: false },
    selfStatus: 'online',
    messages: {},
    typing: {},
    readStates: {},
    iceServers: [],
    voiceMeshLimit: 0,
    settings,
  };
}

/** Applies one action. Never mutates `state`. */
export function reduce(state: ClientState, action: ClientAction): ClientState {
  switch (action.type) {
    case 'dispatch':
      return reduceDispatch(state, action);
    case 'connection':
      return { ...state, connection: action.connection };
    case 'session/started':
      return { ...state, serverUrl: action.serverUrl, user: action.user };
    case 'session/ended':
      return createInitialState(state.settings, state.serverUrl);
    case 'server-url':
      return { ...state, serverUrl: action.serverUrl };
    case 'settings':
      return { ...state, settings: action.settings };
    case 'self-status':
      return { ...state, selfStatus: action.status };
    case 'self-voice':
      return { ...state, selfVoice: action.voice };
    case 'history/loading':
      return setLoading(state, action.channelId, action.direction, true);
    case 'history/failed':
      return setLoading(state, action.channelId, action.direction, false);
    case 'history/loaded': {
      const window = state.messages[action.channelId] ?? emptyWindow();
      const next = mergePage(window, action.direction, action.messages, action.limit, action.anchorId);
      const users = { ...state.users };
      for (const message of action.messages) users[message.author.id] = message.author;
      return { ...state, users, messages: { ...state.messages, [action.channelId]: next } };
    }
    case 'message/pending': {
      const window = state.messages[action.message.channel_id] ?? emptyWindow();
      return { ...state, messages: { ...state.messages, [action.message.channel_id]: { ...window, messages: [...window.messages, action.message] } } };
    }
    case 'message/upload-progress':
      return withWindow(state, action.channelId, (w) =>
        mapMessage(w, action.nonce, (m) => ({ ...m, upload: { loaded: action.loaded, total: action.total } })));
    case 'message/failed':
      return withWindow(state, action.channelId, (w) =>
        mapMessage(w, action.nonce, (m) => ({ ...m, delivery: 'failed', error: action.error, upload: undefined })));
    case 'message/retrying':
      return withWindow(state, action.channelId, (w) =>
        mapMessage(w, action.nonce, (m) => ({ ...m, delivery: 'pending', error: undefined })));
    case 'message/discarded':
      return withWindow(state, action.channelId, (w) => removeMessage(w, action.nonce));
    case 'message/confirmed':
      return applyMessageCreate(state, action.message);
    case 'message/upserted':
      return withWindow(state, action.message.channel_id, (w) => updateMessage(w, action.message));
    case 'message/removed':
      return withWindow(state, action.channelId, (w) => removeMessage(w, action.messageId));
    case 'read/acked':
      return { ...state, readStates: { ...state.readStates, [action.channelId]: { lastMessageId: action.messageId, mentionCount: 0 } } };
    case 'members/loaded': {
      let next = state;
      for (const member of action.members) next = putMember(next, action.guildId, member);
      return { ...next, membersComplete: { ...next.membersComplete, [action.guildId]: action.complete } };
    }
    case 'guild/upserted': {
      const existing = state.guilds[action.guild.id];
      return {
        ...state,
        guildOrder: state.guildOrder.includes(action.guild.id) ? state.guildOrder : [...state.guildOrder, action.guild.id],
        guilds: { ...state.guilds, [action.guild.id]: toGuildState(action.guild, existing?.memberCount ?? 1, existing?.joinedAt ?? null) },
        roles: { ...state.roles, [action.guild.id]: rolesById(action.guild.roles) },
      };
    }
    case 'channel/upserted':
      return putChannel(state, action.channel);
    case 'typing/expired':
      return expireTyping(state, action.now);
    default:
      return missingCase(action);
  }
}

function setLoading(state: ClientState, channelId: Snowflake, direction: string, loading: boolean): ClientState {
  const window = state.messages[channelId] ?? emptyWindow();
  const next =
    direction === 'before' ? { ...window, loadingBefore: loading }
      : direction === 'after' ? { ...window, loadingAfter: loading }
        : { ...window, loadingBefore: loading, loadingAfter: loading };
  return { ...state, messages: { ...state.messages, [channelId]: next } };
}

function putChannel(state: ClientState, channel: Channel): ClientState {
  const known = state.channels[channel.id]?.last_message_id ?? null;
  const incoming = channel.last_message_id ?? null;
  // Keep the newest last_message_id we know: a CHANNEL_UPDATE may be older than a MESSAGE_CREATE.
  const newest = known && (!incoming || compareSnowflakes(known, incoming) > 0) ? known : incoming;
  const merged = channel.type === ChannelType.GUILD_TEXT ? { ...channel, last_message_id: newest } : channel;
  return { ...state, channels: { ...state.channels, [channel.id]: merged } };
}

function removeChannel(state: ClientState, channel: Channel): ClientState {
  const channels = omitKeys(state.channels, [channel.id]);
  // Children of a deleted category become uncategorized (as the server does).
  for (const child of Object.values(channels)) {
    if (child.parent_id === channel.id) channels[child.id] = { ...child, parent_id: null };
  }
  return {
    ...state,
    channels,
    messages: omitKeys(state.messages, [channel.id]),
    readStates: omitKeys(state.readStates, [channel.id]),
    typing: omitKeys(state.typing, [channel.id]),
  };
}

/** Applies one gateway dispatch. */
export function reduceDispatch(state: ClientState, action: DispatchAction): ClientState {
  switch (action.t) {
    case 'READY': {
      const d = action.d;
      const base: ClientState = {
        ...createInitialState(state.settings, state.serverUrl),
        connection: state.connection,
        selfStatus: state.selfStatus,
        selfVoice: state.selfVoice,
        user: d.user,
        sessionId: d.session_id,
        authSessionId: d.auth_session_id_hash ?? null,
        iceServers: d.hearth.ice_servers,
        voiceMeshLimit: d.hearth.voice_mesh_limit,
        users: { [d.user.id]: d.user },
        readStates: Object.fromEntries(d.read_state.map((r) => [r.id, { lastMessageId: r.last_message_id, mentionCount: r.mention_count }])),
      };
      let next = base;
      for (const guild of d.guilds) if (!guild.unavailable) next = ingestGuild(next, guild);
      // Loaded history stays (the client fills the gap after a fresh session); windows of
      // channels that are gone are dropped.
      const messages = Object.fromEntries(Object.entries(state.messages).filter(([id]) => next.channels[id] !== undefined));
      return { ...next, messages };
    }
    case 'RESUMED':
    case 'INVITE_CREATE':
    case 'INVITE_DELETE':
    case 'HEARTH_VOICE_SIGNAL':
    case 'HEARTH_VOICE_SPEAKING':
      return state;
    case 'HEARTH_VOICE_ERROR':
      return action.d.op === 4 ? { ...state, selfVoice: serverSelfVoice(state) } : state;
    case 'GUILD_CREATE':
      return ingestGuild(state, action.d);
    case 'GUILD_UPDATE': {
      const existing = state.guilds[action.d.id];
      if (!existing) return state;
      return {
        ...state,
        guilds: { ...state.guilds, [action.d.id]: toGuildState(action.d, existing.memberCount, existing.joinedAt) },
        roles: { ...state.roles, [action.d.id]: rolesById(action.d.roles) },
      };
    }
    case 'GUILD_DELETE':
      return removeGuild(state, action.d.id);
    case 'CHANNEL_CREATE':
    case 'CHANNEL_UPDATE':
      return putChannel(state, action.d);
    case 'CHANNEL_DELETE':
      return removeChannel(state, action.d);
    case 'GUILD_MEMBER_ADD': {
      const known = state.members[action.d.guild_id]?.[action.d.user.id] !== undefined;
      const next = putMember(state, action.d.guild_id, action.d);
      return known ? next : adjustMemberCount(next, action.d.guild_id, 1);
    }
    case 'GUILD_MEMBER_UPDATE':
      return putMember(state, action.d.guild_id, action.d);
    case 'GUILD_MEMBER_REMOVE': {
      const members = state.members[action.d.guild_id];
      if (!members) return state;
      const next = { ...state, members: { ...state.members, [action.d.guild_id]: omitKeys(members, [action.d.user.id]) } };
      return members[action.d.user.id] ? adjustMemberCount(next, action.d.guild_id, -1) : next;
    }
    case 'GUILD_ROLE_CREATE':
    case 'GUILD_ROLE_UPDATE':
      return { ...state, roles: { ...state.roles, [action.d.guild_id]: { ...state.roles[action.d.guild_id], [action.d.role.id]: action.d.role } } };
    case 'GUILD_ROLE_DELETE':
      return removeRole(state, action.d.guild_id, action.d.role_id);
    case 'MESSAGE_CREATE':
      return applyMessageCreate(state, action.d);
    case 'MESSAGE_UPDATE':
      return withWindow(state, action.d.channel_id, (w) => updateMessage(w, action.d));
    case 'MESSAGE_DELETE':
      return withWindow(state, action.d.channel_id, (w) => removeMessage(w, action.d.id));
    case 'MESSAGE_DELETE_BULK':
      return withWindow(state, action.d.channel_id, (w) => action.d.ids.reduce((window, id) => removeMessage(window, id), w));
    case 'MESSAGE_REACTION_ADD':
      return applyReactionAdd(state, action.d);
    case 'MESSAGE_REACTION_REMOVE':
      return applyReactionRemove(state, action.d);
    case 'MESSAGE_REACTION_REMOVE_ALL':
      return withWindow(state, action.d.channel_id, (w) => mapMessage(w, action.d.message_id, (m) => ({ ...m, reactions: [] })));
    case 'MESSAGE_REACTION_REMOVE_EMOJI': {
      const { emoji } = action.d;
      return withWindow(state, action.d.channel_id, (w) => mapMessage(w, action.d.message_id, (m) => ({
        ...m,
        reactions: (m.reactions ?? []).filter((r) => r.emoji.id !== emoji.id || r.emoji.name !== emoji.name),
      })));
    }
    case 'TYPING_START': {
      if (action.d.user_id === state.user?.id) return state;
      const next = action.d.member && action.d.guild_id ? putMember(state, action.d.guild_id, action.d.member) : state;
      const channel = { ...next.typing[action.d.channel_id], [action.d.user_id]: action.receivedAt + TYPING_DURATION_MS };
      return expireTyping({ ...next, typing: { ...next.typing, [action.d.channel_id]: channel } }, action.receivedAt);
    }
    case 'PRESENCE_UPDATE': {
      const user = action.d.user;
      const users = user.username !== undefined ? { ...state.users, [user.id]: { ...state.users[user.id], ...user } as typeof state.users[string] } : state.users;
      return { ...state, users, presences: { ...state.presences, [user.id]: toPresenceState(action.d) } };
    }
    case 'MESSAGE_ACK':
      return {
        ...state,
        readStates: { ...state.readStates, [action.d.channel_id]: { lastMessageId: action.d.message_id, mentionCount: action.d.mention_count } },
      };
    case 'USER_UPDATE': {
      const user = state.user && state.user.id === action.d.id ? { ...state.user, ...action.d } : state.user;
      return { ...state, user, users: { ...state.users, [action.d.id]: { ...state.users[action.d.id], ...action.d } } };
    }
    case 'VOICE_STATE_UPDATE':
      return applyVoiceState(state, action.d);
    case 'GUILD_MEMBERS_CHUNK': {
      let next = state;
      for (const member of action.d.members) next = putMember(next, action.d.guild_id, member);
      const presences = { ...next.presences };
      for (const presence of action.d.presences ?? []) presences[presence.user.id] = toPresenceState(presence);
      return { ...next, presences };
    }
    default:
      return missingCase(action);
  }
}

function removeRole(state: ClientState, guildId: Snowflake, roleId: Snowflake): ClientState {
  const members = state.members[guildId] ?? {};
  const stripped = Object.fromEntries(
    Object.entries(members).map(([userId, member]) =>
      [userId, member.roles.includes(roleId) ? { ...member, roles: member.roles.filter((r) => r !== roleId) } : member]),
  );
  return {
    ...state,
    roles: { ...state.roles, [guildId]: omitKeys(state.roles[guildId] ?? {}, [roleId]) },
    members: { ...state.members, [guildId]: stripped },
  };
}

/** A refused op 4 left this session where the server has it: its own voice state, or none. */
function serverSelfVoice(state: ClientState): ClientState['selfVoice'] {
  for (const [guildId, states] of Object.entries(state.voiceStates)) {
    const own = state.user ? states[state.user.id] : undefined;
    if (own && own.session_id === state.sessionId) {
      return { guildId, channelId: own.channel_id, selfMute: own.self_mute, selfDeaf: own.self_deaf };
    }
  }
  return { ...state.selfVoice, guildId: null, channelId: null };
}

function applyVoiceState(state: ClientState, voice: VoiceState): ClientState {
  const guildId = voice.guild_id ?? (voice.channel_id ? state.channels[voice.channel_id]?.guild_id : undefined);
  let next = state;
  if (guildId) {
    const guildVoice = { ...state.voiceStates[guildId] };
    if (voice.channel_id) guildVoice[voice.user_id] = { ...voice, guild_id: guildId };
    else delete guildVoice[voice.user_id];
    next = { ...state, voiceStates: { ...state.voiceStates, [guildId]: guildVoice } };
    if (voice.member) next = putMember(next, guildId, voice.member);
  }
  if (voice.user_id !== state.user?.id) return next;
  if (voice.session_id === state.sessionId) {
    return { ...next, selfVoice: { guildId: voice.channel_id ? guildId ?? null : null, channelId: voice.channel_id, selfMute: voice.self_mute, selfDeaf: voice.self_deaf } };
  }
  // Another of my sessions joined voice: Discord allows one voice connection per user, so this one left.
  if (voice.channel_id && state.selfVoice.channelId) return { ...next, selfVoice: { ...next.selfVoice, guildId: null, channelId: null } };
  return next;
}
