/**
 * The PostgreSQL store, for deployments with several Hearth nodes sharing one database: a
 * connection pool, versioned migrations run at start-up under an advisory lock, and the same
 * {@link Store} contract as the embedded SQLite store.
 */
import type { Store } from '../store.js';
import { postgresAccountStore } from './accounts.js';
import { createPool, describeDatabaseUrl, migratePostgres, type PostgresOptions } from './database.js';
import { postgresGuildStore } from './guilds.js';
import { postgresMessageStore } from './messages.js';
import { POSTGRES_MIGRATIONS } from './schema.js';

export type { PostgresOptions } from './database.js';

/**
 * Connects to the database at `url` (`postgres://user:password@host:port/database`), brings its
 * schema up to date and returns the store. Fails, naming the database (never its password), when
 * it cannot connect or the schema is newer than this Hearth.
 */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const pool = createPool(url, options);
  try {
    await migratePostgres(pool, POSTGRES_MIGRATIONS);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot use the PostgreSQL database ${describeDatabaseUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  let closing: Promise<void> | undefined;
  return {
    ...postgresAccountStore(pool),
    ...postgresGuildStore(pool),
    ...postgresMessageStore(pool),
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
