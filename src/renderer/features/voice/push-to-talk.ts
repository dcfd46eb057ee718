/**
 * Push-to-talk in the renderer: transmit only while the key is held, plus a release delay so
 * the end of a word is not cut. The default delay is {@link DEFAULT_RELEASE_DELAY_MS} (200 ms,
 * the settings default); the settings allow 0–2000 ms.
 *
 * Key events come from the focused window (web client, or desktop without the global hook)
 * through {@link listenForPushToTalkKeys}; the desktop's global hook sends press/release as
 * host events that feed the same gate. Whatever the source, the gate's `onChange` drives
 * `VoiceTransport.setTransmitting`.
 */

/** The settings default (DEFAULT_CLIENT_SETTINGS.voice.pushToTalkReleaseDelayMs). */
export const DEFAULT_RELEASE_DELAY_MS = 200;
export const MAX_RELEASE_DELAY_MS = 2000;

/** Press/release → transmitting, with the release delay; `onChange` fires only on changes. */
export class PushToTalkGate {
  private releaseDelayMs: number;
  private active = false;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onChange: (transmitting: boolean) => void,
    releaseDelayMs = DEFAULT_RELEASE_DELAY_MS,
  ) {
    this.releaseDelayMs = clampReleaseDelay(releaseDelayMs);
  }

  get transmitting(): boolean {
    return this.active;
  }

  setReleaseDelay(ms: number): void {
    this.releaseDelayMs = clampReleaseDelay(ms);
  }

  /** The key went down (auto-repeat changes nothing); a pending release is cancelled. */
  press(): void {
    this.clearTimer();
    this.set(true);
  }

  /** The key went up: transmitting stops after the release delay. */
  release(): void {
    if (!this.active || this.releaseTimer !== undefined) return;
    if (this.releaseDelayMs === 0) return this.set(false);
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      this.set(false);
    }, this.releaseDelayMs);
  }

  /** Stops at once (window blurred, mode changed, left voice). */
  releaseNow(): void {
    this.clearTimer();
    this.set(false);
  }

  private set(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    this.onChange(active);
  }

  private clearTimer(): void {
    if (this.releaseTimer !== undefined) clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
  }
}

function clampReleaseDelay(ms: number): number {
  if (!Number.isFinite(ms)) return DEFAULT_RELEASE_DELAY_MS;
  return Math.min(MAX_RELEASE_DELAY_MS, Math.max(0, Math.round(ms)));
}

/** A key event as far as push-to-talk cares (DOM `KeyboardEvent`). */
export interface PushToTalkKeyEvent {
  code: string;
  repeat: boolean;
}

/** The window (or any target) that delivers key events and focus loss (`window` in the renderer). */
export interface PushToTalkKeyTarget {
  addEventListener(type: string, listener: (event: object) => void): void;
  removeEventListener(type: string, listener: (event: object) => void): void;
}

/**
 * Feeds the gate from keydown/keyup of the bound key in a focused window; losing focus
 * releases at once (the key-up would never arrive). Returns a function that stops listening.
 */
export function listenForPushToTalkKeys(
  target: PushToTalkKeyTarget,
  isBoundKey: (event: PushToTalkKeyEvent) => boolean,
  gate: PushToTalkGate,
): () => void {
  // keydown/keyup listeners receive KeyboardEvents, which carry `code` and `repeat`.
  const down = (event: object) => {
    if (isBoundKey(event as PushToTalkKeyEvent)) gate.press();
  };
  const up = (event: object) => {
    if (isBoundKey(event as PushToTalkKeyEvent)) gate.release();
  };
  const blur = () => gate.releaseNow();
  target.addEventListener('keydown', down);
  target.addEventListener('keyup', up);
  target.addEventListener('blur', blur);
  return () => {
    target.removeEventListener('keydown', down);
    target.removeEventListener('keyup', up);
    target.removeEventListener('blur', blur);
  };
}
