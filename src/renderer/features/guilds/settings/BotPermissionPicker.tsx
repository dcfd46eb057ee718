import { useState } from 'react';
import { hasPermission, Permission } from '../../../../shared/permissions.js';
import { PERMISSION_GROUPS } from './permission-labels.js';

export interface Props {
  botName: string;
  /** What the current user holds in the guild: only these can be given to the bot. */
  granted: bigint;
  onAdd(permissions: bigint): Promise<string | null>;
  onCancel(): void;
}

/** What a chat bot usually needs, preselected where the user can grant it. */
const DEFAULT_BOT_PERMISSIONS = Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES | Permission.EMBED_LINKS | Permission.ATTACH_FILES
  | Permission.ADD_REACTIONS | Permission.READ_MESSAGE_HISTORY;

/** Picks the permissions of the bot's own role, then adds the bot to the guild. */
export function BotPermissionPicker({ botName, granted, onAdd, onCancel }: Props) {
  const [permissions, setPermissions] = useState(DEFAULT_BOT_PERMISSIONS & granted);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = (bit: bigint, on: boolean) => setPermissions((p) => (on ? p | bit : p & ~bit));
  const submit = async () => {
    setBusy(true);
    setError(await onAdd(permissions));
    setBusy(false);
  };
  return (
    <form className="bot-permissions" aria-label={`Permissions for ${botName}`} onSubmit={(event) => { event.preventDefault(); void submit(); }}>
      <p className="hint">
        {botName} gets a role of its own with these permissions. You can give only permissions you have.
      </p>
      {PERMISSION_GROUPS.map((group) => {
        const offered = group.permissions.filter(({ name }) => hasPermission(granted, Permission[name]));
        if (offered.length === 0) return null;
        return (
          <fieldset key={group.title} className="permission-group">
            <legend className="field-label">{group.title}</legend>
            {offered.map(({ name, label, hint }) => {
              const bit = Permission[name];
              return (
                <label key={name} className="switch-row">
                  <input type="checkbox" checked={hasPermission(permissions, bit)} onChange={(event) => toggle(bit, event.target.checked)} />
                  <span>{label}<span className="hint">{hint}</span></span>
                </label>
              );
            })}
          </fieldset>
        );
      })}
      {error && <div className="error-banner" role="alert">{error}</div>}
      <div className="settings-actions">
        <button type="submit" className="btn" disabled={busy}>Add to this server</button>
        <button type="button" className="btn btn-link" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
