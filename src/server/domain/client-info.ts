/**
 * What a sign-in's list entry says about its device: the operating system and the app or browser,
 * from a gateway IDENTIFY's `properties` (what the client says of itself) or, for clients that
 * only call REST, from the `User-Agent` header.
 */

/** A client as the sessions list shows it (Discord's `client_info` without the location). */
export interface ClientInfo {
  os: string | null;
  platform: string | null;
}

/** Longest name kept for an OS or platform. */
const MAX_NAME = 64;

/** Operating systems by what User-Agents and IDENTIFY `os` values contain, first match wins. */
const OPERATING_SYSTEMS: readonly [RegExp, string][] = [
  [/windows|win32|win64/i, 'Windows'],
  [/android/i, 'Android'],
  [/iphone|ipad|ios\b/i, 'iOS'],
  [/cros/i, 'ChromeOS'],
  [/mac ?os|macintosh|macintel|darwin/i, 'macOS'],
  [/linux|x11|freebsd|openbsd/i, 'Linux'],
];

/** Apps and browsers by their User-Agent product tokens, first match wins (Edge and Chrome also say Safari). */
const PLATFORMS: readonly [RegExp, string][] = [
  [/\bHearth\b|\bElectron\//, 'Hearth Desktop'],
  [/\bDiscordBot\b/, 'Bot library'],
  [/\bEdg\//, 'Edge'],
  [/\bFirefox\//, 'Firefox'],
  [/\bOPR\//, 'Opera'],
  [/\bChrom(e|ium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

function clip(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, MAX_NAME) : null;
}

/** An operating system name from any spelling (`linux`, `Win32`, `darwin`, a User-Agent). */
export function operatingSystem(value: string | undefined): string | null {
  if (!value || value === 'unknown') return null;
  return OPERATING_SYSTEMS.find(([pattern]) => pattern.test(value))?.[1] ?? clip(value);
}

/** The client an IDENTIFY describes (`properties.os`, `properties.browser`). */
export function clientFromIdentify(properties: { os?: string | undefined; browser?: string | undefined }): ClientInfo {
  return { os: operatingSystem(properties.os), platform: clip(properties.browser) };
}

/** The client a `User-Agent` header describes; unknown products are named by their first token. */
export function clientFromUserAgent(userAgent: string | undefined): ClientInfo | undefined {
  if (!userAgent?.trim()) return undefined;
  const platform = PLATFORMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? clip(userAgent.split(/[\s/]/)[0]);
  const os = OPERATING_SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  return { os, platform };
}
