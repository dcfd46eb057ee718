/**
 * How things are named and dated on screen, and where images live on the server (Discord's CDN
 * paths, served by the Hearth server itself).
 */
import type { GuildMember, User } from '../../shared/protocol/entities.js';

/** Nickname, else global display name, else username (Discord's order). */
export function displayName(user: Pick<User, 'username' | 'global_name'> | undefined, member?: Pick<GuildMember, 'nick'> | null): string {
  return member?.nick || user?.global_name || user?.username || 'Unknown user';
}

export function avatarUrl(serverUrl: string | null, user: Pick<User, 'id' | 'avatar'> | undefined): string | null {
  if (!serverUrl || !user?.avatar) return null;
  return `${serverUrl}/avatars/${user.id}/${user.avatar}.png`;
}

export function guildIconUrl(serverUrl: string | null, guild: { id: string; icon: string | null }): string | null {
  if (!serverUrl || !guild.icon) return null;
  return `${serverUrl}/icons/${guild.id}/${guild.icon}.png`;
}

/** CSS colour of a role colour integer (0 means "no colour"). */
export function roleColor(color: number): string | undefined {
  return color ? `#${color.toString(16).padStart(6, '0')}` : undefined;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today at 14:05", "Yesterday at 09:12", or "03/02/2026 14:05", as Discord shows message times. */
export function messageTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return `Today at ${timeFormat.format(date)}`;
  if (days === 1) return `Yesterday at ${timeFormat.format(date)}`;
  return `${shortDateFormat.format(date)} ${timeFormat.format(date)}`;
}

/** "14:05" for grouped messages. */
export function shortTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** "March 2, 2026" for date separators. */
export function dayLabel(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** The long form for a title attribute. */
export function fullTime(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** "1.5 MB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
