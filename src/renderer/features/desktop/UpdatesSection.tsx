import { useState } from 'react';
import type { UpdateState } from '../../../shared/ipc/bridge.js';
import { missingCase } from '../../../shared/missing-case.js';
import { describeError } from '../../app/errors.js';
import { useBridge } from '../../app/hooks.js';

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

export interface Props {
  version: string;
  update: UpdateState;
  /** Where updates come from and their signing key, in words. */
  source: string | null;
}

/** The desktop app's version and update state, where updates come from, and "Restart to install". */
export function UpdatesSection({ version, update, source }: Props) {
  const bridge = useBridge();
  const [restartError, setRestartError] = useState<string | null>(null);
  const restart = async () => {
    const result = await bridge.installUpdate();
    setRestartError(result.ok ? null : describeError(result.error));
  };
  return (
    <>
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
