/**
 * Command-line options of the desktop app. `npm start` launches it with `--server-url=URL`, the
 * Hearth server it has just started, so the app opens pointed at that server.
 */

const SERVER_URL_FLAG = '--server-url=';

/**
 * The http(s) URL given with `--server-url=URL`, or null when there is none or it is not an
 * http(s) URL (arguments come from whoever launched the app, so anything else is ignored).
 */
export function serverUrlFromArgs(argv: readonly string[]): string | null {
  const raw = argv.find((arg) => arg.startsWith(SERVER_URL_FLAG))?.slice(SERVER_URL_FLAG.length);
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? raw : null;
  } catch {
    return null;
  }
}
