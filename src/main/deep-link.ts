/**
 * `hearth://` deep links, as the operating system hands them over (command line on Windows and
 * Linux, `open-url` on macOS). Only invites are understood: `hearth://invite/CODE` (the current
 * server) and `hearth://invite/host[:port][/path]/CODE` (an invite that names its server). Links
 * are untrusted input, read whole and strictly by `shared/invite.ts`; anything else is ignored.
 */
import { INVITE_LINK_SCHEME, parseInviteLink, type InviteLink } from '../shared/invite.js';

/** The URL scheme Hearth registers with the operating system. */
export const DEEP_LINK_SCHEME = INVITE_LINK_SCHEME;

/** A parsed deep link: an invite, with the server it names (null: the current server). */
export type DeepLink = { kind: 'invite' } & InviteLink;

/** Parses a `hearth://invite/...` link; returns null for anything else (never throws). */
export function parseDeepLink(raw: unknown): DeepLink | null {
  if (typeof raw !== 'string' || !raw.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`)) return null;
  const invite = parseInviteLink(raw);
  // parseInviteLink trims; a link from the OS is taken exactly as given.
  return invite && raw.trim() === raw ? { kind: 'invite', ...invite } : null;
}

/**
 * Finds the first deep link in a process's arguments (Windows and Linux pass the link as an
 * argument to the new instance). Flags and unrelated arguments are skipped.
 */
export function findDeepLink(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
