// The server under test runs as its own process, built from dist/, on a free loopback port, so
// its memory and CPU can be read from /proc without the load generator's mixed in.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** Child processes still running (servers, load generators), ended when the bench exits. */
const children = new Set();

/**
 * Ends a child process when this process ends, even on an interrupt, so no server is orphaned.
 * @param {import('node:child_process').ChildProcess} child
 */
export function endWithBench(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => process.exit(130));
}
const SERVER_ENTRY = path.join(root, 'dist/server/index.js');

/**
 * Newest modification time under a directory (sources newer than the build mean it is stale).
 * @param {string} dir
 * @returns {number}
 */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the server with `npm run build:server` when dist/ is missing or older than its sources
 * (or only when missing, with `whenMissingOnly`: the smoke test checks the benchmark code, not the build).
 * @param {{ whenMissingOnly?: boolean }} [options]
 * @returns {string | undefined} a note for the results when the build was not clean
 */
export function ensureServerBuilt(options = {}) {
  const built = fs.existsSync(SERVER_ENTRY) ? fs.statSync(SERVER_ENTRY).mtimeMs : 0;
  if (built > 0 && options.whenMissingOnly) return undefined;
  const sources = Math.max(newestMtime(path.join(root, 'src/server')), newestMtime(path.join(root, 'src/shared')));
  if (built >= sources) return undefined;
  process.stderr.write('bench: building the server (npm run build:server)…\n');
  const result = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (result.status === 0) return undefined;
  // tsc still emits JavaScript when it finds type errors; measure that build, and say so.
  if (!fs.existsSync(SERVER_ENTRY) || fs.statSync(SERVER_ENTRY).mtimeMs <= built) throw new Error('npm run build:server failed');
  return 'npm run build:server reported type errors; the JavaScript it emitted was measured';
}

/**
 * @typedef {object} ServerProcess
 * @property {number} pid
 * @property {string} url base URL, e.g. http://127.0.0.1:41234
 * @property {string} dataDir
 * @property {() => Promise<void>} stop graceful stop (SIGTERM), then the data directory is removed unless kept
 */

/**
 * Starts `node dist/server/index.js --port 0 --data-dir <dir>` and waits for
 * "Hearth is running at <url>".
 * @param {object} [options]
 * @param {string} [options.dataDir] defaults to a fresh temporary directory
 * @param {string} [options.copyFrom] a seeded data directory to copy into the new one
 * @param {Record<string, string | number>} [options.config] extra server flags, e.g. {'heartbeat-interval': 5000}
 * @param {string[]} [options.nodeArgs] e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']
 * @param {boolean} [options.keepData]
 * @returns {Promise<ServerProcess>}
 */
export async function startServer(options = {}) {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-server-'));
  if (options.copyFrom) fs.cpSync(options.copyFrom, dataDir, { recursive: true });
  // The load generator opens thousands of gateway connections from one address, far past the
  // per-address cap on connections that have not identified yet (meant for one person's devices).
  const flags = Object.entries({ 'log-level': 'warn', 'max-unidentified': 100_000, ...options.config }).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...flags], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  endWithBench(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const onExit = (/** @type {number | null} */ code) => reject(new Error(`The server exited (${code}) before listening:\n${stderr}`));
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const match = /Hearth is running at (\S+)/.exec(stdout);
      if (match) {
        child.off('exit', onExit);
        resolve(match[1]);
      }
    });
  });
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: /** @type {number} */ (child.pid),
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
