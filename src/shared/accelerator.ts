/**
 * Keyboard shortcuts as Electron accelerators (`Control+Shift+M`), for the optional global
 * mute/deafen shortcuts: checked once here for the settings schema, and built from a key press
 * by the settings UI.
 */

/** Modifiers in the order an accelerator lists them. */
const MODIFIERS = ['Control', 'Alt', 'Shift', 'Meta'] as const;
/** Keys a shortcut may end with: letters, digits, F1–F24 and a few named keys. */
const KEY = /^(?:[A-Z0-9]|F(?:[1-9]|1\d|2[0-4])|Space|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Pause|ScrollLock)$/;
/** F13–F24 are free on most keyboards and may be used alone; everything else needs a modifier. */
const LONE_KEY = /^F(?:1[3-9]|2[0-4])$/;

/** True for an accelerator Hearth accepts as a global shortcut. */
export function isShortcutAccelerator(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  const parts = value.split('+');
  const key = parts.pop() ?? '';
  if (!KEY.test(key)) return false;
  const order = parts.map((p) => MODIFIERS.indexOf(p as (typeof MODIFIERS)[number]));
  // Each modifier at most once, in the canonical order, so one shortcut has one spelling.
  if (order.some((index, i) => index < 0 || (i > 0 && index <= (order[i - 1] ?? -1)))) return false;
  return parts.length > 0 || LONE_KEY.test(key);
}

/** The parts of a key press the UI reads (a DOM `KeyboardEvent`). */
export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** The accelerator for a key press, or null when the key cannot end a shortcut (a lone modifier, an unknown key). */
export function acceleratorFromKeyPress(press: KeyPress): string | null {
  const key = keyName(press.code);
  if (!key) return null;
  const held = [press.ctrlKey && 'Control', press.altKey && 'Alt', press.shiftKey && 'Shift', press.metaKey && 'Meta'].filter(Boolean);
  const accelerator = [...held, key].join('+');
  return isShortcutAccelerator(accelerator) ? accelerator : null;
}

/** A shortcut as people read it: `Ctrl + Shift + M`. */
export function shortcutLabel(accelerator: string): string {
  return accelerator.split('+').map((part) => (part === 'Control' ? 'Ctrl' : part)).join(' + ');
}

function keyName(code: string): string | null {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit\d$/.test(code)) return code.slice(5);
  if (/^F\d{1,2}$/.test(code)) return code;
  const named: Record<string, string> = {
    Space: 'Space', Backspace: 'Backspace', Delete: 'Delete', Insert: 'Insert', Home: 'Home', End: 'End',
    PageUp: 'PageUp', PageDown: 'PageDown', ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right',
    Pause: 'Pause', ScrollLock: 'ScrollLock',
  };
  return Object.hasOwn(named, code) ? (named[code] ?? null) : null;
}
