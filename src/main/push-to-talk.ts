/**
 * The push-to-talk state machine: press and release of the bound key or mouse button become
 * `pressed` changes for the voice code, with the release delay (the microphone stays open a
 * little after release so the end of a word is not cut). Inputs arrive from the global hook or,
 * where the hook cannot work, from the focused window; both feed {@link PushToTalk.input}.
 */
import type { PushToTalkBinding } from '../shared/ipc/settings.js';

/** Longest release delay the settings allow. */
export const MAX_RELEASE_DELAY_MS = 2000;

/** One key or button going down or up. */
export interface PushToTalkInput {
  kind: PushToTalkBinding['kind'];
  code: number;
  down: boolean;
}

export interface PushToTalkConfig {
  /** Push-to-talk is the input mode (voice activity ignores the key). */
  enabled: boolean;
  binding: PushToTalkBinding | null;
  releaseDelayMs: number;
}

/** Press/release with the release delay; `onChange` fires only when the pressed state changes. */
export class PushToTalk {
  private config: PushToTalkConfig = { enabled: false, binding: null, releaseDelayMs: 0 };
  private active = false;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onChange: (pressed: boolean) => void) {}

  /** Whether the microphone should be open right now. */
  get pressed(): boolean {
    return this.active;
  }

  /** Applies new settings. A change of binding or disabling while pressed releases at once. */
  configure(config: PushToTalkConfig): void {
    const releaseDelayMs = Math.min(MAX_RELEASE_DELAY_MS, Math.max(0, Math.round(config.releaseDelayMs)));
    const bindingChanged = !sameBinding(config.binding, this.config.binding);
    this.config = { ...config, releaseDelayMs };
    if (!config.enabled || !config.binding || bindingChanged) this.releaseNow();
  }

  /** Feeds one key/button event; events for other keys are ignored. */
  input(event: PushToTalkInput): void {
    const { binding, enabled } = this.config;
    if (!enabled || !binding || binding.kind !== event.kind || binding.code !== event.code) return;
    if (event.down) this.press();
    else this.release();
  }

  /** Releases without the delay (window lost focus, hook stopped, app quitting). */
  releaseNow(): void {
    this.clearReleaseTimer();
    this.setActive(false);
  }

  private press(): void {
    // Pressing again within the release delay keeps the microphone open without a gap.
    this.clearReleaseTimer();
    this.setActive(true); // auto-repeat key-downs land here and change nothing
  }

  private release(): void {
    if (!this.active || this.releaseTimer) return;
    if (this.config.releaseDelayMs === 0) {
      this.setActive(false);
      return;
    }
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      this.setActive(false);
    }, this.config.releaseDelayMs);
  }

  private clearReleaseTimer(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
  }

  private setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    this.onChange(active);
  }
}

function sameBinding(a: PushToTalkBinding | null, b: PushToTalkBinding | null): boolean {
  return a?.kind === b?.kind && a?.code === b?.code;
}
