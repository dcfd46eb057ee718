import type { ClientSettings, ClientSettingsPatch } from '../../../shared/ipc/settings.js';
import { InputLevelMeter } from './InputLevelMeter.js';
import { KeyBindingField } from './KeyBindingField.js';
import { MAX_RELEASE_DELAY_MS } from './push-to-talk.js';
import { SILENCE_DB } from './voice-activity.js';

export interface Props {
  voice: ClientSettings['voice'];
  update(patch: NonNullable<ClientSettingsPatch['voice']>): void;
}

/** Input mode: voice activity (sensitivity, automatic, live meter) or push-to-talk (shortcut, release delay). */
export function InputModeSection({ voice, update }: Props) {
  const automatic = voice.voiceActivityThresholdDb === 'auto';
  const threshold = automatic ? -50 : (voice.voiceActivityThresholdDb as number);
  return (
    <>
      <fieldset className="field">
        <legend className="field-label">Input Mode</legend>
        <label className="radio-card">
          <input type="radio" name="input-mode" checked={voice.inputMode === 'voice-activity'} onChange={() => update({ inputMode: 'voice-activity' })} />
          <span>Voice Activity</span>
        </label>
        <label className="radio-card">
          <input type="radio" name="input-mode" checked={voice.inputMode === 'push-to-talk'} onChange={() => update({ inputMode: 'push-to-talk' })} />
          <span>Push to Talk</span>
        </label>
      </fieldset>
      {voice.inputMode === 'push-to-talk' ? (
        <>
          <KeyBindingField binding={voice.pushToTalkBinding} onChange={(binding) => update({ pushToTalkBinding: binding })} />
          <div className="field">
            <label className="field-label" htmlFor="ptt-release-delay">Push to Talk Release Delay</label>
            <div className="slider-row">
              <input
                id="ptt-release-delay"
                type="range"
                min={0}
                max={MAX_RELEASE_DELAY_MS}
                step={20}
                value={voice.pushToTalkReleaseDelayMs}
                aria-valuetext={`${voice.pushToTalkReleaseDelayMs} ms`}
                onChange={(event) => update({ pushToTalkReleaseDelayMs: Number(event.target.value) })}
              />
              <output htmlFor="ptt-release-delay">{voice.pushToTalkReleaseDelayMs} ms</output>
            </div>
            <span className="hint">How long the microphone stays open after you let go, so the end of a word is not cut.</span>
          </div>
        </>
      ) : (
        <div className="field">
          <span className="field-label">Input Sensitivity</span>
          <label className="switch-row">
            <input
              type="checkbox"
              checked={automatic}
              onChange={(event) => update({ voiceActivityThresholdDb: event.target.checked ? 'auto' : threshold })}
            />
            <span>Automatically determine input sensitivity</span>
          </label>
          <div className="slider-row">
            <input
              type="range"
              aria-label="Sensitivity threshold"
              min={SILENCE_DB}
              max={0}
              step={1}
              value={threshold}
              disabled={automatic}
              aria-valuetext={`${threshold} dB`}
              onChange={(event) => update({ voiceActivityThresholdDb: Number(event.target.value) })}
            />
            <output>{automatic ? 'Auto' : `${threshold} dB`}</output>
          </div>
          <InputLevelMeter showThreshold />
          <span className="hint">The bar turns green when your voice is loud enough to be sent.</span>
        </div>
      )}
    </>
  );
}
