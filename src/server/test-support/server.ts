/**
 * Starts a real Hearth server for tests: temporary data directory, a free port on loopback,
 * silent logs. Tests that need sockets use `url`; others may use `server.app.inject`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer, type BuildOptions, type HearthServer } from '../app.js';
import type { ScryptCost } from '../api/passwords.js';
import type { ServerConfigInput } from '../config.js';
import { createLogger } from '../logger.js';

export interface TestServer {
  server: HearthServer;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  dataDir: string;
  /** Closes the server; pass `keepData` to restart on the same directory. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** A fresh temporary data directory. */
export function makeTempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-test-'));
}

/**
 * The scrypt cost of test servers: a thousandth of production's, so suites that register
 * hundreds of users stay fast. (Tests of the hashing itself pass their own.)
 */
export const TEST_PASSWORD_COST: ScryptCost = { N: 1024, r: 8, p: 1 };

export async function startTestServer(config: ServerConfigInput = {}, options: BuildOptions = {}): Promise<TestServer> {
  const dataDir = config.dataDir ?? makeTempDataDir();
  const server = await buildServer(
    { host: '127.0.0.1', port: 0, ...config, dataDir },
    { logger: createLogger(process.env.HEARTH_TEST_LOG_LEVEL ?? 'silent'), passwordCost: TEST_PASSWORD_COST, ...options },
  );
  const url = await server.listen();
  return {
    server,
    url,
    dataDir,
    async close(options = {}) {
      await server.close();
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How many password hashes the server has computed so far (its `hearth_password_hashes_total`). */
export async function passwordHashCount(server: HearthServer): Promise<number> {
  return (await server.context.metrics.passwordHashes.get()).values[0]?.value ?? 0;
}

/**
 * `count` wrong-password sign-ins for `login` at once, each from its own address in 10.`net`.x.y
 * (an attacker elsewhere, clear of the caller's own per-address limits); resolves to their statuses.
 */
export function guessPasswords(server: HearthServer, login: string, count: number, net = 9): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, async (_, i) => {
    const response = await server.app.inject({
      method: 'POST', url: '/api/v10/auth/login', payload: { login, password: `wrong guess ${i}` }, remoteAddress: `10.${net}.${Math.floor(i / 250)}.${i % 250}`,
    });
    return response.statusCode;
  }));
}
