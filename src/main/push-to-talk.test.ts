import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushToTalk } from './push-to-talk.js';
import { PushToTalkInputs, type FocusedKeySource, type HookEvent, type InputHook } from './ptt-input.js';
import { keyLabel, uiohookKeyFromDomCode } from './keycodes.js';

const V = 0x002f;
const B = 0x0030;
const ESCAPE = 0x0001;
const keyV = { kind: 'key' as const, code: V, label: 'V' };
const mouse4 = { kind: 'mouse' as const, code: 4, label: 'Mouse 4' };

/** A stand-in for uiohook-napi's `uIOhook`: emits `input` events like the native hook. */
class FakeHook extends EventEmitter implements InputHook {
  running = false;
  failStart = false;
  start(): void {
    if (this.failStart) throw new Error('XOpenDisplay failed');
    this.running = true;
  }
  stop(): void {
    this.running = false;
  }
  key(keycode: number, down: boolean): void {
    this.emit('input', { type: down ? 4 : 5, keycode } satisfies HookEvent);
  }
  mouse(button: number, down: boolean): void {
    this.emit('input', { type: down ? 7 : 8, button } satisfies HookEvent);
  }
}

/** The focused window's key events. */
class FakeFocusedKeys implements FocusedKeySource {
  listener: ((input: { kind: 'key' | 'mouse'; code: number; down: boolean }) => void) | null = null;
  blur: (() => void) | null = null;
  subscribe(onInput: NonNullable<typeof this.listener>, onBlur: () => void): () => void {
    this.listener = onInput;
    this.blur = onBlur;
    return () => {
      this.listener = null;
      this.blur = null;
    };
  }
  key(code: number, down: boolean): void {
    this.listener?.({ kind: 'key', code, down });
  }
}

function setup(options: { available?: boolean; hook?: boolean } = {}) {
  const changes: boolean[] = [];
  const ptt = new PushToTalk((pressed) => changes.push(pressed));
  const hook = new FakeHook();
  const focused = new FakeFocusedKeys();
  const availability = options.available === false ? { available: false as const, reason: 'Wayland' } : { available: true as const };
  const inputs = new PushToTalkInputs(ptt, options.hook === false ? null : hook, focused, availability);
  return { changes, ptt, hook, focused, inputs };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PushToTalk', () => {
  it('presses on key down and releases on key up with no delay', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    hook.key(V, true);
    expect(changes).toEqual([true]);
    hook.key(V, false);
    expect(changes).toEqual([true, false]);
  });

  it('keeps the microphone open for the release delay after release', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 300 });
    hook.key(V, true);
    hook.key(V, false);
    vi.advanceTimersByTime(299);
    expect(changes).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([true, false]);
  });

  it('stays open without a gap when pressed again within the release delay', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 500 });
    hook.key(V, true);
    hook.key(V, false);
    vi.advanceTimersByTime(200);
    hook.key(V, true);
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([true]);
    hook.key(V, false);
    vi.advanceTimersByTime(500);
    expect(changes).toEqual([true, false]);
  });

  it('ignores auto-repeated key downs and other keys', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    hook.key(B, true);
    hook.key(V, true);
    hook.key(V, true);
    hook.key(V, true);
    hook.key(B, false);
    expect(changes).toEqual([true]);
  });

  it('clamps the release delay to 0–2000 ms', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 60_000 });
    hook.key(V, true);
    hook.key(V, false);
    vi.advanceTimersByTime(2000);
    expect(changes).toEqual([true, false]);
  });

  it('works with a mouse button binding', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: mouse4, releaseDelayMs: 0 });
    hook.key(4, true); // a key with the same number is not the mouse button
    hook.mouse(4, true);
    hook.mouse(4, false);
    expect(changes).toEqual([true, false]);
  });

  it('follows a binding change and releases at once when the binding changes while pressed', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 1000 });
    hook.key(V, true);
    inputs.configure({ enabled: true, binding: { kind: 'key', code: B, label: 'B' }, releaseDelayMs: 1000 });
    expect(changes).toEqual([true, false]);
    hook.key(V, true);
    expect(changes).toEqual([true, false]);
    hook.key(B, true);
    expect(changes).toEqual([true, false, true]);
  });

  it('does nothing in voice-activity mode and runs the hook only while push-to-talk is on', () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: false, binding: keyV, releaseDelayMs: 0 });
    expect(hook.running).toBe(false);
    hook.key(V, true);
    expect(changes).toEqual([]);
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    expect(hook.running).toBe(true);
    inputs.configure({ enabled: false, binding: keyV, releaseDelayMs: 0 });
    expect(hook.running).toBe(false);
  });
});

