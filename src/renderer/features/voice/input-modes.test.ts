import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT_SETTINGS } from '../../../shared/ipc/settings.js';
import { DEFAULT_RELEASE_DELAY_MS, PushToTalkGate, listenForPushToTalkKeys } from './push-to-talk.js';
import { AUTO_MAX_THRESHOLD_DB, AUTO_MIN_THRESHOLD_DB, VoiceActivityGate, rmsDb } from './voice-activity.js';

describe('PushToTalkGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('transmits while held and stops after the release delay', () => {
    const changes: boolean[] = [];
    const gate = new PushToTalkGate((on) => changes.push(on), 300);
    gate.press();
    gate.press(); // auto-repeat
    expect(changes).toEqual([true]);
    gate.release();
    vi.advanceTimersByTime(299);
    expect(gate.transmitting).toBe(true);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([true, false]);
  });

  it('keeps transmitting without a gap when pressed again within the delay', () => {
    const changes: boolean[] = [];
    const gate = new PushToTalkGate((on) => changes.push(on), 200);
    gate.press();
    gate.release();
    vi.advanceTimersByTime(100);
    gate.press();
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([true]);
  });

  it('clamps the delay to 0–2000 ms; 0 stops at once; the default matches the settings', () => {
    expect(DEFAULT_RELEASE_DELAY_MS).toBe(DEFAULT_CLIENT_SETTINGS.voice.pushToTalkReleaseDelayMs);
    const gate = new PushToTalkGate(() => undefined, 5000);
    gate.press();
    gate.release();
    vi.advanceTimersByTime(1999);
    expect(gate.transmitting).toBe(true);
    vi.advanceTimersByTime(1);
    expect(gate.transmitting).toBe(false);
    gate.setReleaseDelay(-5);
    gate.press();
    gate.release();
    expect(gate.transmitting).toBe(false);
  });

  it('follows keydown/keyup of the bound key in a window and releases at once on blur', () => {
    const gate = new PushToTalkGate(() => undefined, 200);
    const stop = listenForPushToTalkKeys(window, (event) => event.code === 'KeyV', gate);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyB' }));
    expect(gate.transmitting).toBe(false);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyV' }));
    expect(gate.transmitting).toBe(true);
    window.dispatchEvent(new KeyboardEvent('keyup', { code: 'KeyV' }));
    vi.advanceTimersByTime(200);
    expect(gate.transmitting).toBe(false);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyV' }));
    window.dispatchEvent(new Event('blur'));
    expect(gate.transmitting).toBe(false);
    stop();
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyV' }));
    expect(gate.transmitting).toBe(false);
  });
});

describe('VoiceActivityGate', () => {
  it('measures RMS in dBFS', () => {
    expect(rmsDb(new Float32Array(128))).toBe(-100);
    expect(rmsDb(new Float32Array(128).fill(1))).toBeCloseTo(0);
    expect(rmsDb(new Float32Array(128).fill(0.1))).toBeCloseTo(-20);
  });

  it('opens above a fixed threshold and closes after the hangover', () => {
    const changes: boolean[] = [];
    const gate = new VoiceActivityGate((on) => changes.push(on), -40, 300);
    gate.feed(-60, 0);
    expect(gate.transmitting).toBe(false);
    gate.feed(-30, 20);
    expect(gate.transmitting).toBe(true);
    gate.feed(-60, 200);
    expect(gate.transmitting).toBe(true);
    gate.feed(-60, 320);
    expect(changes).toEqual([true, false]);
  });

  it('in automatic mode opens for speech well above the noise floor, not for the noise', () => {
    const gate = new VoiceActivityGate(() => undefined, 'auto', 300);
    let now = 0;
    for (let i = 0; i < 100; i++) gate.feed(-70 + (i % 3), (now += 20));
    expect(gate.transmitting).toBe(false);
    expect(gate.currentThresholdDb()).toBeGreaterThanOrEqual(AUTO_MIN_THRESHOLD_DB);
    expect(gate.currentThresholdDb()).toBeLessThanOrEqual(AUTO_MAX_THRESHOLD_DB);
    gate.feed(-30, (now += 20));
    expect(gate.transmitting).toBe(true);
    // Long speech does not lift the floor over itself.
    for (let i = 0; i < 200; i++) gate.feed(-30, (now += 20));
    expect(gate.transmitting).toBe(true);
    gate.reset();
    expect(gate.transmitting).toBe(false);
  });
});
