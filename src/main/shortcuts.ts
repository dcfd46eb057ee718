/**
 * Global toggle-mute and toggle-deafen shortcuts (`globalShortcut`: these need no key release,
 * unlike push-to-talk). Discord's defaults; a shortcut another application already owns is
 * skipped and logged, never fatal.
 */
import { globalShortcut } from 'electron';

export const VOICE_SHORTCUTS = {
  toggleMute: 'CommandOrControl+Shift+M',
  toggleDeafen: 'CommandOrControl+Shift+D',
} as const;

export interface VoiceShortcutActions {
  toggleMute(): void;
  toggleDeafen(): void;
}

/** Registers both shortcuts; returns the accelerators that could not be registered. */
export function registerVoiceShortcuts(actions: VoiceShortcutActions, warn: (message: string) => void): string[] {
  const failed: string[] = [];
  for (const [action, accelerator] of Object.entries(VOICE_SHORTCUTS) as [keyof VoiceShortcutActions, string][]) {
    let ok: boolean;
    try {
      ok = globalShortcut.register(accelerator, () => actions[action]());
    } catch {
      // Electron throws for accelerators the platform cannot register at all.
      ok = false;
    }
    if (!ok) {
      failed.push(accelerator);
      warn(`global shortcut ${accelerator} is taken by another application; ${action} has no global shortcut`);
    }
  }
  return failed;
}

/** Releases the shortcuts (app quitting). */
export function unregisterVoiceShortcuts(): void {
  for (const accelerator of Object.values(VOICE_SHORTCUTS)) globalShortcut.unregister(accelerator);
}
