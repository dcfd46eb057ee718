import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ClientSettings } from '../../../shared/ipc/settings.js';
import type { ClientState } from '../../../shared/ipc/state.js';
import { readyState } from '../../test-support/harness.js';
import { renderWithVoice } from './test-support.js';
import { VoiceSettingsTab } from './VoiceSettingsTab.js';

afterEach(cleanup);

function withVoice(voice: Partial<ClientSettings['voice']>): ClientState {
  const state = readyState();
  return { ...state, settings: { ...state.settings, voice: { ...state.settings.voice, ...voice } } };
}

function lastSettingsPatch(fake: { callsOf(method: string): unknown[][] }): unknown {
  return fake.callsOf('updateSettings').at(-1)?.[0];
}

describe('VoiceSettingsTab', () => {
  it('lists input and output devices and saves the chosen ones', async () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, readyState());
    const input = screen.getByLabelText('Input Device');
    await waitFor(() => expect(screen.getByRole('option', { name: 'USB Microphone' })).toBeTruthy());
    expect([...(input as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Default', 'USB Microphone']);

    fireEvent.change(input, { target: { value: 'mic-usb' } });
    expect(lastSettingsPatch(fake)).toEqual({ voice: { inputDeviceId: 'mic-usb' } });
    fireEvent.change(input, { target: { value: '' } });
    expect(lastSettingsPatch(fake)).toEqual({ voice: { inputDeviceId: null } });

    // jsdom has no AudioContext.setSinkId: the output list says why it cannot be chosen.
    expect((screen.getByLabelText('Output Device') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByText('This browser plays voice through the system’s default device.')).toBeTruthy();
  });

  it('switches the input mode and sets voice activity sensitivity, automatic or by hand', () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, readyState());
    const automatic = screen.getByRole('checkbox', { name: 'Automatically determine input sensitivity' });
    const slider = screen.getByRole('slider', { name: 'Sensitivity threshold' }) as HTMLInputElement;
    expect((automatic as HTMLInputElement).checked).toBe(true);
    expect(slider.disabled).toBe(true);
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeTruthy();

    fireEvent.click(automatic);
    expect(lastSettingsPatch(fake)).toEqual({ voice: { voiceActivityThresholdDb: -50 } });

    fireEvent.click(screen.getByRole('radio', { name: 'Push to Talk' }));
    expect(lastSettingsPatch(fake)).toEqual({ voice: { inputMode: 'push-to-talk' } });
  });

  it('moves the sensitivity slider from −100 to 0 dB when set by hand', () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, withVoice({ voiceActivityThresholdDb: -40 }));
    const slider = screen.getByRole('slider', { name: 'Sensitivity threshold' }) as HTMLInputElement;
    expect([slider.min, slider.max, slider.value, slider.disabled]).toEqual(['-100', '0', '-40', false]);
    expect(screen.getByText('-40 dB')).toBeTruthy();
    fireEvent.change(slider, { target: { value: '-62' } });
    expect(lastSettingsPatch(fake)).toEqual({ voice: { voiceActivityThresholdDb: -62 } });
  });

  it('records a push-to-talk key pressed in the page and sets the release delay', async () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, withVoice({ inputMode: 'push-to-talk' }));
    expect(screen.getByText('Not set')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Record shortcut' }));
    await screen.findByRole('button', { name: 'Press a key… (Esc cancels)' });
    fireEvent.keyDown(window, { code: 'F8', key: 'F8' });
    await waitFor(() => expect(lastSettingsPatch(fake)).toEqual({ voice: { pushToTalkBinding: { kind: 'key', code: 0x0042, label: 'F8' } } }));

    const delay = screen.getByLabelText('Push to Talk Release Delay') as HTMLInputElement;
    expect([delay.min, delay.max, delay.value]).toEqual(['0', '2000', '200']);
    fireEvent.change(delay, { target: { value: '500' } });
    expect(lastSettingsPatch(fake)).toEqual({ voice: { pushToTalkReleaseDelayMs: 500 } });
  });

  it('cancels recording with Escape and keeps the binding', async () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, withVoice({ inputMode: 'push-to-talk', pushToTalkBinding: { kind: 'key', code: 0x002f, label: 'V' } }));
    expect(screen.getByText('V')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Change shortcut' }));
    fireEvent.keyDown(window, { code: 'Escape', key: 'Escape' });
    await screen.findByRole('button', { name: 'Change shortcut' });
    expect(fake.callsOf('updateSettings')).toEqual([]);
  });

  it('captures the binding through the desktop’s global hook when it is available', async () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, withVoice({ inputMode: 'push-to-talk' }), {
      getAppInfo: { ok: true, value: { platform: 'desktop', version: '1.0.0', globalPushToTalk: { available: true }, update: { status: 'idle' } } },
      capturePushToTalkBinding: { ok: true, value: { kind: 'mouse', code: 4, label: 'Mouse 4' } },
    });
    await screen.findByText('Works in any application.');
    fireEvent.click(screen.getByRole('button', { name: 'Record shortcut' }));
    await waitFor(() => expect(lastSettingsPatch(fake)).toEqual({ voice: { pushToTalkBinding: { kind: 'mouse', code: 4, label: 'Mouse 4' } } }));
    expect(fake.callsOf('capturePushToTalkBinding')).toEqual([[]]);
  });

  it('says why push-to-talk only works while focused when the desktop hook is unavailable', async () => {
    renderWithVoice(<VoiceSettingsTab />, withVoice({ inputMode: 'push-to-talk' }), {
      getAppInfo: { ok: true, value: { platform: 'desktop', version: '1.0.0', globalPushToTalk: { available: false, reason: 'Wayland without an X server.' }, update: { status: 'idle' } } },
    });
    expect(await screen.findByText('Works while Hearth is focused: Wayland without an X server.')).toBeTruthy();
  });

  it('switches echo cancellation, noise suppression and automatic gain control', () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, readyState());
    for (const [name, key] of [['Echo cancellation', 'echoCancellation'], ['Noise suppression', 'noiseSuppression'], ['Automatic gain control', 'automaticGainControl']] as const) {
      const box = screen.getByRole('checkbox', { name }) as HTMLInputElement;
      expect(box.checked).toBe(true);
      fireEvent.click(box);
      expect(lastSettingsPatch(fake)).toEqual({ voice: { [key]: false } });
    }
  });

  it('shows a refused settings change', async () => {
    const { fake } = renderWithVoice(<VoiceSettingsTab />, readyState());
    fake.answers.set('updateSettings', { ok: false, error: { code: 50035, message: 'Invalid Form Body' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Noise suppression' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid Form Body');
  });
});
