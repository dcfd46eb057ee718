import { useCallback, useEffect, useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import type { Invite } from '../../../../shared/protocol/entities.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError } from '../../../app/errors.js';
import { displayName } from '../../../app/format.js';
import { inviteLink } from '../InviteModal.js';

export interface Props {
  guildId: Snowflake;
}

function expiry(invite: Invite): string {
  if (!invite.expires_at) return 'Never';
  const ms = Date.parse(invite.expires_at) - Date.now();
  if (ms <= 0) return 'Expired';
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 24 ? `${Math.floor(hours / 24)} d` : hours > 0 ? `${hours} h` : `${Math.ceil(ms / 60_000)} min`;
}

/** Active invites with inviter, uses and expiry; copy a link or revoke. */
export function InvitesTab({ guildId }: Props) {
  const { bridge, ui } = useServices();
  const serverUrl = useClientState((s) => s.serverUrl);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await bridge.listInvites(guildId);
    if (result.ok) setInvites(result.value);
    else setError(describeError(result.error));
  }, [bridge, guildId]);
  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (code: string) => {
    const result = await bridge.deleteInvite(code);
    if (result.ok) setInvites((list) => list?.filter((i) => i.code !== code) ?? null);
    else setError(describeError(result.error));
  };

  return (
    <section aria-labelledby="invites-title">
      <h3 id="invites-title" className="settings-title">Invites</h3>
      {error && <div className="error-banner" role="alert">{error}</div>}
      {invites === null ? (
        <p className="hint" aria-busy="true">Loading invites…</p>
      ) : invites.length === 0 ? (
        <p className="hint">No active invites. Create one from the server menu with “Invite People”.</p>
      ) : (
        <table className="settings-table">
          <thead>
            <tr><th>Inviter</th><th>Code</th><th>Uses</th><th>Expires</th><th><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {invites.map((invite) => (
              <tr key={invite.code}>
                <td>{displayName(invite.inviter)}</td>
                <td><code>{invite.code}</code></td>
                <td>{invite.uses ?? 0}{invite.max_uses ? ` / ${invite.max_uses}` : ''}</td>
                <td>{expiry(invite)}</td>
                <td className="row-actions">
                  <button type="button" className="btn btn-link" aria-label={`Copy link ${invite.code}`} onClick={() => void navigator.clipboard.writeText(inviteLink(serverUrl, invite.code))}>Copy</button>
                  <button type="button" className="btn btn-link danger" aria-label={`Revoke invite ${invite.code}`} onClick={() => void revoke(invite.code)}>Revoke</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="btn btn-secondary" onClick={() => {
        const channelId = ui.getState().channelByGuild[guildId];
        if (channelId) ui.openModal({ type: 'invite', guildId, channelId });
      }}>Create Invite</button>
    </section>
  );
}
