import { describe, expect, it } from 'vitest';
import { createInitialState, reduce } from './reducer.js';
import type { ClientAction, ClientMessage, ClientState } from './types.js';
import type { GuildMember, Message, User } from '../../shared/protocol/entities.js';
import {
  ALICE, BOB, CATEGORY, GUILD_ID, ME, TEXT, VOICE, channel, dispatch, everyone, gatewayGuild, me, member, message, ready, role, user,
} from '../test-support/fixtures.js';

const alice = user(ALICE, 'alice');
const bob = user(BOB, 'bob');

function run(...actions: ClientAction[]): ClientState {
  return actions.reduce(reduce, createInitialState());
}

function readyState(): ClientState {
  return run(dispatch('READY', ready()));
}

/** A state with #general's newest page loaded (the given messages, newest first as the API returns). */
function withHistory(messages = [message(TEXT, alice), message(TEXT, bob)]): ClientState {
  return reduce(readyState(), { type: 'history/loaded', channelId: TEXT, direction: 'latest', messages: [...messages].reverse(), limit: 50 });
}

/** The member a message carries (Discord's partial member: no user). */
function memberOnly(u: User, roles: string[] = [], nick: string | null = null): Omit<GuildMember, 'user'> {
  const { user: _user, ...rest } = member(u, roles, nick);
  return rest;
}

function ids(state: ClientState, channelId = TEXT): string[] {
  return state.messages[channelId]?.messages.map((m) => m.id) ?? [];
}

describe('reduce: READY and guilds', () => {
  it('fills user, guilds, channels, roles, members, presences and read states from READY', () => {
    const state = run(dispatch('READY', ready([gatewayGuild(), { id: '999', unavailable: true }], {
      read_state: [{ id: TEXT, last_message_id: '5', mention_count: 2 }],
    })));
    expect(state.user?.id).toBe(ME);
    expect(state.sessionId).toBe('session-1');
    expect(state.guildOrder).toEqual([GUILD_ID]);
    expect(state.guilds[GUILD_ID]?.memberCount).toBe(3);
    expect(Object.keys(state.channels).sort()).toEqual([CATEGORY, TEXT, VOICE].sort());
    expect(state.roles[GUILD_ID]?.[GUILD_ID]?.name).toBe('@everyone');
    expect(Object.keys(state.members[GUILD_ID] ?? {}).sort()).toEqual([ME, ALICE, BOB].sort());
    expect(state.users[ALICE]?.username).toBe('alice');
    expect(state.presences[ALICE]?.status).toBe('online');
    expect(state.readStates[TEXT]).toEqual({ lastMessageId: '5', mentionCount: 2 });
    expect(state.iceServers).toEqual([{ urls: 'stun:stun.example.org' }]);
    expect(state.voiceMeshLimit).toBe(10);
  });

  it('keeps loaded history of channels that still exist across a fresh READY', () => {
    const before = withHistory();
    const after = reduce(before, dispatch('READY', ready()));
    expect(ids(after)).toEqual(ids(before));
    const gone = reduce(before, dispatch('READY', ready([gatewayGuild({ channels: [] })])));
    expect(gone.messages[TEXT]).toBeUndefined();
  });

  it('adds a guild on GUILD_CREATE and updates it on GUILD_UPDATE', () => {
    const other = gatewayGuild({ id: '100000000000000009', name: 'Other', channels: [], members: [member(me)], member_count: 1 });
    let state = reduce(readyState(), dispatch('GUILD_CREATE', other));
    expect(state.guildOrder).toEqual([GUILD_ID, other.id]);
    const { channels: _c, members: _m, presences: _p, voice_states: _v, threads: _t, stickers: _s, joined_at: _j, large: _l, unavailable: _u, member_count: _n, ...plain } = other;
    state = reduce(state, dispatch('GUILD_UPDATE', { ...plain, name: 'Renamed', roles: [everyone, role('7')] }));
    expect(state.guilds[other.id]?.name).toBe('Renamed');
    expect(Object.keys(state.roles[other.id] ?? {})).toContain('7');
  });

  it('removes the guild with its channels, history, read states and members on GUILD_DELETE', () => {
    const state = reduce(withHistory(), dispatch('GUILD_DELETE', { id: GUILD_ID }));
    expect(state.guildOrder).toEqual([]);
    expect(state.guilds[GUILD_ID]).toBeUndefined();
    expect(state.channels[TEXT]).toBeUndefined();
    expect(state.messages[TEXT]).toBeUndefined();
    expect(state.members[GUILD_ID]).toBeUndefined();
  });
});

