import { useState } from 'react';
import type { BridgeError, RoleInput } from '../../../../shared/ipc/bridge.js';
import type { Role } from '../../../../shared/protocol/entities.js';
import { Permission, parsePermissions } from '../../../../shared/permissions.js';
import { describeError, fieldErrors } from '../../../app/errors.js';
import { TextField } from '../../../components/TextField.js';
import { PERMISSION_GROUPS } from './permission-labels.js';

export interface Props {
  role: Role;
  isEveryone: boolean;
  onSave(input: RoleInput): Promise<BridgeError | null>;
  onDelete(): void;
}

/** Discord's role colour presets. */
const PRESETS = [0x1abc9c, 0x2ecc71, 0x3498db, 0x9b59b6, 0xe91e63, 0xf1c40f, 0xe67e22, 0xe74c3c, 0x95a5a6, 0x607d8b];

function hex(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

/** Name, colour, hoist, mentionable and permission switches of one role. */
export function RoleEditor({ role, isEveryone, onSave, onDelete }: Props) {
  const [name, setName] = useState(role.name);
  const [color, setColor] = useState(role.color);
  const [hoist, setHoist] = useState(role.hoist);
  const [mentionable, setMentionable] = useState(role.mentionable);
  const [permissions, setPermissions] = useState(parsePermissions(role.permissions) ?? 0n);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);

  const save = async () => {
    const input: RoleInput = isEveryone
      ? { permissions: permissions.toString() }
      : { name: name.trim(), color, hoist, mentionable, permissions: permissions.toString() };
    const error = await onSave(input);
    setErrors(fieldErrors(error));
    setStatus(error ? (error.errors ? null : describeError(error)) : 'Saved.');
  };
  const toggle = (bit: bigint, on: boolean) => setPermissions((p) => (on ? p | bit : p & ~bit));

  return (
    <form className="role-editor" onSubmit={(event) => { event.preventDefault(); void save(); }} aria-label={`Edit role ${isEveryone ? '@everyone' : role.name}`}>
      {!isEveryone && (
        <>
          <TextField label="Role name" value={name} maxLength={100} required error={errors.name} onChange={(event) => setName(event.target.value)} />
          <fieldset className="field">
            <legend className="field-label">Role colour</legend>
            <div className="color-row">
              <button type="button" className={`color-swatch none${color === 0 ? ' active' : ''}`} aria-label="Default colour" aria-pressed={color === 0} onClick={() => setColor(0)} />
              {PRESETS.map((preset) => (
                <button key={preset} type="button" className={`color-swatch${color === preset ? ' active' : ''}`} style={{ background: hex(preset) }}
                  aria-label={`Colour ${hex(preset)}`} aria-pressed={color === preset} onClick={() => setColor(preset)} />
              ))}
              <input type="color" aria-label="Custom colour" value={hex(color || 0x99aab5)} onChange={(event) => setColor(parseInt(event.target.value.slice(1), 16))} />
            </div>
          </fieldset>
          <label className="switch-row">
            <input type="checkbox" checked={hoist} onChange={(event) => setHoist(event.target.checked)} />
            <span>Display role members separately from online members</span>
          </label>
          <label className="switch-row">
            <input type="checkbox" checked={mentionable} onChange={(event) => setMentionable(event.target.checked)} />
            <span>Allow anyone to @mention this role</span>
          </label>
        </>
      )}
      {PERMISSION_GROUPS.map((group) => (
        <fieldset key={group.title} className="permission-group">
          <legend className="field-label">{group.title}</legend>
          {group.permissions.map(({ name: permission, label, hint }) => {
            const bit = Permission[permission];
            return (
              <label key={permission} className="switch-row">
                <input type="checkbox" checked={(permissions & bit) === bit} onChange={(event) => toggle(bit, event.target.checked)} />
                <span>{label}<span className="hint">{hint}</span></span>
              </label>
            );
          })}
        </fieldset>
      ))}
      <div className="settings-actions sticky">
        <button type="submit" className="btn">Save Changes</button>
        {!isEveryone && <button type="button" className="btn btn-danger" onClick={onDelete}>Delete Role</button>}
        {status && <span className="hint" role="status">{status}</span>}
      </div>
    </form>
  );
}
