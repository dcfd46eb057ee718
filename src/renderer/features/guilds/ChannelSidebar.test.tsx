import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { ClientState } from '../../../shared/ipc/state.js';
import { reduce } from '../../../client/state/reducer.js';
import { CHANNEL_ID, GUILD_ID, member, readyState, renderWithApp, textChannel, user } from '../../test-support/harness.js';
import { ChannelSidebar } from './ChannelSidebar.js';

afterEach(cleanup);

const BOB = user('2', 'Bob');
const TEXT_CATEGORY = '300';
const VOICE_CATEGORY = '301';

/** Two categories: #general and #rules (unread, 2 mentions) in one, the Lounge voice channel with Bob in it in the other. */
function sidebarState(): ClientState {
  let state = readyState({
    members: [member(BOB)],
    channels: [
      textChannel(VOICE_CATEGORY, 'Voice Channels', { type: 4, position: 1 }),
      textChannel(TEXT_CATEGORY, 'Text Channels', { type: 4, position: 0 }),
      textChannel('201', 'rules', { parent_id: TEXT_CATEGORY, position: 1, last_message_id: '5000' }),
      textChannel(CHANNEL_ID, 'general', { parent_id: TEXT_CATEGORY, position: 0 }),
      textChannel('202', 'Lounge', { type: 2, parent_id: VOICE_CATEGORY, position: 0 }),
    ],
  });
  const at = Date.now();
  state = reduce(state, { type: 'dispatch', t: 'MESSAGE_ACK', d: { channel_id: '201', message_id: '4000', mention_count: 2 }, receivedAt: at });
  return reduce(state, {
    type: 'dispatch', t: 'VOICE_STATE_UPDATE', receivedAt: at,
    d: {
      guild_id: GUILD_ID, channel_id: '202', user_id: BOB.id, session_id: 'bob', deaf: false, mute: false,
      self_deaf: false, self_mute: true, self_video: false, suppress: false, request_to_speak_timestamp: null,
    },
  });
}

const channelNames = (group: HTMLElement) => within(group).getAllByRole('button', { name: /channel/ }).map((b) => b.querySelector('.channel-name')?.textContent);

describe('ChannelSidebar', () => {
  it('lists categories in order with their channels in order', () => {
    renderWithApp(<ChannelSidebar guildId={GUILD_ID} selectedChannelId={CHANNEL_ID} />, sidebarState());
    const groups = screen.getAllByRole('group');
    expect(groups.map((g) => g.getAttribute('aria-label'))).toEqual(['Text Channels', 'Voice Channels']);
    expect(channelNames(groups[0] as HTMLElement)).toEqual(['general', 'rules']);
    expect(channelNames(groups[1] as HTMLElement)).toEqual(['Lounge']);
    expect(screen.getByRole('button', { name: 'general (text channel)' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows an unread channel bold with its mention badge', () => {
    renderWithApp(<ChannelSidebar guildId={GUILD_ID} selectedChannelId={CHANNEL_ID} />, sidebarState());
    const rules = screen.getByRole('button', { name: 'rules (text channel), 2 mentions, unread' });
    expect(rules.closest('li')?.className).toContain('unread');
    expect(rules.querySelector('.mention-badge')?.textContent).toBe('2');
    expect(screen.getByRole('button', { name: 'general (text channel)' }).closest('li')?.className).not.toContain('unread');
  });

  it('collapses a category, keeping the open and unread channels in view', () => {
    const { services } = renderWithApp(<ChannelSidebar guildId={GUILD_ID} selectedChannelId={CHANNEL_ID} />, sidebarState());
    const toggle = screen.getByRole('button', { name: 'Voice Channels' });
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('button', { name: /Lounge/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Text Channels' }));
    expect(channelNames(screen.getByRole('group', { name: 'Text Channels' }))).toEqual(['general', 'rules']);
    fireEvent.click(toggle);
    expect(screen.getByRole('button', { name: /Lounge/ })).toBeTruthy();
    expect(services.ui.getState().collapsedCategories[TEXT_CATEGORY]).toBe(true);
  });

  it('lists who is in a voice channel under it', () => {
    renderWithApp(<ChannelSidebar guildId={GUILD_ID} selectedChannelId={CHANNEL_ID} />, sidebarState());
    const inVoice = screen.getByRole('list', { name: 'In this voice channel' });
    expect(inVoice.closest('li')?.querySelector('.channel-name')?.textContent).toBe('Lounge');
    expect(inVoice.textContent).toContain('Bob');
  });

  it('opens a text channel on click', () => {
    const { services } = renderWithApp(<ChannelSidebar guildId={GUILD_ID} selectedChannelId={CHANNEL_ID} />, sidebarState());
    fireEvent.click(screen.getByRole('button', { name: /^rules/ }));
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('201');
  });

  it('has the user panel: my name and status, a status picker, and settings', () => {
    const { fake, services } = renderWithApp(<ChannelSidebar guildId={GUILD_ID} selectedChannelId={CHANNEL_ID} />, sidebarState());
    const panel = screen.getByRole('region', { name: 'User area' });
    expect(panel.textContent).toContain('Ada');
    fireEvent.click(within(panel).getByRole('button', { name: 'Set status (current: Online)' }));
    expect(screen.getAllByRole('menuitemradio').map((item) => item.querySelector('span > span')?.textContent)).toEqual(['Online', 'Idle', 'Do Not Disturb', 'Invisible']);
    fireEvent.click(screen.getByRole('menuitemradio', { name: /Do Not Disturb/ }));
    expect(fake.callsOf('setStatus')).toEqual([['dnd']]);
    expect(screen.queryByRole('menu')).toBeNull();
    fireEvent.click(within(panel).getByRole('button', { name: 'User Settings' }));
    expect(services.ui.getState().modal).toEqual({ type: 'user-settings' });
  });
});
