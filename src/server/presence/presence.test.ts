import { describe, expect, it } from 'vitest';
import { mergePresence, platformOf, PresenceTracker, type SessionPresence } from './presence.js';

const session = (status: SessionPresence['status'], platform: SessionPresence['platform'], updatedAt = 1, activities: SessionPresence['activities'] = []): SessionPresence => ({
  status, platform, updatedAt, activities,
});

describe('platformOf', () => {
  it('counts the Hearth desktop app and Electron as desktop, everything else as web', () => {
    expect(platformOf('Hearth Desktop')).toBe('desktop');
    expect(platformOf('Electron 45')).toBe('desktop');
    expect(platformOf('Firefox')).toBe('web');
    expect(platformOf('discord.js')).toBe('web');
    expect(platformOf(undefined)).toBe('web');
  });
});

describe('mergePresence', () => {
  it('picks dnd over online over idle, per platform too', () => {
    expect(mergePresence('1', [session('idle', 'web'), session('online', 'desktop'), session('dnd', 'web')])).toEqual({
      user: { id: '1' }, status: 'dnd', activities: [], client_status: { web: 'dnd', desktop: 'online' },
    });
  });

  it('shows a user with any invisible session as offline', () => {
    expect(mergePresence('1', [session('online', 'desktop'), session('invisible', 'web')])).toEqual({
      user: { id: '1' }, status: 'offline', activities: [], client_status: {},
    });
  });

  it('takes activities from the most recently updated session', () => {
    const game = { name: 'Factorio', type: 0 };
    expect(mergePresence('1', [session('online', 'web', 5, [game]), session('idle', 'desktop', 2)]).activities).toEqual([game]);
  });
});

describe('PresenceTracker', () => {
  it('reports a change only when what others see changed', () => {
    const tracker = new PresenceTracker();
    expect(tracker.set('1', 'a', session('online', 'web'))?.status).toBe('online');
    expect(tracker.set('1', 'a', session('online', 'web', 2))).toBeUndefined();
    expect(tracker.set('1', 'b', session('online', 'desktop'))?.client_status).toEqual({ web: 'online', desktop: 'online' });
    expect(tracker.set('1', 'a', session('invisible', 'web'))?.status).toBe('offline');
    expect(tracker.set('1', 'b', session('idle', 'desktop'))).toBeUndefined();
    expect(tracker.isVisible('1')).toBe(false);
    expect(tracker.remove('1', 'a')?.status).toBe('idle');
    expect(tracker.remove('1', 'b')?.status).toBe('offline');
    expect(tracker.get('1')).toEqual({ user: { id: '1' }, status: 'offline', activities: [], client_status: {} });
  });
});
