/**
 * The embedded SQLite store: one database file, WAL, prepared statements. Each area of the
 * {@link Store} interface is implemented in its own file over the same connection.
 */
import type { Store } from '../store.js';
import { SQLITE_MIGRATIONS } from '../schema.js';
import { migrateSqlite, openSqlite } from './database.js';
import { sqliteAccountStore } from './accounts.js';
import { sqliteGuildStore } from './guilds.js';
import { sqliteMessageStore } from './messages.js';

/** Opens the store at `file` (`:memory:` for tests), running migrations first. */
export function openSqliteStore(file: string): Store {
  const db = openSqlite(file);
  migrateSqlite(db, SQLITE_MIGRATIONS);
  return {
    ...sqliteAccountStore(db),
    ...sqliteGuildStore(db),
    ...sqliteMessageStore(db),
    async close() {
      if (!db.open) return;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
