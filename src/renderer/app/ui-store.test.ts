import { describe, expect, it } from 'vitest';
import { selectRememberedChannelId, UiStore } from './ui-store.js';

/** A Web Storage stand-in holding what an earlier page load saved. */
function storageWith(saved: Record<string, string>): Storage {
  const values = new Map(Object.entries(saved));
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, value),
  };
}

describe('selectRememberedChannelId', () => {
  it('is the channel last viewed in the remembered guild, the one start-up asks the core to fetch early', () => {
    const storage = storageWith({ 'hearth.ui': JSON.stringify({ selectedGuildId: '10', channelByGuild: { '10': '11', '20': '21' } }) });
    expect(selectRememberedChannelId(new UiStore(storage).getState())).toBe('11');
  });

  it('is undefined without a remembered guild, or without a channel viewed in it', () => {
    expect(selectRememberedChannelId(new UiStore(storageWith({})).getState())).toBeUndefined();
    const noChannel = storageWith({ 'hearth.ui': JSON.stringify({ selectedGuildId: '30', channelByGuild: { '10': '11' } }) });
    expect(selectRememberedChannelId(new UiStore(noChannel).getState())).toBeUndefined();
  });

  it('follows the selection as the user moves between channels', () => {
    const ui = new UiStore(null);
    ui.selectChannel('10', '11');
    ui.selectChannel('20', '21');
    expect(selectRememberedChannelId(ui.getState())).toBe('21');
    ui.selectGuild('10');
    expect(selectRememberedChannelId(ui.getState())).toBe('11');
  });
});
