import { useState } from 'react';
import { describeError } from '../../app/errors.js';
import { useBridge } from '../../app/hooks.js';
import { useAppInfo } from './app-info.js';

/**
 * "Update ready — restart": shown once the desktop app has downloaded an update, until the user
 * restarts or puts it off with "Later" (the update then installs when Hearth next quits).
 */
export function UpdateBanner() {
  const bridge = useBridge();
  const info = useAppInfo();
  const [laterFor, setLaterFor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const update = info?.update;
  if (update?.status !== 'downloaded' || laterFor === update.version) return null;

  const restart = async () => {
    setError(null);
    const result = await bridge.installUpdate();
    if (!result.ok) setError(describeError(result.error));
  };
  return (
    <div className="update-banner" role="status">
      <span>Update ready — restart to use Hearth {update.version}.</span>
      <button type="button" className="btn btn-small" onClick={() => void restart()}>Restart</button>
      <button type="button" className="btn btn-small btn-secondary" onClick={() => setLaterFor(update.version)}>Later</button>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