describe('reduce: channels, members, roles', () => {
  it('creates, updates and deletes channels; children of a deleted category become uncategorized', () => {
    let state = reduce(readyState(), dispatch('CHANNEL_CREATE', channel('400000000000000009', { name: 'new' })));
    expect(state.channels['400000000000000009']?.name).toBe('new');
    state = reduce(state, dispatch('CHANNEL_UPDATE', channel('400000000000000009', { name: 'renamed' })));
    expect(state.channels['400000000000000009']?.name).toBe('renamed');
    state = reduce(state, dispatch('CHANNEL_DELETE', channel(CATEGORY, { type: 4 })));
    expect(state.channels[CATEGORY]).toBeUndefined();
    expect(state.channels[TEXT]?.parent_id).toBeNull();
  });

  it('keeps the newest known last_message_id when a CHANNEL_UPDATE carries none or an older one', () => {
    let state = reduce(readyState(), dispatch('MESSAGE_CREATE', message(TEXT, alice, { id: '300000000000000500' })));
    const { last_message_id: _ignored, ...withoutLast } = channel(TEXT, { name: 'topic change', parent_id: CATEGORY });
    state = reduce(state, dispatch('CHANNEL_UPDATE', withoutLast));
    expect(state.channels[TEXT]?.last_message_id).toBe('300000000000000500');
    state = reduce(state, dispatch('CHANNEL_UPDATE', { ...withoutLast, last_message_id: '300000000000000400' }));
    expect(state.channels[TEXT]?.last_message_id).toBe('300000000000000500');
    state = reduce(state, dispatch('CHANNEL_UPDATE', { ...withoutLast, last_message_id: '300000000000000600' }));
    expect(state.channels[TEXT]?.last_message_id).toBe('300000000000000600');
  });

  it('tracks members joining, changing and leaving, with the member count', () => {
    const carol = user('200000000000000004', 'carol');
    let state = reduce(readyState(), dispatch('GUILD_MEMBER_ADD', { ...member(carol), guild_id: GUILD_ID }));
    expect(state.guilds[GUILD_ID]?.memberCount).toBe(4);
    state = reduce(state, dispatch('GUILD_MEMBER_UPDATE', { ...member(carol, [], 'Caz'), guild_id: GUILD_ID }));
    expect(state.members[GUILD_ID]?.[carol.id]?.nick).toBe('Caz');
    expect(state.guilds[GUILD_ID]?.memberCount).toBe(4);
    state = reduce(state, dispatch('GUILD_MEMBER_REMOVE', { guild_id: GUILD_ID, user: carol }));
    expect(state.members[GUILD_ID]?.[carol.id]).toBeUndefined();
    expect(state.guilds[GUILD_ID]?.memberCount).toBe(3);
  });

  it('adds, updates and deletes roles; a deleted role leaves every member', () => {
    let state = reduce(readyState(), dispatch('GUILD_ROLE_CREATE', { guild_id: GUILD_ID, role: role('9', { name: 'Mods' }) }));
    state = reduce(state, dispatch('GUILD_MEMBER_UPDATE', { ...member(bob, ['9']), guild_id: GUILD_ID }));
    state = reduce(state, dispatch('GUILD_ROLE_UPDATE', { guild_id: GUILD_ID, role: role('9', { name: 'Moderators' }) }));
    expect(state.roles[GUILD_ID]?.['9']?.name).toBe('Moderators');
    state = reduce(state, dispatch('GUILD_ROLE_DELETE', { guild_id: GUILD_ID, role_id: '9' }));
    expect(state.roles[GUILD_ID]?.['9']).toBeUndefined();
    expect(state.members[GUILD_ID]?.[BOB]?.roles).toEqual([]);
  });

  it('stores members and presences from GUILD_MEMBERS_CHUNK', () => {
    const dave = user('200000000000000005', 'dave');
    const state = reduce(readyState(), dispatch('GUILD_MEMBERS_CHUNK', {
      guild_id: GUILD_ID, members: [member(dave)], chunk_index: 0, chunk_count: 1,
      presences: [{ user: { id: dave.id }, status: 'dnd', activities: [], client_status: { desktop: 'dnd' } }],
    }));
    expect(state.users[dave.id]?.username).toBe('dave');
    expect(state.presences[dave.id]?.status).toBe('dnd');
  });
});

