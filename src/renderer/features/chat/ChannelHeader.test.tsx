import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { readyState, renderWithApp, textChannel } from '../../test-support/harness.js';
import { ChannelHeader } from './ChannelHeader.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A window that matches (or not) the narrow-layout media query. */
function stubWidth(narrow: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: narrow && query.includes('max-width'), media: query,
    addEventListener: () => undefined, removeEventListener: () => undefined,
  }));
}

const channel = textChannel('200', 'general', { topic: 'All things **Hearth**' });

describe('ChannelHeader', () => {
  it('shows the channel name and its topic as markdown', () => {
    stubWidth(false);
    renderWithApp(<ChannelHeader channel={channel} />, readyState());
    expect(screen.getByRole('heading', { name: 'general' })).toBeTruthy();
    expect(screen.getByText('Hearth').tagName).toBe('STRONG');
  });

  it('toggles the member list column, remembered, on a wide window', () => {
    stubWidth(false);
    const { services } = renderWithApp(<ChannelHeader channel={channel} />, readyState());
    fireEvent.click(screen.getByRole('button', { name: 'Hide Member List' }));
    expect(services.ui.getState().showMembers).toBe(false);
    expect(screen.getByRole('button', { name: 'Show Member List' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('opens the member list as a drawer on a narrow window, without changing the wide setting', () => {
    stubWidth(true);
    const { services } = renderWithApp(<ChannelHeader channel={channel} />, readyState());
    fireEvent.click(screen.getByRole('button', { name: 'Show Member List' }));
    expect(services.ui.getState()).toMatchObject({ membersDrawer: true, showMembers: true });
    fireEvent.click(screen.getByRole('button', { name: 'Hide Member List' }));
    expect(services.ui.getState().membersDrawer).toBe(false);
  });

  it('opens the quick switcher', () => {
    stubWidth(false);
    const { services } = renderWithApp(<ChannelHeader channel={channel} />, readyState());
    fireEvent.click(screen.getByRole('button', { name: /^Quick switcher/ }));
    expect(services.ui.getState().modal).toEqual({ type: 'quick-switcher' });
  });
});
