import { useBridge, useClientState } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';

/**
 * Mute and Deafen in the user panel. They follow the client state, so the desktop's global
 * mute/deafen shortcuts show here too; deafening also mutes, undeafening restores the mute.
 */
export function VoiceUserControls() {
  const bridge = useBridge();
  const selfMute = useClientState((s) => s.selfVoice.selfMute);
  const selfDeaf = useClientState((s) => s.selfVoice.selfDeaf);
  return (
    <>
      <button
        type="button"
        className={selfMute ? 'icon-btn voice-toggle on' : 'icon-btn voice-toggle'}
        aria-label="Mute"
        aria-pressed={selfMute}
        title={selfMute ? 'Unmute' : 'Mute'}
        onClick={() => void bridge.setSelfMute(!selfMute)}
      >
        <Icon name={selfMute ? 'mic-off' : 'mic'} size={20} />
      </button>
      <button
        type="button"
        className={selfDeaf ? 'icon-btn voice-toggle on' : 'icon-btn voice-toggle'}
        aria-label="Deafen"
        aria-pressed={selfDeaf}
        title={selfDeaf ? 'Undeafen' : 'Deafen'}
        onClick={() => void bridge.setSelfDeaf(!selfDeaf)}
      >
        <Icon name={selfDeaf ? 'headphones-off' : 'headphones'} size={20} />
      </button>
    </>
  );
}