describe('reduce: messages', () => {
  it('appends MESSAGE_CREATE to a held window and moves the channel last_message_id', () => {
    const history = withHistory();
    const created = message(TEXT, alice);
    const state = reduce(history, dispatch('MESSAGE_CREATE', created));
    expect(ids(state).at(-1)).toBe(created.id);
    expect(state.channels[TEXT]?.last_message_id).toBe(created.id);
  });

  it('keeps the members and users records when a message carries an unchanged author and member', () => {
    const history = withHistory();
    const state = reduce(history, dispatch('MESSAGE_CREATE', message(TEXT, alice, { member: memberOnly(alice) })));
    // Same identity: views derived from them (the member list) are not recomputed per message.
    expect(state.members[GUILD_ID]).toBe(history.members[GUILD_ID]);
    expect(state.users).toBe(history.users);
    const renamed = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, { ...alice, global_name: 'Alice A.' }, { member: memberOnly(alice, ['7'], 'ally') })));
    expect(renamed.users[ALICE]?.global_name).toBe('Alice A.');
    expect(renamed.members[GUILD_ID]?.[ALICE]).toMatchObject({ nick: 'ally', roles: ['7'] });
    expect(renamed.members[GUILD_ID]?.[BOB]).toBe(history.members[GUILD_ID]?.[BOB]);
  });

  it('appends thousands of live messages in order, before the optimistic tail', () => {
    let state = reduce(withHistory(), { type: 'message/pending', message: { ...message(TEXT, me, { id: 'n1' }), nonce: 'n1', delivery: 'pending' } });
    const live = Array.from({ length: 2000 }, (_, i) => message(TEXT, i % 2 ? alice : bob));
    for (const created of live) state = reduce(state, dispatch('MESSAGE_CREATE', created));
    const held = ids(state);
    expect(held.slice(-2001, -1)).toEqual(live.map((m) => m.id));
    expect(held.at(-1)).toBe('n1');
    // A late duplicate or an older message still goes through the merge: no duplicate, order kept.
    state = reduce(state, dispatch('MESSAGE_CREATE', live[5] as Message));
    expect(ids(state)).toEqual(held);
  });

  it('does not open a window for a channel never loaded, but still counts it unread', () => {
    const state = reduce(readyState(), dispatch('MESSAGE_CREATE', message(TEXT, alice)));
    expect(state.messages[TEXT]).toBeUndefined();
    expect(state.channels[TEXT]?.last_message_id).toBeTruthy();
  });

  it('counts mentions as Discord does: me, my roles, @everyone; never my own messages', () => {
    let state = reduce(readyState(), dispatch('GUILD_MEMBER_UPDATE', { ...member(me, ['9']), guild_id: GUILD_ID }));
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { mentions: [me] })));
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { mention_roles: ['9'] })));
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { mention_everyone: true })));
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { mention_roles: ['8'] })));
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice)));
    // "@everyone" typed by someone the server did not allow to ping everyone (mention_everyone false).
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { content: '@everyone look', mention_everyone: false })));
    expect(state.readStates[TEXT]?.mentionCount).toBe(3);
    const own = message(TEXT, me, { mentions: [me] });
    state = reduce(state, dispatch('MESSAGE_CREATE', own));
    expect(state.readStates[TEXT]).toEqual({ lastMessageId: own.id, mentionCount: 0 });
  });

  it('merges MESSAGE_UPDATE into the held message and removes it on MESSAGE_DELETE', () => {
    const [first, second] = [message(TEXT, alice), message(TEXT, bob)];
    let state = withHistory([first, second]);
    state = reduce(state, dispatch('MESSAGE_UPDATE', { ...first, content: 'edited', edited_timestamp: '2026-01-02T00:00:00.000Z' }));
    expect(state.messages[TEXT]?.messages[0]?.content).toBe('edited');
    state = reduce(state, dispatch('MESSAGE_DELETE', { id: second.id, channel_id: TEXT, guild_id: GUILD_ID }));
    expect(ids(state)).toEqual([first.id]);
  });

  it('counts reactions up and down, with `me` for my own, and clears them', () => {
    const target = message(TEXT, alice);
    let state = withHistory([target]);
    const emoji = { id: null, name: '🔥' };
    const base = { channel_id: TEXT, message_id: target.id, guild_id: GUILD_ID, emoji, burst: false, type: 0 as const };
    state = reduce(state, dispatch('MESSAGE_REACTION_ADD', { ...base, user_id: ALICE }));
    state = reduce(state, dispatch('MESSAGE_REACTION_ADD', { ...base, user_id: ME }));
    let reaction = state.messages[TEXT]?.messages[0]?.reactions?.[0];
    expect(reaction).toMatchObject({ count: 2, me: true, emoji });
    state = reduce(state, dispatch('MESSAGE_REACTION_REMOVE', { ...base, user_id: ME }));
    reaction = state.messages[TEXT]?.messages[0]?.reactions?.[0];
    expect(reaction).toMatchObject({ count: 1, me: false });
    state = reduce(state, dispatch('MESSAGE_REACTION_REMOVE', { ...base, user_id: ALICE }));
    expect(state.messages[TEXT]?.messages[0]?.reactions).toEqual([]);
    state = reduce(state, dispatch('MESSAGE_REACTION_ADD', { ...base, user_id: ALICE }));
    state = reduce(state, dispatch('MESSAGE_REACTION_REMOVE_ALL', { channel_id: TEXT, message_id: target.id, guild_id: GUILD_ID }));
    expect(state.messages[TEXT]?.messages[0]?.reactions).toEqual([]);
    state = reduce(state, dispatch('MESSAGE_REACTION_ADD', { ...base, user_id: ALICE }));
    state = reduce(state, dispatch('MESSAGE_REACTION_REMOVE_EMOJI', { channel_id: TEXT, message_id: target.id, guild_id: GUILD_ID, emoji }));
    expect(state.messages[TEXT]?.messages[0]?.reactions).toEqual([]);
  });

  it('sets read state from MESSAGE_ACK', () => {
    const state = reduce(readyState(), dispatch('MESSAGE_ACK', { channel_id: TEXT, message_id: '42', mention_count: 0 }));
    expect(state.readStates[TEXT]).toEqual({ lastMessageId: '42', mentionCount: 0 });
  });
});

