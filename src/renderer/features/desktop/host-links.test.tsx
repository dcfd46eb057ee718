import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup } from '@testing-library/react';
import { App } from '../../app/App.js';
import { CHANNEL_ID, GUILD_ID, installLayout, readyState, renderWithApp, textChannel } from '../../test-support/harness.js';

const OTHER_CHANNEL = '201';

afterEach(cleanup);

describe('links from the desktop host', () => {
  it('turns an invite that names another server into that server’s link, so the dialog offers to switch', () => {
    const restore = installLayout();
    try {
      const { fake, services } = renderWithApp(<App />, readyState());
      act(() => fake.host({ type: 'open-invite', code: 'xyz789', server: 'https://other.example' }));
      expect(services.ui.getState().modal).toEqual({ type: 'join-guild', code: 'https://other.example/invite/xyz789' });
      expect(document.body.textContent).toContain('This invite is for a community on other.example.');
    } finally {
      restore();
    }
  });


  it('opens the join dialog for a hearth://invite link and the channel of a clicked notification', () => {
    const restore = installLayout();
    try {
      const state = readyState({ channels: [textChannel(CHANNEL_ID, 'general'), textChannel(OTHER_CHANNEL, 'random', { position: 1 })] });
      const { fake, services } = renderWithApp(<App />, state);
      act(() => fake.host({ type: 'open-invite', code: 'hTKzmak', server: null }));
      expect(services.ui.getState().modal).toEqual({ type: 'join-guild', code: 'hTKzmak' });
      act(() => services.ui.closeModal());
      expect(services.ui.getState().channelByGuild[GUILD_ID]).not.toBe(OTHER_CHANNEL);
      act(() => fake.host({ type: 'open-channel', guildId: GUILD_ID, channelId: OTHER_CHANNEL }));
      expect(services.ui.getState().selectedGuildId).toBe(GUILD_ID);
      expect(services.ui.getState().channelByGuild[GUILD_ID]).toBe(OTHER_CHANNEL);
    } finally {
      restore();
    }
  });
});
