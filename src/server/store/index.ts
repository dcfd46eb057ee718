/**
 * Picks the store implementation from the configuration: PostgreSQL when a database URL is set
 * (several nodes share it), otherwise the embedded SQLite file in the data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { openPostgresStore } from './postgres/index.js';
import { describeDatabaseUrl } from './postgres/database.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

/** Where the embedded database lives inside the data directory. */
export const SQLITE_FILE_NAME = 'hearth.db';

/** Opens (and migrates) the configured store. */
export async function openStore(config: ServerConfig, logger?: Logger): Promise<Store> {
  if (config.database !== undefined) {
    return openPostgresStore(config.database, { poolSize: config.databasePoolSize, logger });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return openSqliteStore(path.join(config.dataDir, SQLITE_FILE_NAME));
}

/** A description of the store for start-up logs, without any password. */
export function describeStore(config: ServerConfig): string {
  if (config.database === undefined) return `SQLite ${path.join(config.dataDir, SQLITE_FILE_NAME)}`;
  return `PostgreSQL ${describeDatabaseUrl(config.database)}`;
}
