import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { NO_SHORTCUTS, VoiceShortcuts } from './shortcuts.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

beforeEach(() => fake.resetFakeElectron());

function setup() {
  const actions = { toggleMute: vi.fn(), toggleDeafen: vi.fn() };
  const warn = vi.fn();
  return { actions, warn, shortcuts: new VoiceShortcuts(actions, warn) };
}

describe('VoiceShortcuts', () => {
  it('grabs nothing unless asked', () => {
    const { shortcuts } = setup();
    expect(shortcuts.apply(NO_SHORTCUTS)).toEqual([]);
    expect(fake.callsTo('globalShortcut', 'register')).toEqual([]);
  });

  it('registers the chosen shortcuts, toggles with them, and releases them', () => {
    const { actions, shortcuts } = setup();
    expect(shortcuts.apply({ toggleMute: 'Control+Alt+M', toggleDeafen: 'F13' })).toEqual([]);
    fake.globalShortcut.press('Control+Alt+M');
    fake.globalShortcut.press('F13');
    fake.globalShortcut.press('Control+Alt+M');
    expect(actions.toggleMute).toHaveBeenCalledTimes(2);
    expect(actions.toggleDeafen).toHaveBeenCalledTimes(1);
    shortcuts.dispose();
    expect(fake.globalShortcut.registered.size).toBe(0);
  });

  it('moves a shortcut when the setting changes, and does not re-register an unchanged one', () => {
    const { shortcuts } = setup();
    shortcuts.apply({ toggleMute: 'Control+Alt+M', toggleDeafen: null });
    shortcuts.apply({ toggleMute: 'Control+Alt+M', toggleDeafen: null });
    expect(fake.callsTo('globalShortcut', 'register')).toHaveLength(1);
    shortcuts.apply({ toggleMute: 'Alt+F9', toggleDeafen: null });
    expect([...fake.globalShortcut.registered.keys()]).toEqual(['Alt+F9']);
  });

  it('skips a shortcut another application owns and says so, keeping the other', () => {
    fake.globalShortcut.refuse.add('Control+Shift+D');
    const { shortcuts, warn } = setup();
    expect(shortcuts.apply({ toggleMute: 'Control+Shift+M', toggleDeafen: 'Control+Shift+D' })).toEqual(['Control+Shift+D']);
    expect(shortcuts.unavailable).toEqual(['Control+Shift+D']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('taken by another application'));
    expect(fake.globalShortcut.isRegistered('Control+Shift+M')).toBe(true);
    shortcuts.dispose();
    // The refused one was never Hearth's: nothing to unregister.
    expect(fake.callsTo('globalShortcut', 'unregister').map((c) => c.args[0])).toEqual(['Control+Shift+M']);
  });
});
