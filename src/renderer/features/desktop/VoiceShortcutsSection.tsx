import { useState, type KeyboardEvent } from 'react';
import { acceleratorFromKeyPress, shortcutLabel } from '../../../shared/accelerator.js';
import { useClientState } from '../../app/hooks.js';
import { useSaveSettings } from './save-settings.js';

export interface Props {
  /** Shortcuts another application owns (the desktop app could not register them). */
  taken: readonly string[];
}

/**
 * Optional system-wide mute and deafen shortcuts. Off by default: a global shortcut takes its
 * keys from every other application, so the user picks them, and the app holds them only while
 * in a voice channel.
 */
export function VoiceShortcutsSection({ taken }: Props) {
  const desktop = useClientState((s) => s.settings.desktop);
  return (
    <>
      <h4 className="field-label">Voice shortcuts in other apps</h4>
      <p className="hint">
        Ctrl+Shift+M (mute) and Ctrl+Shift+D (deafen) work while Hearth is focused. A shortcut set here also works in every other
        application while you are in a voice channel; they cannot use it meanwhile.
      </p>
      <ShortcutField label="Toggle mute" field="globalMuteShortcut" current={desktop.globalMuteShortcut} taken={taken} />
      <ShortcutField label="Toggle deafen" field="globalDeafenShortcut" current={desktop.globalDeafenShortcut} taken={taken} />
    </>
  );
}

interface FieldProps {
  label: string;
  field: 'globalMuteShortcut' | 'globalDeafenShortcut';
  current: string | null;
  taken: readonly string[];
}

/** Shows a shortcut; "Set shortcut" records the next key combination pressed, Escape cancels. */
function ShortcutField({ label, field, current, taken }: FieldProps) {
  const save = useSaveSettings();
  const [recording, setRecording] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `shortcut-${field}`;
  const onKeyDown = async (event: KeyboardEvent<HTMLButtonElement>) => {
    if (!recording) return;
    event.preventDefault();
    if (event.key === 'Escape') {
      setRecording(false);
      return;
    }
    const accelerator = acceleratorFromKeyPress(event);
    if (!accelerator) {
      // A lone modifier is the start of a combination: keep listening.
      if (!['Control', 'Alt', 'Shift', 'Meta'].includes(event.key)) setError('Use a letter, digit or function key with Ctrl, Alt, Shift or Meta (or F13–F24 alone).');
      return;
    }
    setRecording(false);
    setError(await save({ desktop: { [field]: accelerator } }));
  };
  const problem = current && taken.includes(current) ? `${shortcutLabel(current)} is taken by another application, so it does nothing.` : null;
  return (
    <div className="field">
      <span className="field-label" id={id}>{label}</span>
      <span className="hint">{current ? shortcutLabel(current) : 'None'}</span>
      <button
        type="button"
        className="btn btn-small"
        aria-describedby={id}
        onClick={() => {
          setError(null);
          setRecording(true);
        }}
        onKeyDown={(event) => void onKeyDown(event)}
        onBlur={() => setRecording(false)}
      >
        {recording ? 'Press the shortcut…' : `Set ${label.toLowerCase()} shortcut`}
      </button>
      {current && (
        <button type="button" className="btn btn-small btn-secondary" onClick={() => void save({ desktop: { [field]: null } }).then(setError)}>
          Remove
        </button>
      )}
      {(error ?? problem) && <p className="field-error">{error ?? problem}</p>}
    </div>
  );
}
