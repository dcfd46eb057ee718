import type { Status } from '../../shared/protocol/entities.js';
import { PresenceDot } from './PresenceDot.js';

export interface Props {
  /** Full URL of the image, or null to show initials on a colour derived from the ID. */
  src: string | null;
  name: string;
  /** Used to pick a stable colour for the initials. */
  id: string;
  size?: number;
  /** Shows a presence dot in the corner. */
  status?: Status;
}

const COLORS = ['#5865f2', '#3ba55c', '#faa61a', '#ed4245', '#eb459e', '#747f8d', '#1abc9c', '#e67e22'];

/** A stable colour per ID (the last digits of a snowflake vary the most). */
export function colorFor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return COLORS[hash % COLORS.length] ?? '#5865f2';
}

/** Up to three initials from a name ("Hearth Dev Team" → "HDT"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words.slice(0, 3).map((word) => [...word][0] ?? '').join('').toUpperCase() || '?';
}

/** A round user avatar with an optional presence dot. Decorative: the name is shown beside it. */
export function Avatar({ src, name, id, size = 40, status }: Props) {
  return (
    <span className="avatar" style={{ width: size, height: size }} aria-hidden="true">
      {src ? (
        <img src={src} alt="" width={size} height={size} draggable={false} />
      ) : (
        <span className="avatar-fallback" style={{ background: colorFor(id), fontSize: Math.round(size * 0.4) }}>
          {initialsOf(name).slice(0, 2)}
        </span>
      )}
      {status && <PresenceDot status={status} size={Math.max(10, Math.round(size * 0.3))} />}
    </span>
  );
}