describe('reduce: optimistic sends', () => {
  const pending = (nonce: string, content = 'hello'): ClientMessage => ({
    ...message(TEXT, me, { id: nonce, content }), nonce, delivery: 'pending',
  });

  it('replaces the pending message with the MESSAGE_CREATE carrying its nonce, once', () => {
    let state = reduce(withHistory(), { type: 'message/pending', message: pending('n1') });
    expect(state.messages[TEXT]?.messages.at(-1)?.delivery).toBe('pending');
    const confirmed = message(TEXT, me, { nonce: 'n1', content: 'hello' });
    state = reduce(state, dispatch('MESSAGE_CREATE', confirmed));
    state = reduce(state, { type: 'message/confirmed', message: confirmed });
    const held = state.messages[TEXT]?.messages ?? [];
    expect(held.filter((m) => m.content === 'hello')).toHaveLength(1);
    expect(held.at(-1)).toMatchObject({ id: confirmed.id, delivery: 'sent', nonce: 'n1' });
  });

  it('keeps pending messages after the confirmed run, in send order', () => {
    let state = reduce(withHistory(), { type: 'message/pending', message: pending('n1', 'one') });
    state = reduce(state, { type: 'message/pending', message: pending('n2', 'two') });
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { content: 'from alice' })));
    expect(state.messages[TEXT]?.messages.map((m) => m.content).slice(-3)).toEqual(['from alice', 'one', 'two']);
  });

  it('marks a send failed with its error, back to pending on retry, and drops it on discard', () => {
    let state = reduce(withHistory(), { type: 'message/pending', message: pending('n1') });
    state = reduce(state, { type: 'message/upload-progress', channelId: TEXT, nonce: 'n1', loaded: 5, total: 10 });
    expect(state.messages[TEXT]?.messages.at(-1)?.upload).toEqual({ loaded: 5, total: 10 });
    state = reduce(state, { type: 'message/failed', channelId: TEXT, nonce: 'n1', error: { code: 50013, message: 'Missing Permissions', status: 403 } });
    expect(state.messages[TEXT]?.messages.at(-1)).toMatchObject({ delivery: 'failed', error: { code: 50013 } });
    state = reduce(state, { type: 'message/retrying', channelId: TEXT, nonce: 'n1' });
    expect(state.messages[TEXT]?.messages.at(-1)?.delivery).toBe('pending');
    state = reduce(state, { type: 'message/discarded', channelId: TEXT, nonce: 'n1' });
    expect(state.messages[TEXT]?.messages.some((m) => m.id === 'n1')).toBe(false);
  });
});