describe('PushToTalkInputs fallback', () => {
  it('uses the focused window when the hook is unavailable and releases on blur', () => {
    const { changes, hook, focused, inputs } = setup({ available: false });
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    expect(hook.running).toBe(false);
    expect(inputs.status).toEqual({ available: false, reason: 'Wayland' });
    focused.key(V, true);
    expect(changes).toEqual([true]);
    focused.blur?.();
    expect(changes).toEqual([true, false]);
  });

  it('falls back to the focused window when the hook fails to start', () => {
    const { changes, hook, focused, inputs } = setup();
    hook.failStart = true;
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    expect(inputs.status.available).toBe(false);
    focused.key(V, true);
    expect(changes).toEqual([true]);
  });

  it('reports the hook unavailable when the native module could not load', () => {
    const { inputs } = setup({ hook: false });
    expect(inputs.status).toMatchObject({ available: false, reason: expect.stringContaining('could not be loaded') });
  });
});

describe('binding capture', () => {
  it('captures the next key pressed anywhere, with a label', async () => {
    const { hook, inputs } = setup();
    const captured = inputs.captureBinding();
    expect(hook.running).toBe(true);
    hook.key(0x005b, true); // F13
    await expect(captured).resolves.toEqual({ kind: 'key', code: 0x005b, label: 'F13' });
    expect(hook.running).toBe(false);
  });

  it('captures a side mouse button but not the left button', async () => {
    const { hook, inputs } = setup();
    const captured = inputs.captureBinding();
    hook.mouse(1, true);
    hook.mouse(5, true);
    await expect(captured).resolves.toEqual({ kind: 'mouse', code: 5, label: 'Mouse 5' });
  });

  it('does not talk while capturing, and Escape cancels', async () => {
    const { changes, hook, inputs } = setup();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    const captured = inputs.captureBinding();
    hook.key(V, false);
    hook.key(ESCAPE, true);
    await expect(captured).rejects.toThrow('cancelled');
    expect(changes).toEqual([]);
    expect(hook.running).toBe(true); // push-to-talk is still on
  });

  it('times out when nothing is pressed', async () => {
    const { hook, inputs } = setup();
    const captured = inputs.captureBinding(1000);
    const assertion = expect(captured).rejects.toThrow('timed out');
    vi.advanceTimersByTime(1000);
    await assertion;
    expect(hook.running).toBe(false);
  });

  it('captures keys from the focused window when the hook is unavailable', async () => {
    const { focused, inputs } = setup({ available: false });
    const captured = inputs.captureBinding();
    focused.key(0x0029, true);
    await expect(captured).resolves.toEqual({ kind: 'key', code: 0x0029, label: '`' });
  });
});

describe('keycodes', () => {
  it('maps DOM key codes to the hook codes and labels them', () => {
    expect(uiohookKeyFromDomCode('KeyV')).toBe(V);
    expect(uiohookKeyFromDomCode('ControlRight')).toBe(0x0e1d);
    expect(uiohookKeyFromDomCode('toString')).toBeNull();
    expect(keyLabel(uiohookKeyFromDomCode('Digit7') ?? -1)).toBe('7');
    expect(keyLabel(uiohookKeyFromDomCode('ControlLeft') ?? -1)).toBe('Left Ctrl');
    expect(keyLabel(0xbeef)).toBe('Key 48879');
  });
});
