/**
 * Optional system-wide toggle-mute and toggle-deafen shortcuts (`globalShortcut`: these need no
 * key release, unlike push-to-talk). A global shortcut takes its keys from every other
 * application, so Hearth grabs none by default: the user chooses each one in App Settings, and
 * it is registered only while they are in a voice channel. Ctrl+Shift+M / Ctrl+Shift+D work in
 * the Hearth window without any of this (the renderer handles them). A shortcut another
 * application already owns is skipped and reported, never fatal.
 */
import { globalShortcut } from 'electron';

export interface VoiceShortcutActions {
  toggleMute(): void;
  toggleDeafen(): void;
}

/** The accelerator for each action, or null for none. */
export type VoiceShortcutBindings = { readonly [K in keyof VoiceShortcutActions]: string | null };

export const NO_SHORTCUTS: VoiceShortcutBindings = { toggleMute: null, toggleDeafen: null };

/** Keeps exactly the wanted shortcuts registered. */
export class VoiceShortcuts {
  /** What was last asked for, and what of it is actually held. */
  private registered: VoiceShortcutBindings = NO_SHORTCUTS;
  private accepted: Record<keyof VoiceShortcutActions, string | null> = { toggleMute: null, toggleDeafen: null };
  private taken: string[] = [];

  constructor(
    private readonly actions: VoiceShortcutActions,
    private readonly warn: (message: string) => void,
  ) {}

  /** Accelerators that could not be registered (another application owns them). */
  get unavailable(): readonly string[] {
    return this.taken;
  }

  /** Registers `wanted` (releasing what is no longer wanted); returns the accelerators that failed. */
  apply(wanted: VoiceShortcutBindings): readonly string[] {
    if (wanted.toggleMute === this.registered.toggleMute && wanted.toggleDeafen === this.registered.toggleDeafen) return this.taken;
    this.dispose();
    const kept: Record<keyof VoiceShortcutActions, string | null> = { toggleMute: null, toggleDeafen: null };
    for (const action of Object.keys(wanted) as (keyof VoiceShortcutActions)[]) {
      const accelerator = wanted[action];
      if (!accelerator) continue;
      if (this.register(action, accelerator)) kept[action] = accelerator;
      else this.taken.push(accelerator);
    }
    this.registered = wanted;
    this.accepted = kept;
    return this.taken;
  }

  /** Releases every shortcut Hearth holds (leaving voice, quitting). */
  dispose(): void {
    for (const accelerator of Object.values(this.accepted)) if (accelerator) globalShortcut.unregister(accelerator);
    this.accepted = { toggleMute: null, toggleDeafen: null };
    this.registered = NO_SHORTCUTS;
    this.taken = [];
  }

  private register(action: keyof VoiceShortcutActions, accelerator: string): boolean {
    let ok: boolean;
    try {
      ok = globalShortcut.register(accelerator, () => this.actions[action]());
    } catch {
      // Electron throws for accelerators the platform cannot register at all.
      ok = false;
    }
    if (!ok) this.warn(`global shortcut ${accelerator} is taken by another application; ${action} has no global shortcut`);
    return ok;
  }
}
