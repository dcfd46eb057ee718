import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Permission } from '../../shared/permissions.js';
import { createInitialState, reduce } from './reducer.js';
import type { ClientAction, ClientState } from './types.js';
import {
  selectChannelList, selectChannelPermissions, selectFirstUnreadMessageId, selectGuildList, selectIsUnread, selectMemberList,
  selectMentionCount, selectTotalMentionCount, selectTypingUserIds, selectDisplayName, selectMemberColor,
} from './selectors.js';
import {
  ALICE, BOB, CATEGORY, GUILD_ID, ME, TEXT, VOICE, channel, dispatch, everyone, gatewayGuild, me, member, message, ready, role, user,
} from '../test-support/fixtures.js';

const alice = user(ALICE, 'alice');
const bob = user(BOB, 'bob');

function stateWith(guild = gatewayGuild(), ...actions: ClientAction[]): ClientState {
  return [dispatch('READY', ready([guild])), ...actions].reduce(reduce, createInitialState());
}

describe('selectChannelList', () => {
  it('lists loose channels first, then categories by position, text before voice, hiding what I cannot view', () => {
    const second = '400000000000000010';
    const hidden = '400000000000000011';
    const loose = '400000000000000012';
    const guild = gatewayGuild({
      channels: [
        channel(CATEGORY, { type: 4, name: 'Text Channels', position: 0 }),
        channel(second, { type: 4, name: 'Second', position: 1 }),
        channel(VOICE, { type: 2, name: 'General', parent_id: CATEGORY, position: 0 }),
        channel(TEXT, { name: 'general', parent_id: CATEGORY, position: 5 }),
        channel('400000000000000013', { name: 'aaa', parent_id: second, position: 1 }),
        channel('400000000000000014', { name: 'bbb', parent_id: second, position: 0 }),
        channel(hidden, {
          name: 'secret', parent_id: second, position: 2,
          permission_overwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: Permission.VIEW_CHANNEL.toString() }],
        }),
        channel(loose, { name: 'loose', position: 9 }),
      ],
    });
    const sections = selectChannelList(stateWith(guild), GUILD_ID);
    expect(sections.map((s) => s.category?.name ?? null)).toEqual([null, 'Text Channels', 'Second']);
    expect(sections.map((s) => s.channels.map((c) => c.channel.name))).toEqual([['loose'], ['general', 'General'], ['bbb', 'aaa']]);
  });

  it('marks channels with unread messages and counts mentions, per channel and per guild', () => {
    let state = stateWith();
    state = reduce(state, dispatch('MESSAGE_CREATE', message(TEXT, alice, { mentions: [me] })));
    expect(selectIsUnread(state, TEXT)).toBe(true);
    expect(selectMentionCount(state, TEXT)).toBe(1);
    const item = selectChannelList(state, GUILD_ID).flatMap((s) => s.channels).find((c) => c.channel.id === TEXT);
    expect(item).toMatchObject({ unread: true, mentionCount: 1 });
    expect(selectGuildList(state)).toEqual([{ guildId: GUILD_ID, name: 'Guild', icon: null, unread: true, mentionCount: 1 }]);
    expect(selectTotalMentionCount(state)).toBe(1);
    const lastId = state.channels[TEXT]?.last_message_id ?? '';
    state = reduce(state, { type: 'read/acked', channelId: TEXT, messageId: lastId });
    expect(selectIsUnread(state, TEXT)).toBe(false);
    expect(selectGuildList(state)[0]).toMatchObject({ unread: false, mentionCount: 0 });
  });

  it('lists who is in each voice channel', () => {
    const state = stateWith(gatewayGuild(), dispatch('VOICE_STATE_UPDATE', {
      guild_id: GUILD_ID, channel_id: VOICE, user_id: BOB, session_id: 'x', deaf: false, mute: false,
      self_deaf: false, self_mute: false, self_video: false, suppress: false, request_to_speak_timestamp: null,
    }));
    const voice = selectChannelList(state, GUILD_ID).flatMap((s) => s.channels).find((c) => c.channel.id === VOICE);
    expect(voice?.voiceStates.map((v) => v.user_id)).toEqual([BOB]);
  });
});

describe('selectChannelPermissions', () => {
  it('applies @everyone, role and member overwrites in Discord order', () => {
    const mods = role('9', { permissions: Permission.MANAGE_MESSAGES.toString() });
    const guild = gatewayGuild({
      roles: [everyone, mods],
      members: [member(me, ['9']), member(alice), member(bob)],
      channels: [channel(TEXT, {
        permission_overwrites: [
          { id: GUILD_ID, type: 0, allow: '0', deny: Permission.SEND_MESSAGES.toString() },
          { id: '9', type: 0, allow: Permission.SEND_MESSAGES.toString(), deny: '0' },
          { id: ME, type: 1, allow: '0', deny: Permission.ADD_REACTIONS.toString() },
        ],
      })],
    });
    const permissions = selectChannelPermissions(stateWith(guild), TEXT);
    expect(permissions & Permission.SEND_MESSAGES).toBe(Permission.SEND_MESSAGES);
    expect(permissions & Permission.MANAGE_MESSAGES).toBe(Permission.MANAGE_MESSAGES);
    expect(permissions & Permission.ADD_REACTIONS).toBe(0n);
    expect(permissions & Permission.VIEW_CHANNEL).toBe(Permission.VIEW_CHANNEL);
  });

  it('gives the owner everything and a stranger nothing', () => {
    expect(selectChannelPermissions(stateWith(gatewayGuild({ owner_id: ME })), TEXT)).toBe(ALL_PERMISSIONS);
    expect(selectChannelPermissions(stateWith(), '999')).toBe(0n);
    expect(selectChannelPermissions(stateWith(), TEXT)).toBe(DEFAULT_EVERYONE_PERMISSIONS);
  });
});

