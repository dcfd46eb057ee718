import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Role } from '../../../shared/protocol/entities.js';
import { selectDisplayName, selectStatus } from '../../../client/state/selectors.js';
import { useClientState, useServices } from '../../app/hooks.js';
import type { ProfileTarget } from '../../app/ui-store.js';
import { avatarUrl, roleColor } from '../../app/format.js';
import { Avatar, colorFor } from '../../components/Avatar.js';
import { STATUS_LABELS } from '../../components/PresenceDot.js';

export interface Props {
  target: ProfileTarget;
}

/** A user's card: avatar, names, status, member-since and roles; Esc or an outside click closes. */
export function ProfilePopout({ target }: Props) {
  const { ui, store } = useServices();
  const user = useClientState((s) => s.users[target.userId]);
  const member = useClientState((s) => (target.guildId ? s.members[target.guildId]?.[target.userId] : undefined));
  const guildRoles = useClientState((s) => (target.guildId ? s.roles[target.guildId] : undefined));
  const status = useClientState((s) => selectStatus(s, target.userId));
  const serverUrl = useClientState((s) => s.serverUrl);
  const card = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: target.x, top: target.y });

  useLayoutEffect(() => {
    const box = card.current?.getBoundingClientRect();
    if (!box) return;
    const left = target.x + box.width > window.innerWidth - 8 ? Math.max(8, target.x - box.width - 16) : target.x;
    const top = Math.max(8, Math.min(target.y, window.innerHeight - box.height - 8));
    setPosition({ left, top });
  }, [target]);

  useEffect(() => {
    card.current?.focus();
    const onPointer = (event: MouseEvent) => {
      if (!card.current?.contains(event.target as Node)) ui.update({ profile: null });
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [ui]);

  const roles = useMemo(
    () => (member?.roles ?? []).map((id) => guildRoles?.[id]).filter((r): r is Role => !!r).sort((a, b) => b.position - a.position),
    [member, guildRoles],
  );
  if (!user) return null;
  const state = store.getState();
  const name = state ? selectDisplayName(state, target.guildId, user.id) : user.username;

  return (
    <div
      ref={card}
      className="profile-popout"
      role="dialog"
      aria-label={`Profile of ${name}`}
      tabIndex={-1}
      style={position}
      onKeyDown={(event) => event.key === 'Escape' && ui.update({ profile: null })}
    >
      <div className="profile-banner" style={{ background: colorFor(user.id) }} />
      <div className="profile-avatar"><Avatar src={avatarUrl(serverUrl, user)} name={name} id={user.id} size={80} status={status} /></div>
      <div className="profile-body">
        <h2 className="profile-name">{name}</h2>
        <p className="profile-username">{user.username}{user.bot ? ' · BOT' : ''}</p>
        <p className="profile-status">{STATUS_LABELS[status]}</p>
        {member && (
          <section>
            <h3 className="profile-section-title">Member Since</h3>
            <p>{new Date(member.joined_at).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}</p>
          </section>
        )}
        {roles.length > 0 && (
          <section>
            <h3 className="profile-section-title">Roles</h3>
            <ul className="profile-roles">
              {roles.map((role) => (
                <li key={role.id} className="role-pill">
                  <span className="role-dot" style={{ background: roleColor(role.color) ?? 'var(--text-muted)' }} />
                  {role.name}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}
