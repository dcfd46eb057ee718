import { missingCase } from '../../shared/missing-case.js';
import { useEffect, useState } from 'react';
import { useClientState } from './hooks.js';

/** Seconds until `at`, never negative. */
function secondsUntil(at: number | null): number {
  return at ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 0;
}

/** A banner over everything while the gateway is not ready: connecting, resuming, waiting to retry, failed. */
export function ConnectionBanner() {
  const connection = useClientState((s) => s.connection);
  const [, tick] = useState(0);
  useEffect(() => {
    if (connection.status !== 'reconnecting' || !connection.retryAt) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [connection.status, connection.retryAt]);

  let text: string | null;
  switch (connection.status) {
    case 'ready':
    case 'idle':
      text = null;
      break;
    case 'connecting':
    case 'identifying':
      text = 'Connecting…';
      break;
    case 'resuming':
      text = 'Reconnecting… Catching up on what you missed.';
      break;
    case 'reconnecting': {
      const wait = secondsUntil(connection.retryAt);
      text = `Connection lost. ${wait > 0 ? `Retrying in ${wait} s…` : 'Reconnecting…'} Messages you send will be delivered when it is back.`;
      break;
    }
    case 'failed':
      text = `Disconnected from the server${connection.reason ? `: ${connection.reason}` : ''}. Sign in again to continue.`;
      break;
    default:
      text = missingCase(connection.status);
  }
  if (!text) return null;
  return (
    <div className={`connection-banner ${connection.status}`} role="status" aria-live="polite">
      {text}
    </div>
  );
}
