import { useState } from 'react';
import { describeError } from '../../app/errors.js';
import { useBridge } from '../../app/hooks.js';
import { useAppInfo } from './app-info.js';

/**
 * The desktop app's update news over the app. Once an update is downloaded and verified: which
 * version it is, "Restart" to install it now, or "Later" (nothing installs by itself; it waits
 * until the user restarts from here or from App Settings). When an update was refused (unsigned,
 * wrongly signed, changed, or older): why, until dismissed.
 */
export function UpdateBanner() {
  const bridge = useBridge();
  const info = useAppInfo();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const update = info?.update;
  if (update?.status === 'refused') {
    const key = `refused:${update.version ?? ''}:${update.reason}`;
    if (dismissed === key) return null;
    return (
      <div className="update-banner" role="alert">
        <span>{update.version ? `Hearth ${update.version}` : 'An update'} was not installed: {update.reason}</span>
        <button type="button" className="btn btn-small btn-secondary" onClick={() => setDismissed(key)}>Dismiss</button>
      </div>
    );
  }
  if (update?.status !== 'downloaded' || dismissed === update.version) return null;

  const restart = async () => {
    setError(null);
    const result = await bridge.installUpdate();
    if (!result.ok) setError(describeError(result.error));
  };
  return (
    <div className="update-banner" role="status">
      <span>Update ready — restart to install Hearth {update.version}.</span>
      <button type="button" className="btn btn-small" onClick={() => void restart()}>Restart</button>
      <button type="button" className="btn btn-small btn-secondary" onClick={() => setDismissed(update.version)}>Later</button>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
