import { describe, expect, it } from 'vitest';
import type { PushToTalkBinding } from '../../../shared/ipc/settings.js';
import { listenForFocusedPushToTalk } from './focused-push-to-talk.js';

const F8: PushToTalkBinding = { kind: 'key', code: 0x0042, label: 'F8' };
const MOUSE4: PushToTalkBinding = { kind: 'mouse', code: 4, label: 'Mouse 4' };

function listen(binding: PushToTalkBinding | null) {
  const changes: boolean[] = [];
  const current = { binding };
  const stop = listenForFocusedPushToTalk(window, () => current.binding, (pressed) => changes.push(pressed));
  return { changes, current, stop };
}

describe('listenForFocusedPushToTalk', () => {
  it('presses on keydown of the bound key and releases on keyup, ignoring auto-repeat and other keys', () => {
    const { changes, stop } = listen(F8);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyA' }));
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'F8' }));
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'F8', repeat: true }));
    window.dispatchEvent(new KeyboardEvent('keyup', { code: 'KeyA' }));
    window.dispatchEvent(new KeyboardEvent('keyup', { code: 'F8' }));
    expect(changes).toEqual([true, false]);
    stop();
  });

  it('releases when the window loses focus, since the keyup would never arrive', () => {
    const { changes, stop } = listen(F8);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'F8' }));
    window.dispatchEvent(new Event('blur'));
    expect(changes).toEqual([true, false]);
    stop();
  });

  it('matches a mouse button binding by libuiohook number (DOM button 3 is Mouse 4)', () => {
    const { changes, stop } = listen(MOUSE4);
    window.dispatchEvent(new MouseEvent('mousedown', { button: 0 }));
    window.dispatchEvent(new MouseEvent('mousedown', { button: 3 }));
    window.dispatchEvent(new MouseEvent('mouseup', { button: 3 }));
    expect(changes).toEqual([true, false]);
    stop();
  });

  it('does nothing without a binding (voice activity mode) and stops listening when asked', () => {
    const { changes, current, stop } = listen(null);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'F8' }));
    current.binding = F8;
    stop();
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'F8' }));
    expect(changes).toEqual([]);
  });
});
