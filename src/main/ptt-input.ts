/**
 * Where push-to-talk input comes from. The global hook (uiohook-napi on X11, Windows and macOS;
 * the desktop portal's shortcut on Wayland, `portal-shortcuts.ts`) sees presses in any
 * application, which `globalShortcut` cannot (it gives no release). Where no global input works
 * (`ptt-platform.ts` decides), settings say why and push-to-talk falls back to the Hearth
 * window's own key events while it is focused.
 */
import type { PushToTalkBinding } from '../shared/ipc/settings.js';
import { keyLabel, mouseButtonLabel } from './keycodes.js';
import type { PushToTalk, PushToTalkConfig, PushToTalkInput } from './push-to-talk.js';

/** libuiohook event types (uiohook-napi's `EventType`). */
const KEY_PRESSED = 4;
const KEY_RELEASED = 5;
const MOUSE_PRESSED = 7;
const MOUSE_RELEASED = 8;
/** libuiohook's code for Escape: cancels a binding capture. */
const ESCAPE = 0x0001;
/** The left button stays a click: binding it would make every click talk. */
const LEFT_MOUSE = 1;
/** How long a binding capture waits for a key. */
export const CAPTURE_TIMEOUT_MS = 15_000;

/** One event as uiohook-napi reports it on its `input` channel. */
export interface HookEvent {
  type: number;
  keycode?: number;
  button?: unknown;
}

/** The part of uiohook-napi's `uIOhook` Hearth uses; the portal's shortcut has the same shape. */
export interface InputHook {
  on(event: 'input', listener: (event: HookEvent) => void): unknown;
  start(): void;
  stop(): void;
  /** False when the hook reports only the bound input (the portal): bindings are then captured in the focused window. */
  readonly capturesKeys?: boolean;
  /** Told the binding (the portal registers a shortcut for it). */
  setBinding?(binding: PushToTalkBinding | null): void;
  /** Hooks that can fail after starting (the portal) say so here, with the reason. */
  onUnavailable?(listener: (reason: string) => void): void;
}

/** Key events of the focused Hearth window, for when the global hook is unavailable. */
export interface FocusedKeySource {
  /** Calls `onInput` for each key down/up while focused and `onBlur` when focus leaves. */
  subscribe(onInput: (input: PushToTalkInput) => void, onBlur: () => void): () => void;
}

export type HookAvailability = { available: true } | { available: false; reason: string };

/** Said after every reason global push-to-talk is unavailable. */
export const FOCUSED_FALLBACK = 'Push-to-talk works while the Hearth window is focused.';

interface PendingCapture {
  resolve(binding: PushToTalkBinding): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  promise: Promise<PushToTalkBinding>;
}

/**
 * Feeds a {@link PushToTalk} from the global hook (started only while push-to-talk is on, or a
 * binding is being captured) or from the focused window when the hook is unavailable.
 */
export class PushToTalkInputs {
  private availability: HookAvailability;
  private hookRunning = false;
  private config: PushToTalkConfig = { enabled: false, binding: null, releaseDelayMs: 0 };
  private capture: PendingCapture | null = null;
  private unsubscribeFocused: (() => void) | null = null;

