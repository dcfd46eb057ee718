/**
 * Push-to-talk from the focused page (the web client; the desktop app's main process sends
 * host events instead, from its global hook or the focused window). Keys are matched by the
 * same libuiohook codes the desktop stores, so one binding works in both.
 */
import type { PushToTalkBinding } from '../../../shared/ipc/settings.js';
import { uiohookKeyFromDomCode } from '../../../shared/keycodes.js';

/** DOM `MouseEvent.button` → libuiohook button (1 left, 2 right, 3 middle, 4 back, 5 forward). */
const DOM_TO_UIOHOOK_BUTTON: Readonly<Record<number, number>> = { 0: 1, 1: 3, 2: 2, 3: 4, 4: 5 };

/** The libuiohook button of a DOM mouse button. */
export function uiohookButtonFromDom(button: number): number | null {
  return DOM_TO_UIOHOOK_BUTTON[button] ?? null;
}

/** Whether a DOM key or mouse event is the binding. */
export function matchesBinding(binding: PushToTalkBinding | null, event: KeyboardEvent | MouseEvent): boolean {
  if (!binding) return false;
  if ('code' in event) return binding.kind === 'key' && uiohookKeyFromDomCode(event.code) === binding.code;
  return binding.kind === 'mouse' && uiohookButtonFromDom(event.button) === binding.code;
}

/**
 * Calls `onChange(true)` when the bound key or button goes down in `target` and `onChange(false)`
 * when it goes up or the window loses focus (the release would never arrive). `binding()` is read
 * on each event, so settings changes apply at once. Returns a function that stops listening.
 */
export function listenForFocusedPushToTalk(
  target: Window,
  binding: () => PushToTalkBinding | null,
  onChange: (pressed: boolean) => void,
): () => void {
  let pressed = false;
  const set = (next: boolean) => {
    if (next === pressed) return;
    pressed = next;
    onChange(next);
  };
  const down = (event: KeyboardEvent | MouseEvent) => {
    if (!('repeat' in event && event.repeat) && matchesBinding(binding(), event)) set(true);
  };
  const up = (event: KeyboardEvent | MouseEvent) => {
    if (matchesBinding(binding(), event)) set(false);
  };
  const blur = () => set(false);
  target.addEventListener('keydown', down);
  target.addEventListener('keyup', up);
  target.addEventListener('mousedown', down);
  target.addEventListener('mouseup', up);
  target.addEventListener('blur', blur);
  return () => {
    target.removeEventListener('keydown', down);
    target.removeEventListener('keyup', up);
    target.removeEventListener('mousedown', down);
    target.removeEventListener('mouseup', up);
    target.removeEventListener('blur', blur);
  };
}
