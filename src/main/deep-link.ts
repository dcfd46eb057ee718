/**
 * `hearth://` deep links. Only one shape is understood, `hearth://invite/CODE`, which opens the
 * join dialog for that invite. Links arrive from the operating system (command line on Windows
 * and Linux, `open-url` on macOS), so they are untrusted input: anything that is not exactly
 * that shape is ignored.
 */

/** The URL scheme Hearth registers with the operating system. */
export const DEEP_LINK_SCHEME = 'hearth';

/** A parsed deep link. */
export type DeepLink = { kind: 'invite'; code: string };

/** Longest link we look at; real ones are ~40 characters. */
const MAX_LINK_LENGTH = 512;
/** Invite codes as Discord issues them (random base62) and vanity codes (letters, digits, dashes). */
const INVITE_CODE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
/** The whole link: scheme and host in any case, one path segment, an optional trailing slash. */
const DEEP_LINK = new RegExp(`^${DEEP_LINK_SCHEME}://invite/([^/?#]+)/?$`, 'i');

/**
 * Parses a `hearth://invite/CODE` link; returns null for anything else (never throws). The raw
 * text is matched as a whole rather than through `URL`, because URL parsing normalizes
 * `invite/../x` into `/x` and would accept links that were never written that way.
 */
export function parseDeepLink(raw: unknown): DeepLink | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LINK_LENGTH) return null;
  const match = DEEP_LINK.exec(raw);
  const code = match?.[1];
  if (!code || !INVITE_CODE.test(code)) return null;
  return { kind: 'invite', code };
}

/**
 * Finds the first deep link in a process's arguments (Windows and Linux pass the link as an
 * argument to the new instance). Flags and unrelated arguments are skipped.
 */
export function findDeepLink(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
