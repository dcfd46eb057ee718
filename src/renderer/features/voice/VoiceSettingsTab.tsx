import { useEffect, useState } from 'react';
import type { ClientSettingsPatch } from '../../../shared/ipc/settings.js';
import { useBridge, useClientState } from '../../app/hooks.js';
import { InputModeSection } from './InputModeSection.js';
import { useVoiceController } from './voice-context.js';

type VoicePatch = NonNullable<ClientSettingsPatch['voice']>;

/** Whether this browser can choose where WebAudio plays (`AudioContext.setSinkId`). */
function canChooseOutput(): boolean {
  return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
}

/** Devices, input mode and audio processing: the "Voice & Video" tab of user settings. */
export function VoiceSettingsTab() {
  const bridge = useBridge();
  const controller = useVoiceController();
  const voice = useClientState((s) => s.settings.voice);
  const [devices, setDevices] = useState<{ inputs: MediaDeviceInfo[]; outputs: MediaDeviceInfo[] }>({ inputs: [], outputs: [] });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!controller) return undefined;
    let live = true;
    const load = () => void controller.listDevices().then((found) => live && setDevices(found), () => undefined);
    load();
    // Plugging in a headset updates the lists.
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    media?.addEventListener?.('devicechange', load);
    return () => {
      live = false;
      media?.removeEventListener?.('devicechange', load);
    };
  }, [controller]);

  const update = (patch: VoicePatch) => {
    setError(null);
    void bridge.updateSettings({ voice: patch }).then((result) => {
      if (!result.ok) setError(result.error.message);
    });
  };
  const outputSupported = canChooseOutput();
  return (
    <section aria-labelledby="voice-settings-title">
      <h3 id="voice-settings-title" className="settings-title">Voice Settings</h3>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <div className="settings-columns">
        <div className="field">
          <label className="field-label" htmlFor="voice-input-device">Input Device</label>
          <select id="voice-input-device" className="input" value={voice.inputDeviceId ?? ''} onChange={(event) => update({ inputDeviceId: event.target.value || null })}>
            <option value="">Default</option>
            {devices.inputs.filter((d) => d.deviceId && d.deviceId !== 'default').map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>{device.label || `Microphone ${index + 1}`}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="voice-output-device">Output Device</label>
          <select
            id="voice-output-device"
            className="input"
            value={voice.outputDeviceId ?? ''}
            disabled={!outputSupported}
            onChange={(event) => update({ outputDeviceId: event.target.value || null })}
          >
            <option value="">Default</option>
            {devices.outputs.filter((d) => d.deviceId && d.deviceId !== 'default').map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>{device.label || `Speaker ${index + 1}`}</option>
            ))}
          </select>
          {!outputSupported && <span className="hint">This browser plays voice through the system’s default device.</span>}
        </div>
      </div>
      <InputModeSection voice={voice} update={update} />
      <fieldset className="field">
        <legend className="field-label">Voice Processing</legend>
        <label className="switch-row">
          <input type="checkbox" checked={voice.echoCancellation} onChange={(event) => update({ echoCancellation: event.target.checked })} />
          <span>Echo cancellation</span>
        </label>
        <label className="switch-row">
          <input type="checkbox" checked={voice.noiseSuppression} onChange={(event) => update({ noiseSuppression: event.target.checked })} />
          <span>Noise suppression</span>
        </label>
        <label className="switch-row">
          <input type="checkbox" checked={voice.automaticGainControl} onChange={(event) => update({ automaticGainControl: event.target.checked })} />
          <span>Automatic gain control</span>
        </label>
      </fieldset>
    </section>
  );
}
