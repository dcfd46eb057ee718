import { useMemo, useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import type { Role } from '../../../../shared/protocol/entities.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError, unwrap } from '../../../app/errors.js';
import { roleColor } from '../../../app/format.js';
import { Icon } from '../../../components/Icon.js';
import { ConfirmDialog } from '../../../components/ConfirmDialog.js';
import { RoleEditor } from './RoleEditor.js';

export interface Props {
  guildId: Snowflake;
}

/** Roles, highest first (@everyone last): create, edit, reorder, delete. */
export function RolesTab({ guildId }: Props) {
  const { bridge } = useServices();
  const roles = useClientState((s) => s.roles[guildId]);
  const [selectedId, setSelectedId] = useState<Snowflake | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const ordered = useMemo(
    () => Object.values(roles ?? {}).sort((a, b) => b.position - a.position || a.id.localeCompare(b.id)),
    [roles],
  );
  const selected = (selectedId && roles?.[selectedId]) || ordered[0];

  const create = async () => {
    const result = await bridge.createRole(guildId, { name: 'new role' });
    if (result.ok) setSelectedId(result.value.id);
    else setError(describeError(result.error));
  };
  const move = async (role: Role, step: -1 | 1) => {
    // Positions count up from @everyone (0); the list shows highest first, so "up" raises the position.
    const movable = ordered.filter((r) => r.id !== guildId).reverse();
    const index = movable.findIndex((r) => r.id === role.id);
    const target = index - step;
    if (index < 0 || target < 0 || target >= movable.length) return;
    const next = [...movable];
    [next[index], next[target]] = [next[target] as Role, next[index] as Role];
    const result = await bridge.reorderRoles(guildId, next.map((r, i) => ({ id: r.id, position: i + 1 })));
    setError(result.ok ? null : describeError(result.error));
  };

  return (
    <section aria-labelledby="roles-title" className="roles-tab">
      <h3 id="roles-title" className="settings-title">Roles</h3>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <div className="roles-layout">
        <div className="roles-sidebar">
          <button type="button" className="btn btn-small" onClick={() => void create()}><Icon name="plus" size={16} /> Create Role</button>
          <ul className="role-list" aria-label="Roles">
            {ordered.map((role) => (
              <li key={role.id} className={role.id === selected?.id ? 'role-list-item active' : 'role-list-item'}>
                <button type="button" className="role-select" aria-current={role.id === selected?.id ? 'true' : undefined} onClick={() => setSelectedId(role.id)}>
                  <span className="role-dot" style={{ background: roleColor(role.color) ?? 'var(--text-muted)' }} />
                  {role.id === guildId ? '@everyone' : role.name}
                </button>
                {role.id !== guildId && (
                  <span className="role-order">
                    <button type="button" className="icon-btn" aria-label={`Move ${role.name} up`} onClick={() => void move(role, -1)}><Icon name="arrowUp" size={14} /></button>
                    <button type="button" className="icon-btn" aria-label={`Move ${role.name} down`} onClick={() => void move(role, 1)}><Icon name="arrowDown" size={14} /></button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
        {selected && (
          <RoleEditor
            key={selected.id}
            role={selected}
            isEveryone={selected.id === guildId}
            onSave={async (input) => {
              const result = await bridge.updateRole(guildId, selected.id, input);
              return result.ok ? null : result.error;
            }}
            onDelete={() => setDeleting(selected)}
          />
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title="Delete Role"
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await unwrap(bridge.deleteRole(guildId, deleting.id));
            setSelectedId(null);
          }}
        >
          <p>Are you sure you want to delete the role <strong>{deleting.name}</strong>? Members lose it at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
