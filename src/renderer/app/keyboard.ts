import { useEffect } from 'react';
import type { ClientState } from '../../shared/ipc/state.js';
import { selectIsUnread } from '../../client/state/selectors.js';
import { useServices } from './hooks.js';
import { textChannelsInOrder } from './selectors.js';
import type { UiStore } from './ui-store.js';

/** Every text channel across guilds, in rail then sidebar order (Alt+Shift+↑/↓ crosses guilds). */
function allTextChannels(state: ClientState): { guildId: string; channelId: string }[] {
  return state.guildOrder.flatMap((guildId) => textChannelsInOrder(state, guildId).map((c) => ({ guildId, channelId: c.id })));
}

/** Moves to the previous/next channel of the guild, or the previous/next unread one anywhere. */
export function moveChannel(state: ClientState, ui: UiStore, step: 1 | -1, unreadOnly: boolean): void {
  const { selectedGuildId, channelByGuild } = ui.getState();
  const current = selectedGuildId ? channelByGuild[selectedGuildId] : undefined;
  const list = unreadOnly ? allTextChannels(state) : selectedGuildId ? textChannelsInOrder(state, selectedGuildId).map((c) => ({ guildId: selectedGuildId, channelId: c.id })) : [];
  if (list.length === 0) return;
  const index = list.findIndex((entry) => entry.channelId === current);
  for (let offset = 1; offset <= list.length; offset++) {
    const candidate = list[(((index + step * offset) % list.length) + list.length) % list.length];
    if (!candidate) return;
    if (!unreadOnly || selectIsUnread(state, candidate.channelId)) {
      ui.selectChannel(candidate.guildId, candidate.channelId);
      return;
    }
  }
}

/**
 * App-wide keys: Ctrl/Cmd+K quick switcher, Alt+↑/↓ channels, Alt+Shift+↑/↓ unread channels, Esc
 * marks read, and (in a voice channel) Ctrl/Cmd+Shift+M toggles mute and Ctrl/Cmd+Shift+D deafen —
 * inside the window only; system-wide voice shortcuts are a desktop setting of their own.
 */
export function useKeyboardShortcuts(): void {
  const { ui, store, bridge } = useServices();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && (event.code === 'KeyM' || event.code === 'KeyD')) {
        const { selfVoice } = store.getState();
        if (!selfVoice.channelId) return;
        event.preventDefault();
        if (event.code === 'KeyM') void bridge.setSelfMute(!selfVoice.selfMute);
        else void bridge.setSelfDeaf(!selfVoice.selfDeaf);
        return;
      }
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        ui.openModal({ type: 'quick-switcher' });
        return;
      }
      // Esc marks the open channel read (the composer handles its own Esc first).
      if (event.key === 'Escape' && !event.defaultPrevented && !ui.getState().modal) {
        const { selectedGuildId, channelByGuild } = ui.getState();
        const channelId = selectedGuildId ? channelByGuild[selectedGuildId] : undefined;
        if (channelId) void bridge.ackChannel(channelId);
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        const state = store.getState();
        if (!state || ui.getState().modal) return;
        event.preventDefault();
        moveChannel(state, ui, event.key === 'ArrowDown' ? 1 : -1, event.shiftKey);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [ui, store, bridge]);
}
