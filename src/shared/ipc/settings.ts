/**
 * The user's client settings: remembered by the client core (localStorage in the web client, a
 * JSON file in the desktop app) and read by the UI and the desktop shell. Patches from the UI are
 * parsed once with {@link clientSettingsPatchSchema} at the bridge edge.
 */
import { z } from 'zod';
import { isShortcutAccelerator } from '../accelerator.js';

/** A push-to-talk binding: a key (uiohook/DOM key code) or a mouse button, with a label to show. */
export const pushToTalkBindingSchema = z.object({
  kind: z.enum(['key', 'mouse']),
  code: z.number().int().min(0).max(65535),
  label: z.string().min(1).max(64),
});
export type PushToTalkBinding = z.output<typeof pushToTalkBindingSchema>;

const voiceSettingsSchema = z.object({
  inputMode: z.enum(['voice-activity', 'push-to-talk']),
  pushToTalkBinding: pushToTalkBindingSchema.nullable(),
  /** How long the microphone stays open after the push-to-talk key is released. */
  pushToTalkReleaseDelayMs: z.number().int().min(0).max(2000),
  /** Voice activity threshold in dB (−100…0), or automatic. */
  voiceActivityThresholdDb: z.union([z.number().min(-100).max(0), z.literal('auto')]),
  inputDeviceId: z.string().max(256).nullable(),
  outputDeviceId: z.string().max(256).nullable(),
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  automaticGainControl: z.boolean(),
  /** Per-user playback volume in percent (0–200), by user ID. */
  userVolumes: z.record(z.string().regex(/^\d{1,20}$/), z.number().min(0).max(200)),
  /** Users muted locally (only this client stops hearing them), by user ID. */
  mutedUsers: z.array(z.string().regex(/^\d{1,20}$/)).max(1000),
});

const notificationSettingsSchema = z.object({
  /** Desktop notifications for mentions and replies while the window is not focused. */
  mentions: z.boolean(),
  sounds: z.boolean(),
});

const desktopSettingsSchema = z.object({
  closeToTray: z.boolean(),
  startOnLogin: z.boolean(),
  /** Minutes without input before the status becomes idle; 0 disables auto-idle. */
  idleAfterMinutes: z.number().int().min(0).max(720),
  /**
   * Optional system-wide shortcuts (Electron accelerators) that toggle mute and deafen, registered
   * only while in a voice channel; null: none (the in-app Ctrl+Shift+M / Ctrl+Shift+D still work
   * while Hearth is focused).
   */
  globalMuteShortcut: z.string().refine(isShortcutAccelerator, 'Not a shortcut Hearth can register').nullable(),
  globalDeafenShortcut: z.string().refine(isShortcutAccelerator, 'Not a shortcut Hearth can register').nullable(),
  /** AppImage only: keep Hearth's entry in the applications menu (also what makes hearth:// links open it). */
  registerAppImage: z.boolean(),
});

/** All settings, every field present. */
export const clientSettingsSchema = z.object({
  theme: z.enum(['dark', 'light', 'system']),
  /** Compact message display (no avatars, one line per message). */
  compactMode: z.boolean(),
  notifications: notificationSettingsSchema,
  voice: voiceSettingsSchema,
  desktop: desktopSettingsSchema,
});
export type ClientSettings = z.output<typeof clientSettingsSchema>;

/** The defaults. */
export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
  theme: 'dark',
  compactMode: false,
  notifications: { mentions: true, sounds: true },
  voice: {
    inputMode: 'voice-activity',
    pushToTalkBinding: null,
    pushToTalkReleaseDelayMs: 200,
    voiceActivityThresholdDb: 'auto',
    inputDeviceId: null,
    outputDeviceId: null,
    echoCancellation: true,
    noiseSuppression: true,
    automaticGainControl: true,
    userVolumes: {},
    mutedUsers: [],
  },
  desktop: { closeToTray: true, startOnLogin: false, idleAfterMinutes: 10, globalMuteShortcut: null, globalDeafenShortcut: null, registerAppImage: true },
};

/** A partial update: any top-level field, and any subset of a section's fields. */
export const clientSettingsPatchSchema = z.strictObject({
  theme: clientSettingsSchema.shape.theme.optional(),
  compactMode: z.boolean().optional(),
  notifications: notificationSettingsSchema.partial().strict().optional(),
  voice: voiceSettingsSchema.partial().strict().optional(),
  desktop: desktopSettingsSchema.partial().strict().optional(),
});
export type ClientSettingsPatch = z.input<typeof clientSettingsPatchSchema>;

/** Applies a parsed patch to settings, section by section. */
export function applySettingsPatch(settings: ClientSettings, patch: z.output<typeof clientSettingsPatchSchema>): ClientSettings {
  return {
    theme: patch.theme ?? settings.theme,
    compactMode: patch.compactMode ?? settings.compactMode,
    notifications: { ...settings.notifications, ...definedFields(patch.notifications) },
    voice: { ...settings.voice, ...definedFields(patch.voice) },
    desktop: { ...settings.desktop, ...definedFields(patch.desktop) },
  };
}

/**
 * Reads remembered settings: each field that is present and valid is kept, everything else takes
 * its default (so settings from an older or newer version never fail to load).
 */
export function parseStoredSettings(raw: unknown): ClientSettings {
  if (raw === null || typeof raw !== 'object') return DEFAULT_CLIENT_SETTINGS;
  const input = raw as Record<string, unknown>;
  let settings = DEFAULT_CLIENT_SETTINGS;
  for (const key of Object.keys(DEFAULT_CLIENT_SETTINGS) as (keyof ClientSettings)[]) {
    const value = input[key];
    const fields = value !== null && typeof value === 'object' ? Object.entries(value) : [[undefined, value] as const];
    for (const [field, fieldValue] of fields) {
      const patch = clientSettingsPatchSchema.safeParse({ [key]: field === undefined ? fieldValue : { [field]: fieldValue } });
      if (patch.success) settings = applySettingsPatch(settings, patch.data);
    }
  }
  return settings;
}

function definedFields<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