describe('reduce: history windows', () => {
  const page = (n: number) => Array.from({ length: n }, () => message(TEXT, alice));

  it('loads the newest page, then older pages before it, without duplicates', () => {
    const older = page(3);
    const newest = page(3);
    let state = reduce(readyState(), { type: 'history/loaded', channelId: TEXT, direction: 'latest', messages: [...newest].reverse(), limit: 3 });
    expect(state.messages[TEXT]?.hasMoreBefore).toBe(true);
    state = reduce(state, { type: 'history/loaded', channelId: TEXT, direction: 'before', messages: [...older, newest[0]!].reverse(), limit: 50 });
    expect(ids(state)).toEqual([...older, ...newest].map((m) => m.id));
    expect(state.messages[TEXT]?.hasMoreBefore).toBe(false);
  });

  it('merges a gap-fill page after the newest held message, overlapping live messages once', () => {
    const held = page(2);
    const missed = page(3);
    let state = withHistory(held);
    state = reduce(state, dispatch('MESSAGE_CREATE', missed[2]!));
    state = reduce(state, { type: 'history/loaded', channelId: TEXT, direction: 'after', messages: [...missed].reverse(), limit: 100 });
    expect(ids(state)).toEqual([...held, ...missed].map((m) => m.id));
  });

  it('centres a window on a message and knows both sides may have more', () => {
    const messages = page(6);
    const anchor = messages[3]!;
    const state = reduce(readyState(), {
      type: 'history/loaded', channelId: TEXT, direction: 'around', messages: [...messages].reverse(), limit: 6, anchorId: anchor.id,
    });
    expect(state.messages[TEXT]).toMatchObject({ hasMoreBefore: true, hasMoreAfter: false });
    const live = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice)));
    expect(ids(live)).toHaveLength(7);
  });

  it('tracks loading flags and clears them on failure', () => {
    let state = reduce(readyState(), { type: 'history/loading', channelId: TEXT, direction: 'before' });
    expect(state.messages[TEXT]?.loadingBefore).toBe(true);
    state = reduce(state, { type: 'history/failed', channelId: TEXT, direction: 'before' });
    expect(state.messages[TEXT]?.loadingBefore).toBe(false);
  });
});

describe('reduce: typing, presence, users, voice', () => {
  it('shows typing for 10 s, never for me, and stops when the typist sends', () => {
    let state = reduce(readyState(), dispatch('TYPING_START', { channel_id: TEXT, guild_id: GUILD_ID, user_id: ALICE, timestamp: 1000 }, 5000));
    state = reduce(state, dispatch('TYPING_START', { channel_id: TEXT, guild_id: GUILD_ID, user_id: ME, timestamp: 1000 }, 5000));
    expect(state.typing[TEXT]).toEqual({ [ALICE]: 15_000 });
    expect(reduce(state, { type: 'typing/expired', now: 14_999 }).typing[TEXT]).toEqual({ [ALICE]: 15_000 });
    expect(reduce(state, { type: 'typing/expired', now: 15_000 }).typing[TEXT]).toBeUndefined();
    const sent = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice)));
    expect(sent.typing[TEXT]).toEqual({});
  });

  it('updates presences and users from PRESENCE_UPDATE and USER_UPDATE', () => {
    let state = reduce(readyState(), dispatch('PRESENCE_UPDATE', { user: { id: BOB }, guild_id: GUILD_ID, status: 'idle', activities: [], client_status: { desktop: 'idle' } }));
    expect(state.presences[BOB]).toEqual({ status: 'idle', activities: [], clientStatus: { desktop: 'idle' } });
    state = reduce(state, dispatch('USER_UPDATE', { ...me, global_name: 'Me!' }));
    expect(state.user?.global_name).toBe('Me!');
    expect(state.users[ME]?.global_name).toBe('Me!');
  });

  it('tracks everyone in voice and my own voice state for my session', () => {
    const voice = {
      guild_id: GUILD_ID, channel_id: VOICE, user_id: ALICE, session_id: 'other', deaf: false, mute: false,
      self_deaf: false, self_mute: true, self_video: false, suppress: false, request_to_speak_timestamp: null,
    };
    let state = reduce(readyState(), dispatch('VOICE_STATE_UPDATE', voice));
    expect(state.voiceStates[GUILD_ID]?.[ALICE]?.self_mute).toBe(true);
    state = reduce(state, dispatch('VOICE_STATE_UPDATE', { ...voice, user_id: ME, session_id: 'session-1', self_mute: false }));
    expect(state.selfVoice).toEqual({ guildId: GUILD_ID, channelId: VOICE, selfMute: false, selfDeaf: false });
    state = reduce(state, dispatch('VOICE_STATE_UPDATE', { ...voice, channel_id: null }));
    expect(state.voiceStates[GUILD_ID]?.[ALICE]).toBeUndefined();
    state = reduce(state, dispatch('VOICE_STATE_UPDATE', { ...voice, user_id: ME, session_id: 'another-device' }));
    expect(state.selfVoice.channelId).toBeNull();
  });

  it('leaves the state untouched for RESUMED, invites and voice signals', () => {
    const state = readyState();
    expect(reduce(state, dispatch('RESUMED', null))).toBe(state);
    expect(reduce(state, dispatch('HEARTH_VOICE_SIGNAL', { from_session_id: 's', from_user_id: ALICE, channel_id: VOICE, signal: {} }))).toBe(state);
    expect(reduce(state, dispatch('INVITE_DELETE', { channel_id: TEXT, guild_id: GUILD_ID, code: 'abc' }))).toBe(state);
  });

  it('resets to signed-out on session end, keeping the server and settings', () => {
    let state = reduce(readyState(), { type: 'server-url', serverUrl: 'https://chat.example.org' });
    state = reduce(state, { type: 'session/ended' });
    expect(state.user).toBeNull();
    expect(state.guildOrder).toEqual([]);
    expect(state.serverUrl).toBe('https://chat.example.org');
  });
});

