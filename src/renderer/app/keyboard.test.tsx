import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { reduce } from '../../client/state/reducer.js';
import { GUILD_ID, readyState, renderWithApp, textChannel } from '../test-support/harness.js';
import { UiStore } from './ui-store.js';
import { moveChannel, useKeyboardShortcuts } from './keyboard.js';
import { fuzzyScore, QuickSwitcher } from './QuickSwitcher.js';

afterEach(cleanup);

function threeChannels() {
  const state = readyState({
    channels: [
      textChannel('201', 'general', { position: 0 }),
      textChannel('202', 'memes', { position: 1, last_message_id: '9000' }),
      textChannel('203', 'off-topic', { position: 2 }),
    ],
  });
  return reduce(state, { type: 'read/acked', channelId: '201', messageId: '1' });
}

describe('channel keys', () => {
  it('Alt+↓/↑ move to the next and previous channel, wrapping around', () => {
    const state = threeChannels();
    const ui = new UiStore(null);
    ui.selectChannel(GUILD_ID, '201');
    moveChannel(state, ui, 1, false);
    expect(ui.getState().channelByGuild[GUILD_ID]).toBe('202');
    moveChannel(state, ui, -1, false);
    moveChannel(state, ui, -1, false);
    expect(ui.getState().channelByGuild[GUILD_ID]).toBe('203');
  });

  it('Alt+Shift+↓ skips to the next unread channel', () => {
    const state = threeChannels();
    const ui = new UiStore(null);
    ui.selectChannel(GUILD_ID, '203');
    moveChannel(state, ui, 1, true);
    expect(ui.getState().channelByGuild[GUILD_ID]).toBe('202');
  });
});

describe('QuickSwitcher', () => {
  it('scores in-order matches and prefers word starts', () => {
    expect(fuzzyScore('gen', 'general')).not.toBeNull();
    expect(fuzzyScore('xyz', 'general')).toBeNull();
    expect(fuzzyScore('ot', 'off-topic')!).toBeGreaterThan(fuzzyScore('ot', 'photos')!);
  });

  it('jumps to a channel by fuzzy name with the keyboard', () => {
    const { services } = renderWithApp(<QuickSwitcher />, threeChannels());
    const input = screen.getByRole('combobox', { name: 'Where would you like to go?' });
    fireEvent.change(input, { target: { value: 'offtop' } });
    expect(screen.getAllByRole('option')[0]?.textContent).toContain('off-topic');
    act(() => {
      fireEvent.keyDown(input, { key: 'Enter' });
    });
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('203');
    expect(services.ui.getState().modal).toBeNull();
  });
});

function Shortcuts() {
  useKeyboardShortcuts();
  return null;
}

describe('app-wide keys', () => {
  it('Ctrl+K opens the quick switcher; Alt+↓ and Alt+Shift+↓ move; Esc marks the channel read', () => {
    const { services, fake } = renderWithApp(<Shortcuts />, threeChannels());
    services.ui.selectChannel(GUILD_ID, '201');
    fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true });
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('202');
    fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true, shiftKey: true });
    // 202 is the only unread channel: from it, the next unread is itself again.
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('202');
    fireEvent.keyDown(window, { key: 'ArrowUp', altKey: true });
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('201');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(fake.callsOf('ackChannel')).toEqual([['201']]);
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(services.ui.getState().modal).toEqual({ type: 'quick-switcher' });
    // While a dialog is open, channel keys leave the view alone.
    fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true });
    expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe('201');
  });

  it('Ctrl+Shift+M and Ctrl+Shift+D toggle mute and deafen inside the window, only while in voice', () => {
    const { fake } = renderWithApp(<Shortcuts />, threeChannels());
    fireEvent.keyDown(window, { key: 'M', code: 'KeyM', ctrlKey: true, shiftKey: true });
    expect(fake.callsOf('setSelfMute')).toEqual([]);
    act(() => fake.push({ type: 'self-voice', voice: { guildId: GUILD_ID, channelId: '300', selfMute: false, selfDeaf: false } }));
    fireEvent.keyDown(window, { key: 'M', code: 'KeyM', ctrlKey: true, shiftKey: true });
    fireEvent.keyDown(window, { key: 'D', code: 'KeyD', metaKey: true, shiftKey: true });
    expect(fake.callsOf('setSelfMute')).toEqual([[true]]);
    expect(fake.callsOf('setSelfDeaf')).toEqual([[true]]);
  });

  it('finds servers by fuzzy name in the quick switcher too', () => {
    const { services } = renderWithApp(<QuickSwitcher />, threeChannels());
    fireEvent.change(screen.getByRole('combobox', { name: 'Where would you like to go?' }), { target: { value: 'tstgld' } });
    const first = screen.getAllByRole('option')[0];
    expect(first?.textContent).toContain('Test Guild');
    act(() => {
      fireEvent.click(first as HTMLElement);
    });
    expect(services.ui.getState().selectedGuildId).toBe(GUILD_ID);
  });
});
