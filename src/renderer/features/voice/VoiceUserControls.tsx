import { useBridge, useClientState } from '../../app/hooks.js';
import { Icon, type IconName } from '../../components/Icon.js';

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
      <VoiceToggle label="Mute" offLabel="Unmute" on={selfMute} icons={['mic', 'mic-off']} onToggle={() => void bridge.setSelfMute(!selfMute)} />
      <VoiceToggle
        label="Deafen"
        offLabel="Undeafen"
        on={selfDeaf}
        icons={['headphones', 'headphones-off']}
        onToggle={() => void bridge.setSelfDeaf(!selfDeaf)}
      />
    </>
  );
}

interface ToggleProps {
  /** The accessible name; also the tooltip while off. */
  label: string;
  /** The tooltip while on (what a click does then). */
  offLabel: string;
  on: boolean;
  /** Icon while off, icon while on. */
  icons: [IconName, IconName];
  onToggle: () => void;
}

function VoiceToggle({ label, offLabel, on, icons, onToggle }: ToggleProps) {
  return (
    <button
      type="button"
      className={on ? 'icon-btn voice-toggle on' : 'icon-btn voice-toggle'}
      aria-label={label}
      aria-pressed={on}
      title={on ? offLabel : label}
      onClick={onToggle}
    >
      <Icon name={on ? icons[1] : icons[0]} size={20} />
    </button>
  );
}