describe('reduce: remaining dispatches', () => {
  it('removes every message of a MESSAGE_DELETE_BULK from the held window', () => {
    const [first, second, third] = [message(TEXT, alice), message(TEXT, bob), message(TEXT, alice)];
    const state = withHistory([third!, second!, first!]);
    const next = reduce(state, dispatch('MESSAGE_DELETE_BULK', { ids: [first!.id, third!.id, '999'], channel_id: TEXT, guild_id: GUILD_ID }));
    expect(ids(next)).toEqual([second!.id]);
  });

  it('puts my voice state back to what the server has when it refuses a voice join (op 4), not for signal errors', () => {
    const voice = {
      guild_id: GUILD_ID, channel_id: VOICE, user_id: ME, session_id: 'session-1', deaf: false, mute: false,
      self_deaf: false, self_mute: true, self_video: false, suppress: false, request_to_speak_timestamp: null,
    };
    const inVoice = reduce(readyState(), dispatch('VOICE_STATE_UPDATE', voice));
    // The client optimistically moved to another channel; the server refused it.
    const asked = reduce(inVoice, { type: 'self-voice', voice: { guildId: GUILD_ID, channelId: '400000000000000009', selfMute: false, selfDeaf: false } });
    const refusal = { guild_id: GUILD_ID, channel_id: '400000000000000009', code: 50104, message: 'Channel full' };
    expect(reduce(asked, dispatch('HEARTH_VOICE_ERROR', { ...refusal, op: 40 }))).toBe(asked);
    expect(reduce(asked, dispatch('HEARTH_VOICE_ERROR', { ...refusal, op: 4 })).selfVoice)
      .toEqual({ guildId: GUILD_ID, channelId: VOICE, selfMute: true, selfDeaf: false });
    // Not in voice on the server: the refused join leaves me out of voice, keeping my mute choice.
    const outside = reduce(readyState(), { type: 'self-voice', voice: { guildId: GUILD_ID, channelId: VOICE, selfMute: true, selfDeaf: false } });
    expect(reduce(outside, dispatch('HEARTH_VOICE_ERROR', { ...refusal, op: 4 })).selfVoice)
      .toEqual({ guildId: null, channelId: null, selfMute: true, selfDeaf: false });
  });

  it('leaves the state untouched for speaking indicators and new invites (the voice and invite views track those)', () => {
    const state = readyState();
    expect(reduce(state, dispatch('HEARTH_VOICE_SPEAKING', { guild_id: GUILD_ID, channel_id: VOICE, user_id: ALICE, speaking: true }))).toBe(state);
    const invite = {
      code: 'abc', type: 0 as const, guild: { id: GUILD_ID, name: 'Guild', icon: null, description: null, features: [] },
      channel: { id: TEXT, name: 'general', type: 0 as const }, expires_at: null, channel_id: TEXT, guild_id: GUILD_ID,
    };
    expect(reduce(state, dispatch('INVITE_CREATE', invite))).toBe(state);
  });
});

