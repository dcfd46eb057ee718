/**
 * Invite codes and invite links: the one definition the server, the client core, the desktop
 * shell and the renderer share.
 *
 * A link may name the server the invite belongs to, so an invite to another community does not
 * get looked up on whichever server the app happens to be signed in to:
 * - `https://host[:port][/path]/invite/CODE` (also `http://`): the server's own invite page;
 * - `hearth://invite/host[:port][/path]/CODE`: the desktop app's link, always for an https server;
 * - `hearth://invite/CODE` and a bare `CODE`: an invite on the current server.
 * Links come from other people and from the operating system, so they are matched whole and
 * strictly: anything else is not an invite.
 */

/** Invite codes, 2–32 characters: Hearth's random base62 codes (8) and vanity codes with inner dashes. */
const INVITE_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/;
/** Host name, IPv4 or bracketed IPv6 address, then an optional port. */
const HOST_PORT = /^((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;
/** One plain path segment (no escapes). */
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;
/** `hearth://invite/` followed by the rest; scheme and `invite` in any case. */
const DEEP_LINK = /^hearth:\/\/invite\/(.+?)\/?$/i;
/** An http(s) invite page: scheme, host, optional path, then `/invite/CODE`. */
const WEB_LINK = /^(https?):\/\/([^/?#]+)((?:\/[^/?#]+)*?)\/invite\/([^/?#]+)\/?$/i;
/** Longest link looked at; real ones are well under 100 characters. */
const MAX_LINK_LENGTH = 512;

/** The URL scheme the desktop app registers with the operating system. */
export const INVITE_LINK_SCHEME = 'hearth';

/** An invite: its code, and the server it belongs to (base URL) or null for the current server. */
export interface InviteLink {
  code: string;
  server: string | null;
}

/** True for a well-formed invite code (random or vanity). */
export function isInviteCode(value: unknown): value is string {
  return typeof value === 'string' && INVITE_CODE.test(value);
}

/**
 * Reads an invite from a bare code or any of the link forms above; null for anything else (never
 * throws). Raw text is matched rather than parsed with `URL`, because URL parsing normalises
 * `invite/../x` into `/x` and would accept links nobody wrote.
 */
export function parseInviteLink(raw: unknown): InviteLink | null {
  if (typeof raw !== 'string' || raw.length > MAX_LINK_LENGTH) return null;
  const text = raw.trim();
  if (isInviteCode(text)) return { code: text, server: null };
  const deep = DEEP_LINK.exec(text);
  if (deep?.[1]) return fromDeepLinkPath(deep[1]);
  const web = WEB_LINK.exec(text);
  if (!web?.[1] || !web[2] || !isInviteCode(web[4])) return null;
  const server = serverBase(web[1], web[2], web[3] ?? '');
  return server ? { code: web[4], server } : null;
}

/** `CODE` or `host[:port][/path]/CODE` after `hearth://invite/`. */
function fromDeepLinkPath(rest: string): InviteLink | null {
  const parts = rest.split('/');
  const code = parts.pop();
  if (!isInviteCode(code)) return null;
  const [hostPort, ...path] = parts;
  if (hostPort === undefined) return { code, server: null };
  const server = serverBase('https', hostPort, path.map((segment) => `/${segment}`).join(''));
  return server ? { code, server } : null;
}

/**
 * The base URL of a server named in a link, normalised as `normalizeServerUrl` does (lower-case
 * scheme and host, no default port, no trailing slash), or null when it is not a plain address.
 */
function serverBase(scheme: string, hostPort: string, path: string): string | null {
  const match = HOST_PORT.exec(hostPort);
  const protocol = scheme.toLowerCase();
  if (!match?.[1] || (protocol !== 'https' && protocol !== 'http')) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  const segments = path.split('/').slice(1);
  if (segments.some((segment) => !PATH_SEGMENT.test(segment) || segment === '.' || segment === '..')) return null;
  const defaultPort = protocol === 'https' ? 443 : 80;
  const portPart = port === null || port === defaultPort ? '' : `:${port}`;
  return `${protocol}://${match[1].toLowerCase()}${portPart}${segments.map((segment) => `/${segment}`).join('')}`;
}

/** The desktop app's link for an invite on `server` (an https base URL), e.g. `hearth://invite/chat.example.org/hTKzmak`. */
export function desktopInviteLink(server: string, code: string): string | null {
  const rest = /^https:\/\/(.+?)\/*$/i.exec(server)?.[1];
  if (!rest || !isInviteCode(code)) return null;
  const link = `${INVITE_LINK_SCHEME}://invite/${rest}/${code}`;
  return parseInviteLink(link)?.server ? link : null;
}
