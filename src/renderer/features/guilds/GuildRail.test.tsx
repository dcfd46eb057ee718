import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { Permission } from '../../../shared/permissions.js';
import { reduce } from '../../../client/state/reducer.js';
import { GUILD_ID, readyState, renderWithApp, textChannel } from '../../test-support/harness.js';
import { GuildRail } from './GuildRail.js';

afterEach(cleanup);

function unreadState(everyonePermissions?: bigint) {
  const state = readyState({ channels: [textChannel('201', 'general', { last_message_id: '5000' })], ...(everyonePermissions ? { everyonePermissions } : {}) });
  return reduce(state, { type: 'dispatch', t: 'MESSAGE_ACK', d: { channel_id: '201', message_id: '4000', mention_count: 2 }, receivedAt: Date.now() });
}

describe('GuildRail', () => {
  it('shows each guild with its unread state and mention badge', () => {
    renderWithApp(<GuildRail />, unreadState());
    const button = screen.getByRole('button', { name: 'Test Guild, 2 mentions, unread' });
    expect(button.closest('li')?.className).toContain('unread');
    expect(button.closest('li')?.textContent).toContain('2');
  });

  it('shows initials without an icon, the icon image with one, and the name as a tooltip', () => {
    renderWithApp(<GuildRail />, unreadState());
    const button = screen.getByRole('button', { name: /^Test Guild/ });
    expect(button.querySelector('.guild-initials')?.textContent).toBe('TG');
    fireEvent.mouseEnter(button.parentElement as HTMLElement);
    expect(screen.getByRole('tooltip').textContent).toBe('Test Guild');
    expect(button.getAttribute('aria-describedby')).toBe(screen.getByRole('tooltip').id);
    cleanup();
    const state = unreadState();
    const guild = state.guilds[GUILD_ID];
    renderWithApp(<GuildRail />, { ...state, guilds: { ...state.guilds, [GUILD_ID]: { ...guild!, icon: 'abc123' } } });
    const image = screen.getByRole('button', { name: /^Test Guild/ }).querySelector('img');
    expect(image?.getAttribute('src')).toBe(`http://hearth.test/icons/${GUILD_ID}/abc123.png`);
  });

  it('opens the guild and its first text channel on click', () => {
    const { services } = renderWithApp(<GuildRail />, unreadState());
    fireEvent.click(screen.getByRole('button', { name: /^Test Guild/ }));
    expect(services.ui.getState().selectedGuildId).toBe(GUILD_ID);
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('201');
  });

  it('offers invite (with the permission) and leave in the context menu, and create/join buttons', () => {
    const { services } = renderWithApp(<GuildRail />, unreadState(Permission.VIEW_CHANNEL | Permission.CREATE_INSTANT_INVITE));
    fireEvent.contextMenu(screen.getByRole('button', { name: /^Test Guild/ }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Invite People', 'Leave Server']);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Leave Server' }));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(services.ui.getState().modal).toEqual({ type: 'leave-guild', guildId: GUILD_ID });
    fireEvent.click(screen.getByRole('button', { name: 'Join a Server' }));
    expect(services.ui.getState().modal).toEqual({ type: 'join-guild' });
  });
});

describe('GuildRail without invite permission', () => {
  it('leaves Invite People out of the menu', () => {
    renderWithApp(<GuildRail />, unreadState());
    fireEvent.contextMenu(screen.getByRole('button', { name: /^Test Guild/ }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Leave Server']);
  });
});
