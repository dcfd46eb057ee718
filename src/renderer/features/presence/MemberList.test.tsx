import { describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { Presence } from '../../../shared/protocol/entities.js';
import { CHANNEL_ID, GUILD_ID, layoutInEachTest, member, message, readyState, renderWithApp, role, user } from '../../test-support/harness.js';
import { selectMemberList } from '../../../client/state/selectors.js';
import type * as Selectors from '../../../client/state/selectors.js';
import { useUi } from '../../app/hooks.js';
import { MemberList } from './MemberList.js';
import { ProfilePopout } from './ProfilePopout.js';

// Counts how often the list is derived (the real selector runs).
vi.mock('../../../client/state/selectors.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Selectors>();
  return { ...actual, selectMemberList: vi.fn(actual.selectMemberList) };
});

const MOD = role('300', 'Moderators', 2, { hoist: true, color: 0xe91e63 });
const FAN = role('301', 'Fans', 1);
const BOB = user('2', 'Bob');
const CAT = user('3', 'Cat');
const DAN = user('4', 'Dan');
const EVE = user('5', 'Eve');

function presence(id: string, status: Presence['status']): Presence {
  return { user: { id }, guild_id: GUILD_ID, status, activities: [], client_status: {} };
}

layoutInEachTest(2000, 42);

function state() {
  return readyState({
    roles: [MOD, FAN],
    members: [member(BOB, [MOD.id]), member(CAT, [FAN.id]), member(DAN), member(EVE, [MOD.id])],
    presences: [presence('1', 'online'), presence(BOB.id, 'idle'), presence(CAT.id, 'dnd'), presence(DAN.id, 'online')],
  });
}

/** The list with the pop-out the UI store opens, as the main layout renders them. */
function WithPopout() {
  const profile = useUi((s) => s.profile);
  return (
    <>
      <MemberList guildId={GUILD_ID} channelId={CHANNEL_ID} />
      {profile && <ProfilePopout target={profile} />}
    </>
  );
}

describe('MemberList', () => {
  it('groups members under hoisted roles, then Online, then Offline, with counts', () => {
    renderWithApp(<MemberList guildId={GUILD_ID} channelId={CHANNEL_ID} />, state());
    const list = screen.getByRole('complementary', { name: 'Members' });
    expect(within(list).getAllByRole('heading').map((h) => h.textContent)).toEqual(['Moderators — 1', 'Online — 3', 'Offline — 1']);
    expect(within(list).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual([
      'Bob, Idle',
      'Ada, Online',
      'Cat, Do Not Disturb',
      'Dan, Online',
      'Eve, Offline',
    ]);
  });

  it('shows presence dots and follows presence updates', () => {
    const { fake } = renderWithApp(<MemberList guildId={GUILD_ID} channelId={CHANNEL_ID} />, state());
    expect(screen.getByRole('button', { name: 'Cat, Do Not Disturb' }).querySelector('[role="img"]')?.getAttribute('aria-label')).toBe('Do Not Disturb');
    act(() => fake.push({ type: 'dispatch', t: 'PRESENCE_UPDATE', d: presence(EVE.id, 'online'), receivedAt: Date.now() }));
    expect(screen.getByRole('button', { name: 'Eve, Online' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /Offline/ })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Moderators — 2' })).toBeTruthy();
  });

  it('keeps the derived list while messages arrive, and derives it again when the channel\'s overwrites change', () => {
    const { fake } = renderWithApp(<MemberList guildId={GUILD_ID} channelId={CHANNEL_ID} />, state());
    const derived = vi.mocked(selectMemberList).mock.calls.length;
    const { user: _user, ...bobMember } = member(BOB, [MOD.id]);
    act(() => {
      // Each message moves the channel's last_message_id and carries its author and member.
      for (let i = 0; i < 20; i++) fake.push({ type: 'dispatch', t: 'MESSAGE_CREATE', d: message(i, BOB, `hello ${i}`, '2026-01-02T10:00:00.000Z', { member: bobMember }), receivedAt: Date.now() });
    });
    expect(vi.mocked(selectMemberList).mock.calls.length).toBe(derived);
    const channel = readyState().channels[CHANNEL_ID];
    if (!channel) throw new Error('no channel');
    // Deny VIEW_CHANNEL to Dan: he leaves this channel's list.
    const overwrites = [{ id: DAN.id, type: 1 as const, allow: '0', deny: String(1n << 10n) }];
    act(() => fake.push({ type: 'dispatch', t: 'CHANNEL_UPDATE', d: { ...channel, permission_overwrites: overwrites }, receivedAt: Date.now() }));
    expect(vi.mocked(selectMemberList).mock.calls.length).toBeGreaterThan(derived);
    expect(screen.queryByRole('button', { name: 'Dan, Online' })).toBeNull();
  });

  it('loads the full member list when the state holds only part of it', () => {
    const { fake } = renderWithApp(<MemberList guildId={GUILD_ID} channelId={CHANNEL_ID} />, state());
    expect(fake.callsOf('loadMembers')).toEqual([]);
    cleanup();
    const partial = { ...state(), membersComplete: { [GUILD_ID]: false } };
    const second = renderWithApp(<MemberList guildId={GUILD_ID} channelId={CHANNEL_ID} />, partial);
    expect(second.fake.callsOf('loadMembers')).toEqual([[GUILD_ID]]);
  });

  it('opens a profile pop-out with name, status and roles on click', () => {
    renderWithApp(<WithPopout />, state());
    fireEvent.click(screen.getByRole('button', { name: 'Bob, Idle' }));
    const card = screen.getByRole('dialog', { name: 'Profile of Bob' });
    expect(within(card).getByRole('heading', { name: 'Bob' })).toBeTruthy();
    expect(card.textContent).toContain('bob');
    expect(card.textContent).toContain('Idle');
    expect(within(card).getByRole('list').textContent).toBe('Moderators');
    fireEvent.keyDown(card, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
