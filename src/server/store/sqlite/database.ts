/**
 * Opens the SQLite database file (WAL, foreign keys) and brings its schema up to date.
 */
import Database from 'better-sqlite3';
import type { Migration } from '../schema.js';

export type SqliteDatabase = Database.Database;

/** Opens (creating if needed) the database at `file` (`:memory:` for a throwaway one). */
export function openSqlite(file: string): SqliteDatabase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; FULL also survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Applies every migration newer than the recorded version, each in its own transaction. */
export function migrateSqlite(db: SqliteDatabase, migrations: readonly Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  let current = row.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`The database schema (version ${current}) is newer than this Hearth (version ${latest}); upgrade Hearth.`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
    })();
    current = migration.version;
  }
  return current;
}
