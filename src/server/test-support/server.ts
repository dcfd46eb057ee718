/**
 * Starts a real Hearth server for tests: temporary data directory, a free port on loopback,
 * silent logs. Tests that need sockets use `url`; others may use `server.app.inject`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer, type HearthServer } from '../app.js';
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

export async function startTestServer(config: ServerConfigInput = {}): Promise<TestServer> {
  const dataDir = config.dataDir ?? makeTempDataDir();
  const server = await buildServer(
    { host: '127.0.0.1', port: 0, ...config, dataDir },
    { logger: createLogger(process.env.HEARTH_TEST_LOG_LEVEL ?? 'silent') },
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
