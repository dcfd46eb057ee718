/**
 * A private Redis server for tests: `redis-server` from PATH (or Debian's /usr/bin), on
 * 127.0.0.1 at a free port, with no persistence and its working directory in a temporary folder
 * that is deleted when stopped. No npm package ships Redis, so when the binary is missing
 * {@link redisMissing} says so with the install command: outside CI the Redis suites are skipped
 * with that line in the summary, under CI they fail with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { isCi, missingRequirement } from './requirements.js';

/** What to run to get the binary on Debian/Ubuntu (CI runs `.ci/run`, which does this). */
const REDIS_INSTALL_HINT = 'sudo apt-get install redis-server';

export interface TestRedis {
  /** e.g. redis://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** Deletes every key (between tests). */
  flush(): Promise<void>;
  /** Stops the server and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** The `redis-server` binary: the first on PATH, else /usr/bin/redis-server; throws naming the install command. */
export function findRedisServer(searchPath = process.env.PATH ?? '', fallbacks: readonly string[] = ['/usr/bin/redis-server']): string {
  const candidates = [...searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'redis-server')), ...fallbacks];
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next place.
    }
  }
  throw new Error(
    `redis-server was not found on PATH or in /usr/bin. The scale-out tests (several nodes sharing Redis) need a real Redis: ` +
      `install it (Debian/Ubuntu: \`${REDIS_INSTALL_HINT}\`)${isCi() ? '; .ci/run does this' : ''}.`,
  );
}

/** Why the Redis suites cannot run on this machine, or undefined when they run (see requirements.ts). */
export const redisMissing = missingRequirement(() => findRedisServer());

/** Resolves once the server logs that it accepts connections; rejects with its output if it exits first. */
function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`redis-server exited (code ${code}) before it was ready:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis-server did not start within 20 s:\n${output.slice(-2000)}`));
    }, 20_000);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * A detached shell that stops the server and deletes its directory once this process is gone,
 * so a crashed test run leaves no server behind.
 */
function startWatchdog(serverPid: number, root: string): ChildProcess {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `kill ${serverPid} 2>/dev/null`,
    `rm -rf '${root.replaceAll("'", `'\\''`)}'`,
  ].join('\n');
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

/** Starts a private Redis server; tries another port if the first was taken meanwhile. */
export async function startTestRedis(): Promise<TestRedis> {
  const binary = findRedisServer();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(binary, [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', root, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'notice',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitUntilReady(child);
      child.stdout?.resume();
      child.stderr?.resume();
      return handle(child, port, root);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt >= 3) {
        fs.rmSync(root, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function handle(child: ChildProcess, port: number, root: string): TestRedis {
  const url = `redis://127.0.0.1:${port}`;
  const watchdog = startWatchdog(child.pid ?? 0, root);
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    async flush() {
      const client = new Redis(url, { lazyConnect: true });
      await client.connect();
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        watchdog.kill();
        const done = () => {
          fs.rmSync(root, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      });
      return stopping;
    },
  };
}