  constructor(
    private readonly pushToTalk: PushToTalk,
    private readonly hook: InputHook | null,
    private readonly focused: FocusedKeySource,
    availability: HookAvailability,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {
    this.availability = hook || !availability.available ? availability : { available: false, reason: `The keyboard hook could not be loaded. ${FOCUSED_FALLBACK}` };
    hook?.on('input', (event) => this.onHookEvent(event));
    hook?.onUnavailable?.((reason) => {
      this.log(`global push-to-talk stopped: ${reason}`);
      this.hookRunning = false;
      this.availability = { available: false, reason: `${reason} ${FOCUSED_FALLBACK}` };
      this.pushToTalk.releaseNow();
      this.refresh();
    });
  }

  /** Available, or why not (shown in settings). */
  get status(): HookAvailability {
    return this.availability;
  }

  /** Applies the voice settings: which binding, the release delay, whether push-to-talk is on. */
  configure(config: PushToTalkConfig): void {
    this.config = config;
    this.pushToTalk.configure(config);
    this.hook?.setBinding?.(config.binding);
    this.refresh();
  }

  /** Waits for the next key or (non-left) mouse button; Escape cancels. */
  captureBinding(timeoutMs = CAPTURE_TIMEOUT_MS): Promise<PushToTalkBinding> {
    if (this.capture) return this.capture.promise;
    let resolve!: (binding: PushToTalkBinding) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<PushToTalkBinding>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const timer = setTimeout(() => this.finishCapture(new Error('No key was pressed: binding capture timed out.')), timeoutMs);
    this.capture = { resolve, reject, timer, promise };
    // While capturing, the current binding must not open the microphone.
    this.pushToTalk.releaseNow();
    this.refresh();
    return promise;
  }

  /** Stops the hook and releases (app quitting). */
  dispose(): void {
    if (this.capture) this.finishCapture(new Error('Binding capture was cancelled.'));
    this.config = { ...this.config, enabled: false };
    this.pushToTalk.releaseNow();
    this.refresh();
  }

  /** Starts or stops the hook (or the focused fallback) to match what is wanted. */
  private refresh(): void {
    const capturing = this.capture !== null;
    const talking = this.config.enabled && this.config.binding !== null;
    const hookCaptures = this.hook?.capturesKeys !== false;
    // A capture goes to the hook only if it sees every key; else to the focused window.
    const hookWanted = capturing ? hookCaptures : talking;
    if (this.availability.available && this.hook) {
      if (hookWanted && !this.hookRunning) this.startHook();
      else if (!hookWanted && this.hookRunning) this.stopHook();
    }
    const useFocused = (capturing || talking) && (!this.availability.available || (capturing && !hookCaptures));
    if (useFocused && !this.unsubscribeFocused) {
      this.unsubscribeFocused = this.focused.subscribe(
        (input) => this.onInput(input),
        () => this.pushToTalk.releaseNow(),
      );
    } else if (!useFocused && this.unsubscribeFocused) {
      this.unsubscribeFocused();
      this.unsubscribeFocused = null;
    }
  }

  private startHook(): void {
    try {
      this.hook?.start();
      this.hookRunning = true;
    } catch (error) {
      this.log('push-to-talk hook failed to start; using the focused window', error);
      this.availability = { available: false, reason: `The keyboard hook could not start. ${FOCUSED_FALLBACK}` };
    }
  }

  private stopHook(): void {
    try {
      this.hook?.stop();
    } catch (error) {
      this.log('push-to-talk hook failed to stop', error);
    }
    this.hookRunning = false;
    this.pushToTalk.releaseNow();
  }

  private onHookEvent(event: HookEvent): void {
    if ((event.type === KEY_PRESSED || event.type === KEY_RELEASED) && typeof event.keycode === 'number') {
      this.onInput({ kind: 'key', code: event.keycode, down: event.type === KEY_PRESSED });
    } else if ((event.type === MOUSE_PRESSED || event.type === MOUSE_RELEASED) && typeof event.button === 'number') {
      this.onInput({ kind: 'mouse', code: event.button, down: event.type === MOUSE_PRESSED });
    }
  }

  private onInput(input: PushToTalkInput): void {
    if (!this.capture) {
      this.pushToTalk.input(input);
      return;
    }
    if (!input.down) return;
    if (input.kind === 'key' && input.code === ESCAPE) this.finishCapture(new Error('Binding capture was cancelled.'));
    else if (input.kind === 'mouse' && input.code === LEFT_MOUSE) return;
    else this.finishCapture(toBinding(input));
  }

  private finishCapture(outcome: PushToTalkBinding | Error): void {
    const capture = this.capture;
    if (!capture) return;
    this.capture = null;
    clearTimeout(capture.timer);
    if (outcome instanceof Error) capture.reject(outcome);
    else capture.resolve(outcome);
    this.refresh();
  }
}

/** The binding for a pressed key or button, labelled for display. */
export function toBinding(input: Pick<PushToTalkInput, 'kind' | 'code'>): PushToTalkBinding {
  return {
    kind: input.kind,
    code: input.code,
    label: input.kind === 'key' ? keyLabel(input.code) : mouseButtonLabel(input.code),
  };
}
