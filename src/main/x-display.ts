/**
 * Whether the X server named by `DISPLAY` accepts a connection, asked the way Xlib's
 * `XOpenDisplay` asks: connect to its socket and send the X11 connection setup with the
 * MIT-MAGIC-COOKIE-1 from `XAUTHORITY` (or ~/.Xauthority). The global push-to-talk hook
 * (libuiohook) opens the display itself and, when that fails, blocks or aborts the whole process;
 * probing first turns a set-but-unreachable DISPLAY into a notice instead.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** How long a display may take to answer before it counts as unreachable. */
export const X_PROBE_TIMEOUT_MS = 2000;

export type DisplayProbe = { reachable: true } | { reachable: false; reason: string };

/** A parsed DISPLAY: where its socket is and which display number it names. */
interface DisplayAddress {
  /** Unix socket paths to try (abstract namespace first, as Xlib on Linux), or a TCP host. */
  sockets: string[];
  host: string | null;
  number: number;
}

/** Parses `[host]:number[.screen]` (and `unix:number`); null when it is not one. */
export function parseDisplay(display: string): DisplayAddress | null {
  const match = /^([^:]*):(\d+)(?:\.\d+)?$/.exec(display);
  if (!match) return null;
  const host = match[1] ?? '';
  const number = Number(match[2]);
  if (host === '' || host === 'unix') {
    const file = `/tmp/.X11-unix/X${number}`;
    return { sockets: [`\0${file}`, file], host: null, number };
  }
  return { sockets: [], host, number };
}

/** Probes the display; never throws. */
export async function probeXDisplay(display: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): Promise<DisplayProbe> {
  if (!display) return { reachable: false, reason: 'no X display is set (DISPLAY is empty)' };
  const address = parseDisplay(display);
  if (!address) return { reachable: false, reason: `DISPLAY=${display} is not a display name` };
  const cookie = findCookie(env, address);
  let lastReason = `the X display ${display} did not answer`;
  const targets: net.NetConnectOpts[] = address.host ? [{ host: address.host, port: 6000 + address.number }] : address.sockets.map((socketPath) => ({ path: socketPath }));
  for (const target of targets) {
    const outcome = await trySetup(target, cookie);
    if (outcome === null) return { reachable: true };
    lastReason = `the X display ${display} ${outcome}`;
  }
  return { reachable: false, reason: lastReason };
}

/** Connects and sends the setup request; null on success, else what went wrong. */
function trySetup(target: net.NetConnectOpts, cookie: Buffer | null): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(target);
    let received = Buffer.alloc(0);
    const finish = (outcome: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('did not answer in time'), X_PROBE_TIMEOUT_MS);
    socket.on('error', (error: NodeJS.ErrnoException) => finish(`could not be reached (${error.code ?? error.message})`));
    socket.on('connect', () => socket.write(setupRequest(cookie)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 8) return;
      const status = received[0];
      if (status === 1) finish(null);
      else if (status === 0) {
        const length = received[1] ?? 0;
        const reason = received.subarray(8, 8 + length).toString('latin1').trim();
        finish(`refused the connection${reason ? ` (${reason})` : ''}`);
      } else finish('asks for an authentication Hearth cannot give');
    });
    socket.on('close', () => finish('closed the connection'));
  });
}

/** The X11 connection setup request, little-endian, with the cookie when there is one. */
function setupRequest(cookie: Buffer | null): Buffer {
  const name = Buffer.from(cookie ? 'MIT-MAGIC-COOKIE-1' : '', 'latin1');
  const data = cookie ?? Buffer.alloc(0);
  const pad = (n: number) => (4 - (n % 4)) % 4;
  const header = Buffer.alloc(12);
  header.write('l', 0, 'latin1');
  header.writeUInt16LE(11, 2);
  header.writeUInt16LE(0, 4);
  header.writeUInt16LE(name.length, 6);
  header.writeUInt16LE(data.length, 8);
  return Buffer.concat([header, name, Buffer.alloc(pad(name.length)), data, Buffer.alloc(pad(data.length))]);
}

/** Xauthority entry families that match this machine's displays. */
const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;
const FAMILY_INTERNET = 0;

/** The MIT-MAGIC-COOKIE-1 for the display from the Xauthority file, as Xlib picks it. */
function findCookie(env: Readonly<Record<string, string | undefined>>, address: DisplayAddress): Buffer | null {
  const file = env.XAUTHORITY || path.join(env.HOME || os.homedir(), '.Xauthority');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  const hostname = os.hostname();
  let offset = 0;
  const field = (): Buffer | null => {
    if (offset + 2 > bytes.length) return null;
    const length = bytes.readUInt16BE(offset);
    const value = bytes.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    return value.length === length ? value : null;
  };
  while (offset + 2 <= bytes.length) {
    const family = bytes.readUInt16BE(offset);
    offset += 2;
    const [host, number, name, data] = [field(), field(), field(), field()];
    if (!host || !number || !name || !data) return null;
    const numberMatches = number.length === 0 || number.toString('latin1') === String(address.number);
    const hostMatches =
      family === FAMILY_WILD ||
      (address.host === null && family === FAMILY_LOCAL && host.toString('latin1') === hostname) ||
      (address.host !== null && family === FAMILY_INTERNET);
    if (numberMatches && hostMatches && name.toString('latin1') === 'MIT-MAGIC-COOKIE-1') return Buffer.from(data);
  }
  return null;
}
