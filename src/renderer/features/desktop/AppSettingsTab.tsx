import { useState } from 'react';
import type { AppInfo } from '../../../shared/ipc/bridge.js';
import { useClientState } from '../../app/hooks.js';
import { TextField } from '../../components/TextField.js';
import { useAppInfo } from './app-info.js';
import { useSaveSettings } from './save-settings.js';
import { UpdatesSection } from './UpdatesSection.js';
import { VoiceShortcutsSection } from './VoiceShortcutsSection.js';

/** The longest auto-idle delay the settings accept (12 hours). */
const MAX_IDLE_MINUTES = 720;

/** Auto-idle (every client); close to tray, start on login and updates (desktop app). */
export function AppSettingsTab() {
  const info = useAppInfo();
  return (
    <section aria-labelledby="app-settings-title">
      <h3 id="app-settings-title" className="settings-title">App Settings</h3>
      <IdleField />
      {info?.platform === 'desktop' && <DesktopSection info={info} />}
    </section>
  );
}

function IdleField() {
  const save = useSaveSettings();
  const minutes = useClientState((s) => s.settings.desktop.idleAfterMinutes);
  const [draft, setDraft] = useState(String(minutes));
  const [error, setError] = useState<string | null>(null);
  const commit = async () => {
    const value = Number(draft);
    if (draft.trim() === '' || !Number.isInteger(value) || value < 0 || value > MAX_IDLE_MINUTES) {
      setError(`Enter whole minutes from 0 to ${MAX_IDLE_MINUTES}`);
      return;
    }
    setError(value === minutes ? null : await save({ desktop: { idleAfterMinutes: value } }));
  };
  return (
    <TextField
      label="Set me as Idle after (minutes)"
      hint="Without keyboard or mouse activity. 0 turns it off. Do Not Disturb and Invisible are never changed."
      type="number"
      min={0}
      max={MAX_IDLE_MINUTES}
      value={draft}
      error={error}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={() => void commit()}
    />
  );
}

function DesktopSection({ info }: { info: AppInfo }) {
  const save = useSaveSettings();
  const desktop = useClientState((s) => s.settings.desktop);
  const shell = info.desktopShell ?? { tray: true, appImage: false, shortcutsTaken: [] };
  return (
    <>
      <label className="switch-row">
        <input type="checkbox" checked={desktop.closeToTray} onChange={(event) => void save({ desktop: { closeToTray: event.target.checked } })} />
        <span>
          Close to tray
          <span className="hint">
            {shell.tray
              ? 'Closing the window keeps Hearth running in the tray, connected and notifying.'
              : 'Your desktop shows no tray icons, so closing the window minimises Hearth to the taskbar instead of hiding it: it stays connected, in voice and notifying. Turn this off to quit Hearth when you close the window.'}
          </span>
        </span>
      </label>
      <label className="switch-row">
        <input type="checkbox" checked={desktop.startOnLogin} onChange={(event) => void save({ desktop: { startOnLogin: event.target.checked } })} />
        <span>Open Hearth when you sign in to your computer<span className="hint">{shell.tray ? 'It starts in the tray.' : 'It starts minimised.'}</span></span>
      </label>
      {shell.appImage && (
        <label className="switch-row">
          <input type="checkbox" checked={desktop.registerAppImage} onChange={(event) => void save({ desktop: { registerAppImage: event.target.checked } })} />
          <span>
            Show Hearth in the applications menu
            <span className="hint">Also what makes hearth:// invite links open this AppImage. Turning it off removes the menu entry and its icon.</span>
          </span>
        </label>
      )}
      <VoiceShortcutsSection taken={shell.shortcutsTaken} />
      <UpdatesSection version={info.version} update={info.update} source={info.updateSource} />
    </>
  );
}