describe('reduce: local actions', () => {
  it('records the connection, the signed-in user, settings, my status and my voice choice', () => {
    let state = run({ type: 'connection', connection: { status: 'reconnecting', reason: 'socket closed (1006)', closeCode: 1006, attempt: 2, retryAt: 5000 } });
    expect(state.connection).toEqual({ status: 'reconnecting', reason: 'socket closed (1006)', closeCode: 1006, attempt: 2, retryAt: 5000 });
    state = reduce(state, { type: 'session/started', serverUrl: 'https://chat.example.org', user: me });
    expect([state.serverUrl, state.user?.id]).toEqual(['https://chat.example.org', ME]);
    state = reduce(state, { type: 'settings', settings: { ...state.settings, compactMode: true } });
    expect(state.settings.compactMode).toBe(true);
    state = reduce(state, { type: 'self-status', status: 'dnd' });
    expect(state.selfStatus).toBe('dnd');
    state = reduce(state, { type: 'self-voice', voice: { guildId: GUILD_ID, channelId: VOICE, selfMute: true, selfDeaf: true } });
    expect(state.selfVoice).toEqual({ guildId: GUILD_ID, channelId: VOICE, selfMute: true, selfDeaf: true });
    // A fresh READY keeps my chosen status and voice (the client sends them again).
    const next = reduce(state, dispatch('READY', ready()));
    expect([next.selfStatus, next.selfVoice.channelId]).toEqual(['dnd', VOICE]);
  });

  it('clears the mention count and moves the read marker on read/acked', () => {
    const latest = message(TEXT, alice, { mentions: [me] });
    let state = reduce(readyState(), dispatch('MESSAGE_CREATE', latest));
    expect(state.readStates[TEXT]?.mentionCount).toBe(1);
    state = reduce(state, { type: 'read/acked', channelId: TEXT, messageId: latest.id });
    expect(state.readStates[TEXT]).toEqual({ lastMessageId: latest.id, mentionCount: 0 });
  });

  it('stores loaded members and whether the list is complete', () => {
    const carol = user('200000000000000009', 'carol');
    const state = reduce(readyState(), { type: 'members/loaded', guildId: GUILD_ID, members: [member(carol, [], 'Caz')], complete: true });
    expect(state.members[GUILD_ID]?.[carol.id]?.nick).toBe('Caz');
    expect(state.users[carol.id]?.username).toBe('carol');
    expect(state.membersComplete[GUILD_ID]).toBe(true);
  });

  it('adds a guild created here, updates a known one in place, and upserts channels from REST answers', () => {
    const created = { ...gatewayGuild({ id: '100000000000000002', name: 'Mine', owner_id: ME }), roles: [role('100000000000000002')] };
    let state = reduce(readyState(), { type: 'guild/upserted', guild: created });
    expect(state.guildOrder).toEqual([GUILD_ID, '100000000000000002']);
    expect(state.guilds['100000000000000002']?.memberCount).toBe(1);
    state = reduce(state, { type: 'guild/upserted', guild: { ...gatewayGuild(), name: 'Renamed', roles: [everyone] } });
    expect(state.guildOrder).toEqual([GUILD_ID, '100000000000000002']);
    expect([state.guilds[GUILD_ID]?.name, state.guilds[GUILD_ID]?.memberCount]).toEqual(['Renamed', 3]);
    state = reduce(state, { type: 'channel/upserted', channel: channel('400000000000000010', { name: 'new-channel' }) });
    expect(state.channels['400000000000000010']?.name).toBe('new-channel');
  });

  it('replaces a held message from a REST answer and removes one deleted here', () => {
    const original = message(TEXT, me);
    let state = withHistory([original]);
    state = reduce(state, { type: 'message/upserted', message: { ...original, content: 'edited', edited_timestamp: '2026-01-01T00:01:00.000Z' } });
    expect(state.messages[TEXT]?.messages[0]?.content).toBe('edited');
    state = reduce(state, { type: 'message/removed', channelId: TEXT, messageId: original.id });
    expect(ids(state)).toEqual([]);
  });
});
