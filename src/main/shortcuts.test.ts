import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { VOICE_SHORTCUTS, registerVoiceShortcuts, unregisterVoiceShortcuts } from './shortcuts.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

beforeEach(() => fake.resetFakeElectron());

describe('voice shortcuts', () => {
  it('toggle mute and deafen from anywhere', () => {
    const actions = { toggleMute: vi.fn(), toggleDeafen: vi.fn() };
    expect(registerVoiceShortcuts(actions, vi.fn())).toEqual([]);
    fake.globalShortcut.press(VOICE_SHORTCUTS.toggleMute);
    fake.globalShortcut.press(VOICE_SHORTCUTS.toggleDeafen);
    fake.globalShortcut.press(VOICE_SHORTCUTS.toggleMute);
    expect(actions.toggleMute).toHaveBeenCalledTimes(2);
    expect(actions.toggleDeafen).toHaveBeenCalledTimes(1);
    unregisterVoiceShortcuts();
    expect(fake.globalShortcut.registered.size).toBe(0);
  });

  it('skips a shortcut another application owns and says so', () => {
    fake.globalShortcut.refuse.add(VOICE_SHORTCUTS.toggleDeafen);
    const warn = vi.fn();
    expect(registerVoiceShortcuts({ toggleMute: vi.fn(), toggleDeafen: vi.fn() }, warn)).toEqual([VOICE_SHORTCUTS.toggleDeafen]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('taken by another application'));
    expect(fake.globalShortcut.isRegistered(VOICE_SHORTCUTS.toggleMute)).toBe(true);
  });
});
