import { describe, expect, it } from 'vitest';
import { applySettingsPatch, clientSettingsPatchSchema, DEFAULT_CLIENT_SETTINGS, parseStoredSettings } from './settings.js';

describe('client settings', () => {
  it('applies a partial patch section by section', () => {
    const patch = clientSettingsPatchSchema.parse({ theme: 'light', voice: { pushToTalkReleaseDelayMs: 500 } });
    const next = applySettingsPatch(DEFAULT_CLIENT_SETTINGS, patch);
    expect(next.theme).toBe('light');
    expect(next.voice.pushToTalkReleaseDelayMs).toBe(500);
    expect(next.voice.inputMode).toBe(DEFAULT_CLIENT_SETTINGS.voice.inputMode);
    expect(next.desktop).toEqual(DEFAULT_CLIENT_SETTINGS.desktop);
  });

  it('refuses out-of-range values and unknown fields', () => {
    expect(clientSettingsPatchSchema.safeParse({ voice: { pushToTalkReleaseDelayMs: 2001 } }).success).toBe(false);
    expect(clientSettingsPatchSchema.safeParse({ voice: { voiceActivityThresholdDb: -101 } }).success).toBe(false);
    expect(clientSettingsPatchSchema.safeParse({ colour: 'red' }).success).toBe(false);
    // The update feed is not a client setting: nothing the UI sends can change where code comes from.
    expect(clientSettingsPatchSchema.safeParse({ desktop: { updateFeedUrl: 'https://updates.example.org/' } }).success).toBe(false);
  });

  it('loads remembered settings field by field, defaulting whatever is missing or invalid', () => {
    const loaded = parseStoredSettings({ theme: 'light', voice: { inputMode: 'push-to-talk', pushToTalkReleaseDelayMs: 99999 }, bogus: 1 });
    expect(loaded.theme).toBe('light');
    expect(loaded.voice.inputMode).toBe('push-to-talk');
    expect(loaded.voice.pushToTalkReleaseDelayMs).toBe(DEFAULT_CLIENT_SETTINGS.voice.pushToTalkReleaseDelayMs);
    expect(parseStoredSettings('garbage')).toEqual(DEFAULT_CLIENT_SETTINGS);
    expect(parseStoredSettings(null)).toEqual(DEFAULT_CLIENT_SETTINGS);
    // A feed remembered by an older version is dropped, not used.
    expect(parseStoredSettings({ desktop: { updateFeedUrl: 'http://chat.example.org/updates/' } }).desktop).toEqual(DEFAULT_CLIENT_SETTINGS.desktop);
  });
});
