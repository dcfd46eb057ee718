import { useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError, fieldErrors, unwrap } from '../../../app/errors.js';
import { guildIconUrl } from '../../../app/format.js';
import { TextField } from '../../../components/TextField.js';
import { ImagePicker } from '../../../components/ImagePicker.js';
import { ConfirmDialog } from '../../../components/ConfirmDialog.js';

export interface Props {
  guildId: Snowflake;
}

/** Server name and icon; the owner may delete the server. */
export function OverviewTab({ guildId }: Props) {
  const { bridge, ui } = useServices();
  const guild = useClientState((s) => s.guilds[guildId]);
  const isOwner = useClientState((s) => s.guilds[guildId]?.owner_id === s.user?.id);
  const serverUrl = useClientState((s) => s.serverUrl);
  const [name, setName] = useState(guild?.name ?? '');
  const [icon, setIcon] = useState<string | null | undefined>(undefined);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!guild) return null;
  const dirty = name.trim() !== guild.name || icon !== undefined;

  const save = async () => {
    const result = await bridge.updateGuild(guildId, { name: name.trim(), ...(icon !== undefined ? { icon } : {}) });
    if (result.ok) {
      setErrors({});
      setIcon(undefined);
      setStatus('Saved.');
    } else {
      setErrors(fieldErrors(result.error));
      setStatus(result.error.errors ? null : describeError(result.error));
    }
  };

  return (
    <section aria-labelledby="overview-title">
      <h3 id="overview-title" className="settings-title">Server Overview</h3>
      <form onSubmit={(event) => { event.preventDefault(); void save(); }}>
        <ImagePicker label="Server icon" value={icon === undefined ? guildIconUrl(serverUrl, guild) : icon} onChange={setIcon} error={errors.icon} />
        <TextField label="Server name" value={name} maxLength={100} required error={errors.name} onChange={(event) => setName(event.target.value)} />
        <div className="settings-actions">
          <button type="submit" className="btn" disabled={!dirty || !name.trim()}>Save Changes</button>
          {dirty && <button type="button" className="btn btn-link" onClick={() => { setName(guild.name); setIcon(undefined); }}>Reset</button>}
          {status && <span className="hint" role="status">{status}</span>}
        </div>
      </form>
      {isOwner && (
        <>
          <hr className="settings-divider" />
          <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>Delete Server</button>
        </>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete '${guild.name}'`}
          confirmLabel="Delete Server"
          danger
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await unwrap(bridge.deleteGuild(guildId));
            ui.closeModal();
            ui.selectGuild(null);
          }}
        >
          <p>Are you sure you want to delete <strong>{guild.name}</strong>? This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
