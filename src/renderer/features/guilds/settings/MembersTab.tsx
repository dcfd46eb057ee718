import { useEffect, useMemo, useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import { hasPermission, Permission } from '../../../../shared/permissions.js';
import { selectDisplayName, selectGuildPermissions } from '../../../../client/state/selectors.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError, unwrap } from '../../../app/errors.js';
import { avatarUrl } from '../../../app/format.js';
import { Avatar } from '../../../components/Avatar.js';
import { ConfirmDialog } from '../../../components/ConfirmDialog.js';

export interface Props {
  guildId: Snowflake;
}

/** Every member with their roles (toggle with Manage Roles) and Kick (with Kick Members). */
export function MembersTab({ guildId }: Props) {
  const { bridge, store } = useServices();
  const members = useClientState((s) => s.members[guildId]);
  const users = useClientState((s) => s.users);
  const roles = useClientState((s) => s.roles[guildId]);
  const guild = useClientState((s) => s.guilds[guildId]);
  const meId = useClientState((s) => s.user?.id);
  const serverUrl = useClientState((s) => s.serverUrl);
  const granted = useClientState((s) => selectGuildPermissions(s, guildId));
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [kicking, setKicking] = useState<{ id: Snowflake; name: string } | null>(null);

  useEffect(() => {
    void bridge.loadMembers(guildId);
  }, [bridge, guildId]);

  const assignable = useMemo(() => Object.values(roles ?? {}).filter((r) => r.id !== guildId).sort((a, b) => b.position - a.position), [roles, guildId]);
  const rows = useMemo(() => {
    const state = store.getState();
    if (!state) return [];
    return Object.keys(members ?? {})
      .map((id) => ({ id, name: selectDisplayName(state, guildId, id) }))
      .filter((row) => row.name.toLowerCase().includes(filter.toLowerCase()) || users[row.id]?.username.includes(filter.toLowerCase()))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [store, members, users, guildId, filter]);
  const canRoles = hasPermission(granted, Permission.MANAGE_ROLES);
  const canKick = hasPermission(granted, Permission.KICK_MEMBERS);

  // Shown at once while the change travels; dropped when the member update arrives (or fails).
  const [pendingRoles, setPendingRoles] = useState<Record<Snowflake, Snowflake[]>>({});
  useEffect(() => {
    setPendingRoles((pending) => {
      const settled = Object.keys(pending).filter((id) => sameSet(pending[id] ?? [], members?.[id]?.roles ?? []));
      if (settled.length === 0) return pending;
      const next = { ...pending };
      for (const id of settled) delete next[id];
      return next;
    });
  }, [members]);
  const rolesOf = (userId: Snowflake) => pendingRoles[userId] ?? members?.[userId]?.roles ?? [];

  const toggleRole = async (userId: Snowflake, roleId: Snowflake, on: boolean) => {
    const current = rolesOf(userId);
    const next = on ? [...new Set([...current, roleId])] : current.filter((id) => id !== roleId);
    setPendingRoles((pending) => ({ ...pending, [userId]: next }));
    const result = await bridge.updateMember(guildId, userId, { roles: next });
    if (!result.ok) {
      setPendingRoles((pending) => {
        const { [userId]: _dropped, ...rest } = pending;
        return rest;
      });
    }
    setError(result.ok ? null : describeError(result.error));
  };

  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title" className="settings-title">Members — {Object.keys(members ?? {}).length}</h3>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <input className="input" aria-label="Search members" placeholder="Search members" value={filter} onChange={(event) => setFilter(event.target.value)} />
      <ul className="settings-member-list">
        {rows.map(({ id, name }) => (
          <li key={id} className="settings-member">
            <Avatar src={avatarUrl(serverUrl, users[id])} name={name} id={id} size={32} />
            <span className="settings-member-name">{name}<span className="hint"> {users[id]?.username}</span></span>
            {canRoles && assignable.length > 0 && (
              <details className="member-roles">
                <summary aria-label={`Roles of ${name}`}>Roles ({rolesOf(id).length})</summary>
                <div className="member-roles-menu">
                  {assignable.map((role) => (
                    <label key={role.id} className="switch-row">
                      <input type="checkbox" checked={rolesOf(id).includes(role.id)} onChange={(event) => void toggleRole(id, role.id, event.target.checked)} />
                      <span>{role.name}</span>
                    </label>
                  ))}
                </div>
              </details>
            )}
            {canKick && id !== meId && id !== guild?.owner_id && (
              <button type="button" className="btn btn-link danger" aria-label={`Kick ${name}`} onClick={() => setKicking({ id, name })}>Kick</button>
            )}
          </li>
        ))}
      </ul>
      {kicking && (
        <ConfirmDialog title={`Kick '${kicking.name}' from Server`} confirmLabel="Kick" danger onClose={() => setKicking(null)} onConfirm={() => unwrap(bridge.kickMember(guildId, kicking.id))}>
          <p>Are you sure you want to kick <strong>{kicking.name}</strong> from the server? They can rejoin with a new invite.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
