import { useState } from 'react';
import type { UpdateState } from '../../../shared/ipc/bridge.js';
import type { ClientSettingsPatch } from '../../../shared/ipc/settings.js';
import { missingCase } from '../../../shared/protocol/gateway.js';
import { describeError, fieldErrors } from '../../app/errors.js';
import { useBridge, useClientState } from '../../app/hooks.js';
import { TextField } from '../../components/TextField.js';
import { useAppInfo } from './app-info.js';

/** The longest auto-idle delay the settings accept (12 hours). */
const MAX_IDLE_MINUTES = 720;

/** One line about the auto-update state; errors stay a quiet line, never a dialog. */
export function describeUpdate(update: UpdateState): string {
  switch (update.status) {
    case 'unsupported':
      return update.reason;
    case 'idle':
      return 'Hearth is up to date.';
    case 'checking':
      return 'Checking for updates…';
    case 'available':
      return `Downloading Hearth ${update.version}…`;
    case 'downloading':
      return `Downloading Hearth ${update.version}… ${Math.round(update.percent)}%`;
    case 'downloaded':
      return `Hearth ${update.version} is downloaded and its signature checked. It installs when you restart Hearth.`;
    case 'refused':
      return `${update.version ? `Hearth ${update.version} was` : 'An update was'} refused and will not be installed. ${update.reason}`;
    case 'error':
      return `Could not check for updates: ${update.message}`;
    default:
      return missingCase(update);
  }
}

/** Auto-idle (every client); close to tray, start on login and updates (desktop app). */
export function AppSettingsTab() {
  const info = useAppInfo();
  return (
    <section aria-labelledby="app-settings-title">
      <h3 id="app-settings-title" className="settings-title">App Settings</h3>
      <IdleField />
      {info?.platform === 'desktop' && <DesktopSection version={info.version} update={info.update} source={info.updateSource} />}
    </section>
  );
}

/** Saves a settings patch; the bridge's message (e.g. a field error) comes back for the form. */
function useSave(): (patch: ClientSettingsPatch) => Promise<string | null> {
  const bridge = useBridge();
  return async (patch) => {
    const result = await bridge.updateSettings(patch);
    return result.ok ? null : (Object.values(fieldErrors(result.error))[0] ?? describeError(result.error));
  };
}

function IdleField() {
  const save = useSave();
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

function DesktopSection({ version, update, source }: { version: string; update: UpdateState; source: string | null }) {
  const bridge = useBridge();
  const save = useSave();
  const desktop = useClientState((s) => s.settings.desktop);
  const [restartError, setRestartError] = useState<string | null>(null);
  const restart = async () => {
    const result = await bridge.installUpdate();
    setRestartError(result.ok ? null : describeError(result.error));
  };
  return (
    <>
      <label className="switch-row">
        <input type="checkbox" checked={desktop.closeToTray} onChange={(event) => void save({ desktop: { closeToTray: event.target.checked } })} />
        <span>Close to tray<span className="hint">Closing the window keeps Hearth running in the tray, connected and notifying.</span></span>
      </label>
      <label className="switch-row">
        <input type="checkbox" checked={desktop.startOnLogin} onChange={(event) => void save({ desktop: { startOnLogin: event.target.checked } })} />
        <span>Open Hearth when you sign in to your computer<span className="hint">It starts in the tray.</span></span>
      </label>
      <h4 className="field-label">Updates</h4>
      <p className={update.status === 'refused' ? 'field-error' : 'hint'} role="status">Version {version}. {describeUpdate(update)}</p>
      {update.status === 'downloaded' && (
        <button type="button" className="btn btn-small" onClick={() => void restart()}>Restart to install Hearth {update.version}</button>
      )}
      {restartError && <p className="field-error">{restartError}</p>}
      {source && (
        <p className="hint">
          Updates come from: {source}. Only updates signed with that key are installed. An administrator can name another
          https feed and its key in an <code>update-policy.json</code> file (see the Hearth documentation).
        </p>
      )}
    </>
  );
}
