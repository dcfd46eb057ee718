import { describe, expect, it } from 'vitest';
import { acceleratorFromKeyPress, isShortcutAccelerator, shortcutLabel } from './accelerator.js';

const press = (code: string, held: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) =>
  ({ code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...held });

describe('shortcut accelerators', () => {
  it('accepts modifier combinations in one spelling, and F13–F24 alone', () => {
    for (const good of ['Control+Shift+M', 'Alt+F9', 'Control+Alt+Shift+Meta+D', 'F13', 'Meta+Space']) expect(isShortcutAccelerator(good)).toBe(true);
    for (const bad of ['M', 'Shift+Control+M', 'Control+Control+M', 'CommandOrControl+M', 'Control+', 'Control+ü', 'F25', '', 42]) {
      expect(isShortcutAccelerator(bad)).toBe(false);
    }
  });

  it('builds the accelerator of a key press and labels it', () => {
    expect(acceleratorFromKeyPress(press('KeyM', { ctrlKey: true, shiftKey: true }))).toBe('Control+Shift+M');
    expect(acceleratorFromKeyPress(press('F14'))).toBe('F14');
    expect(acceleratorFromKeyPress(press('ArrowUp', { altKey: true }))).toBe('Alt+Up');
    expect(acceleratorFromKeyPress(press('KeyM'))).toBeNull();
    expect(acceleratorFromKeyPress(press('ShiftLeft', { shiftKey: true }))).toBeNull();
    expect(shortcutLabel('Control+Shift+M')).toBe('Ctrl + Shift + M');
  });
});
