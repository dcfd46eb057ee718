import { useCallback, useEffect, useState } from 'react';
import type { AuthSession } from '../../../shared/protocol/rest.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { messageTime } from '../../app/format.js';

/** "Hearth Desktop on Windows", "Firefox", or "Unknown device". */
export function deviceName(session: AuthSession): string {
  const { platform, os } = session.client_info;
  if (platform && os) return `${platform} on ${os}`;
  return platform ?? os ?? 'Unknown device';
}

/** Every device signed in to this account: this one marked, the others each signed out alone or all together. */
export function DevicesTab() {
  const { bridge } = useServices();
  const current = useClientState((s) => s.authSessionId);
  const [sessions, setSessions] = useState<AuthSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await bridge.listSessions();
    if (result.ok) setSessions(result.value);
    else setError(describeError(result.error));
  }, [bridge]);
  useEffect(() => {
    void load();
  }, [load]);

  const logOut = async (idHashes: string[]) => {
    setBusy(true);
    setError(null);
    const result = await bridge.logoutSessions(idHashes);
    if (result.ok) await load();
    else setError(describeError(result.error));
    setBusy(false);
  };

  const others = sessions?.filter((session) => session.id_hash !== current) ?? [];
  const ordered = [...(sessions ?? [])].sort((a, b) => Number(b.id_hash === current) - Number(a.id_hash === current));
  return (
    <section aria-labelledby="devices-title">
      <h3 id="devices-title" className="settings-title">Devices</h3>
      <p className="hint">Everywhere this account is signed in. Log out of any device you do not recognise.</p>
      {error && <div className="error-banner" role="alert">{error}</div>}
      {sessions === null ? (
        !error && <p className="hint" aria-busy="true">Loading devices…</p>
      ) : (
        <ul className="settings-member-list" aria-label="Signed-in devices">
          {ordered.map((session) => {
            const isCurrent = session.id_hash === current;
            const name = deviceName(session);
            return (
              <li key={session.id_hash} className="settings-member">
                <div className="settings-member-name">
                  <div>{name}{isCurrent && <span className="hint"> · This device</span>}</div>
                  <div className="hint">
                    Last active {messageTime(session.approx_last_used_time)} · Signed in {messageTime(session.created_at)}
                  </div>
                </div>
                {!isCurrent && (
                  <button type="button" className="btn btn-secondary btn-small" disabled={busy} aria-label={`Log out ${name}`} onClick={() => void logOut([session.id_hash])}>
                    Log out
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {others.length > 0 && (
        <div className="settings-actions">
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void logOut(others.map((session) => session.id_hash))}>
            Log out all other sessions
          </button>
        </div>
      )}
    </section>
  );
}
