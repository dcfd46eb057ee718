import { initialsOf } from './Avatar.js';

export interface Props {
  name: string;
  /** Image URL, or null for initials. */
  src: string | null;
  size?: number;
}

/** A guild's icon: its image, or its initials on the accent colour (decorative). */
export function GuildIcon({ name, src, size = 48 }: Props) {
  return (
    <span className="guild-icon" style={{ width: size, height: size }} aria-hidden="true">
      {src ? <img src={src} alt="" width={size} height={size} draggable={false} /> : <span className="guild-initials">{initialsOf(name)}</span>}
    </span>
  );
}
