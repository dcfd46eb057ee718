/**
 * Key codes for push-to-talk bindings. A binding stores the uiohook (libuiohook `VC_*`) key code,
 * which is what the global hook reports; while the hook is unavailable the focused window's key
 * events (DOM `KeyboardEvent.code`) are mapped to the same numbers, so one binding works both ways.
 */

/** DOM `KeyboardEvent.code` → libuiohook virtual key code (values from uiohook-napi's `UiohookKey`). */
const DOM_TO_UIOHOOK: Readonly<Record<string, number>> = {
  Escape: 0x0001, Backspace: 0x000e, Tab: 0x000f, Enter: 0x001c, CapsLock: 0x003a, Space: 0x0039,
  PageUp: 0x0e49, PageDown: 0x0e51, End: 0x0e4f, Home: 0x0e47, Insert: 0x0e52, Delete: 0x0e53,
  ArrowLeft: 0xe04b, ArrowUp: 0xe048, ArrowRight: 0xe04d, ArrowDown: 0xe050,
  Digit1: 0x0002, Digit2: 0x0003, Digit3: 0x0004, Digit4: 0x0005, Digit5: 0x0006,
  Digit6: 0x0007, Digit7: 0x0008, Digit8: 0x0009, Digit9: 0x000a, Digit0: 0x000b,
  KeyQ: 0x0010, KeyW: 0x0011, KeyE: 0x0012, KeyR: 0x0013, KeyT: 0x0014, KeyY: 0x0015, KeyU: 0x0016,
  KeyI: 0x0017, KeyO: 0x0018, KeyP: 0x0019, KeyA: 0x001e, KeyS: 0x001f, KeyD: 0x0020, KeyF: 0x0021,
  KeyG: 0x0022, KeyH: 0x0023, KeyJ: 0x0024, KeyK: 0x0025, KeyL: 0x0026, KeyZ: 0x002c, KeyX: 0x002d,
  KeyC: 0x002e, KeyV: 0x002f, KeyB: 0x0030, KeyN: 0x0031, KeyM: 0x0032,
  Numpad0: 0x0052, Numpad1: 0x004f, Numpad2: 0x0050, Numpad3: 0x0051, Numpad4: 0x004b,
  Numpad5: 0x004c, Numpad6: 0x004d, Numpad7: 0x0047, Numpad8: 0x0048, Numpad9: 0x0049,
  NumpadMultiply: 0x0037, NumpadAdd: 0x004e, NumpadSubtract: 0x004a, NumpadDecimal: 0x0053,
  NumpadDivide: 0x0e35, NumpadEnter: 0x0e1c,
  F1: 0x003b, F2: 0x003c, F3: 0x003d, F4: 0x003e, F5: 0x003f, F6: 0x0040, F7: 0x0041, F8: 0x0042,
  F9: 0x0043, F10: 0x0044, F11: 0x0057, F12: 0x0058, F13: 0x005b, F14: 0x005c, F15: 0x005d,
  F16: 0x0063, F17: 0x0064, F18: 0x0065, F19: 0x0066, F20: 0x0067, F21: 0x0068, F22: 0x0069,
  F23: 0x006a, F24: 0x006b,
  Semicolon: 0x0027, Equal: 0x000d, Comma: 0x0033, Minus: 0x000c, Period: 0x0034, Slash: 0x0035,
  Backquote: 0x0029, BracketLeft: 0x001a, Backslash: 0x002b, BracketRight: 0x001b, Quote: 0x0028,
  ControlLeft: 0x001d, ControlRight: 0x0e1d, AltLeft: 0x0038, AltRight: 0x0e38,
  ShiftLeft: 0x002a, ShiftRight: 0x0036, MetaLeft: 0x0e5b, MetaRight: 0x0e5c,
  NumLock: 0x0045, ScrollLock: 0x0046, PrintScreen: 0x0e37, Pause: 0x0e45,
};

/** Names people recognise, where the DOM code is not one. */
const LABELS: Readonly<Record<string, string>> = {
  Backquote: '`', Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Backslash: '\\',
  Semicolon: ';', Quote: "'", Comma: ',', Period: '.', Slash: '/',
  ControlLeft: 'Left Ctrl', ControlRight: 'Right Ctrl', AltLeft: 'Left Alt', AltRight: 'Right Alt',
  ShiftLeft: 'Left Shift', ShiftRight: 'Right Shift', MetaLeft: 'Left Meta', MetaRight: 'Right Meta',
  CapsLock: 'Caps Lock', NumLock: 'Num Lock', ScrollLock: 'Scroll Lock', PrintScreen: 'Print Screen',
  PageUp: 'Page Up', PageDown: 'Page Down', ArrowLeft: 'Left', ArrowRight: 'Right', ArrowUp: 'Up', ArrowDown: 'Down',
  NumpadMultiply: 'Numpad *', NumpadAdd: 'Numpad +', NumpadSubtract: 'Numpad -', NumpadDecimal: 'Numpad .',
  NumpadDivide: 'Numpad /', NumpadEnter: 'Numpad Enter',
};

const UIOHOOK_TO_DOM: ReadonlyMap<number, string> = new Map(Object.entries(DOM_TO_UIOHOOK).map(([dom, code]) => [code, dom]));

/** The libuiohook key code of a DOM `KeyboardEvent.code`, or null when Hearth does not map it. */
export function uiohookKeyFromDomCode(domCode: string): number | null {
  return Object.hasOwn(DOM_TO_UIOHOOK, domCode) ? (DOM_TO_UIOHOOK[domCode] ?? null) : null;
}

/** The DOM `KeyboardEvent.code` of a libuiohook key code, or null when Hearth does not map it. */
export function domCodeFromUiohookKey(uiohookCode: number): string | null {
  return UIOHOOK_TO_DOM.get(uiohookCode) ?? null;
}

/** A label to show for a libuiohook key code, e.g. `V`, `F13`, `Left Ctrl`, `` ` ``. */
export function keyLabel(uiohookCode: number): string {
  const dom = UIOHOOK_TO_DOM.get(uiohookCode);
  if (!dom) return `Key ${uiohookCode}`;
  if (LABELS[dom]) return LABELS[dom];
  if (/^Key[A-Z]$/.test(dom)) return dom.slice(3);
  if (/^Digit\d$/.test(dom)) return dom.slice(5);
  if (/^Numpad\d$/.test(dom)) return `Numpad ${dom.slice(6)}`;
  return dom;
}

/**
 * A label for a uiohook mouse button. libuiohook numbers them 1 left, 2 right, 3 middle, 4 and 5
 * the side buttons (back and forward on most mice).
 */
export function mouseButtonLabel(button: number): string {
  switch (button) {
    case 1:
      return 'Left Mouse';
    case 2:
      return 'Right Mouse';
    case 3:
      return 'Middle Mouse';
    case 4:
      return 'Mouse 4';
    case 5:
      return 'Mouse 5';
    default:
      return `Mouse ${button}`;
  }
}
