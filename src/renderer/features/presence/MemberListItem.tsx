import type { Snowflake } from '../../../shared/snowflake.js';
import type { MemberListEntry } from '../../../client/state/selectors.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { avatarUrl, roleColor } from '../../app/format.js';
import { Avatar } from '../../components/Avatar.js';
import { STATUS_LABELS } from '../../components/PresenceDot.js';

export interface Props {
  guildId: Snowflake;
  entry: MemberListEntry;
}

/** A member: avatar with presence dot, name in role colour; click opens the profile pop-out. */
export function MemberListItem({ guildId, entry }: Props) {
  const { ui } = useServices();
  const serverUrl = useClientState((s) => s.serverUrl);
  const color = roleColor(entry.color);
  return (
    <button
      type="button"
      className={`member-item${entry.status === 'offline' ? ' offline' : ''}`}
      aria-label={`${entry.displayName}, ${STATUS_LABELS[entry.status]}`}
      data-status={entry.status}
      onClick={(event) => {
        const box = event.currentTarget.getBoundingClientRect();
        ui.update({ profile: { userId: entry.userId, guildId, x: box.left - 8, y: box.top } });
      }}
    >
      <Avatar src={avatarUrl(serverUrl, { id: entry.userId, avatar: entry.avatar })} name={entry.displayName} id={entry.userId} size={32} status={entry.status} />
      <span className="member-name" style={color ? { color } : undefined}>{entry.displayName}</span>
      {entry.bot && <span className="bot-tag">BOT</span>}
    </button>
  );
}