describe('selectMemberList', () => {
  it('groups online members by highest hoisted role, then Online, then Offline, sorted by name', () => {
    const admins = role('10', { name: 'Admins', hoist: true, position: 5, color: 0xff0000 });
    const helpers = role('11', { name: 'Helpers', hoist: true, position: 3, color: 0x00ff00 });
    const quiet = role('12', { name: 'Quiet', hoist: false, position: 9, color: 0x0000ff });
    const carol = user('200000000000000004', 'carol');
    const dave = user('200000000000000005', 'dave');
    const guild = gatewayGuild({
      roles: [everyone, admins, helpers, quiet],
      member_count: 5,
      members: [member(me), member(alice, ['11', '10']), member(bob, ['11']), member(carol, ['12']), member(dave, ['10'])],
      presences: [
        { user: { id: ALICE }, status: 'online', activities: [], client_status: {} },
        { user: { id: BOB }, status: 'dnd', activities: [], client_status: {} },
        { user: { id: carol.id }, status: 'idle', activities: [], client_status: {} },
      ],
    });
    const state = reduce(stateWith(guild), { type: 'connection', connection: { status: 'ready', reason: null, closeCode: null, attempt: 0, retryAt: null } });
    const groups = selectMemberList(state, GUILD_ID);
    expect(groups.map((g) => [g.name, g.members.map((m) => m.displayName)])).toEqual([
      ['Admins', ['alice']],
      ['Helpers', ['bob']],
      ['Online', ['carol', 'me']],
      ['Offline', ['dave']],
    ]);
    expect(groups[0]?.members[0]).toMatchObject({ status: 'online', color: 0xff0000 });
    expect(selectMemberColor(state, GUILD_ID, carol.id)).toBe(0x0000ff);
  });

  it('shows an invisible me as offline and leaves out members who cannot view the channel', () => {
    const guild = gatewayGuild({
      channels: [channel(TEXT, { permission_overwrites: [{ id: BOB, type: 1, allow: '0', deny: Permission.VIEW_CHANNEL.toString() }] })],
    });
    let state = stateWith(guild, { type: 'self-status', status: 'invisible' });
    state = reduce(state, { type: 'connection', connection: { status: 'ready', reason: null, closeCode: null, attempt: 0, retryAt: null } });
    const groups = selectMemberList(state, GUILD_ID, TEXT);
    expect(groups.map((g) => [g.id, g.members.map((m) => m.userId)])).toEqual([['online', [ALICE]], ['offline', [ME]]]);
  });
});

describe('other selectors', () => {
  it('finds the first unread message from someone else for the "new messages" divider', () => {
    const read = message(TEXT, alice);
    const mine = message(TEXT, me);
    const firstNew = message(TEXT, bob);
    let state = stateWith(gatewayGuild(), { type: 'history/loaded', channelId: TEXT, direction: 'latest', messages: [firstNew, mine, read], limit: 50 });
    state = reduce(state, dispatch('MESSAGE_ACK', { channel_id: TEXT, message_id: read.id, mention_count: 0 }));
    state = reduce(state, { type: 'channel/upserted', channel: channel(TEXT, { parent_id: CATEGORY, last_message_id: firstNew.id }) });
    expect(selectFirstUnreadMessageId(state, TEXT)).toBe(firstNew.id);
  });

  it('lists typing users still typing at a time, oldest first', () => {
    let state = stateWith();
    state = reduce(state, dispatch('TYPING_START', { channel_id: TEXT, user_id: BOB, timestamp: 0 }, 1000));
    state = reduce(state, dispatch('TYPING_START', { channel_id: TEXT, user_id: ALICE, timestamp: 0 }, 2000));
    expect(selectTypingUserIds(state, TEXT, 5000)).toEqual([BOB, ALICE]);
    expect(selectTypingUserIds(state, TEXT, 11_500)).toEqual([ALICE]);
  });

  it('names members by nickname, then display name, then username', () => {
    const state = stateWith(gatewayGuild({ members: [member(me), member({ ...alice, global_name: 'Alice A.' }), member(bob, [], 'Bobby')] }));
    expect(selectDisplayName(state, GUILD_ID, BOB)).toBe('Bobby');
    expect(selectDisplayName(state, GUILD_ID, ALICE)).toBe('Alice A.');
    expect(selectDisplayName(state, GUILD_ID, ME)).toBe('me');
  });
});
