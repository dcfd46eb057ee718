import { describe, expect, it, vi } from 'vitest';
import { act, screen } from '@testing-library/react';
import { CHANNEL_ID, GUILD_ID, layoutInEachTest, member, message, readyState, renderWithApp, user, withMessages } from '../../test-support/harness.js';
import { canInChannel } from '../../../client/state/selectors.js';
import type * as Selectors from '../../../client/state/selectors.js';
import { ChatPane } from './ChatPane.js';

// Counts how often the pane derives what I may do in the channel (the real selector runs).
vi.mock('../../../client/state/selectors.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Selectors>();
  return { ...actual, canInChannel: vi.fn(actual.canInChannel) };
});

const BOB = user('2', 'Bob');
const SEND_MESSAGES = 1n << 11n;

layoutInEachTest();

describe('ChatPane permissions', () => {
  it('keeps what I may do while messages arrive, and follows a change of the channel\'s overwrites', () => {
    const start = withMessages(readyState({ members: [member(BOB)] }), [message(1, BOB, 'first', '2026-03-01T10:00:00Z')]);
    const { fake } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, start);
    expect(screen.getByRole('textbox', { name: /Message #general/ })).toBeTruthy();
    const derived = vi.mocked(canInChannel).mock.calls.length;

    // Each message moves the channel's last_message_id: the abilities (and the rows) stay as they are.
    act(() => {
      for (let i = 2; i <= 11; i++) fake.push({ type: 'dispatch', t: 'MESSAGE_CREATE', d: message(i, BOB, `live ${i}`, '2026-03-01T10:01:00Z'), receivedAt: Date.now() });
    });
    expect(screen.getByText('live 11')).toBeTruthy();
    expect(vi.mocked(canInChannel).mock.calls.length).toBe(derived);

    const channel = start.channels[CHANNEL_ID];
    if (!channel) throw new Error('no channel');
    const denySend = [{ id: GUILD_ID, type: 0 as const, allow: '0', deny: String(SEND_MESSAGES) }];
    act(() => fake.push({ type: 'dispatch', t: 'CHANNEL_UPDATE', d: { ...channel, permission_overwrites: denySend }, receivedAt: Date.now() }));
    expect(screen.getByText('You do not have permission to send messages in this channel.')).toBeTruthy();
  });
});
