import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../contract/index.js';
import { SQLITE_MIGRATIONS, type Migration } from '../schema.js';
import { migrateSqlite, openSqlite, type SqliteDatabase } from './database.js';
import { openSqliteStore } from './index.js';

describeStoreContract('SQLite', () => openSqliteStore(':memory:'));

describe('SQLite database', () => {
  const dirs: string[] = [];
  const opened: SqliteDatabase[] = [];
  const open = (file: string): SqliteDatabase => {
    const db = openSqlite(file);
    opened.push(db);
    return db;
  };
  const tempFile = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-sqlite-'));
    dirs.push(dir);
    return path.join(dir, 'hearth.db');
  };
  const versions = (db: SqliteDatabase): number[] =>
    (db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version);

  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the file in WAL mode with foreign keys on', () => {
    const db = open(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('applies every migration once, in order, and records each version', () => {
    const file = tempFile();
    const latest = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
    expect(migrateSqlite(open(file), SQLITE_MIGRATIONS)).toBe(latest);
    opened[0]?.close();
    // A second start-up on the same file runs nothing again (a re-run CREATE TABLE would throw).
    const again = open(file);
    expect(migrateSqlite(again, SQLITE_MIGRATIONS)).toBe(latest);
    expect(versions(again)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
  });

  it('brings an older database up to date with only the newer migrations', () => {
    const db = open(tempFile());
    const first = SQLITE_MIGRATIONS.slice(0, 1);
    expect(migrateSqlite(db, first)).toBe(1);
    const extra: Migration = { version: (SQLITE_MIGRATIONS.at(-1)?.version ?? 0) + 1, description: 'test', sql: 'CREATE TABLE extra (x INTEGER);' };
    migrateSqlite(db, [...SQLITE_MIGRATIONS, extra]);
    expect(versions(db)).toEqual([...SQLITE_MIGRATIONS.map((m) => m.version), extra.version]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ name: 'extra' });
  });

  it('rolls back a failing migration and records nothing for it', () => {
    const db = open(tempFile());
    migrateSqlite(db, SQLITE_MIGRATIONS);
    const broken: Migration = { version: 999, description: 'broken', sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM missing_table;' };
    expect(() => migrateSqlite(db, [...SQLITE_MIGRATIONS, broken])).toThrow(/missing_table/);
    expect(versions(db)).not.toContain(999);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  });

  it('refuses a database whose schema is newer than this Hearth', () => {
    const db = open(tempFile());
    migrateSqlite(db, SQLITE_MIGRATIONS);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(1000, Date.now());
    expect(() => migrateSqlite(db, SQLITE_MIGRATIONS)).toThrow(/newer than this Hearth/);
  });

  it('reads a page of history as one range scan of the (channel_id, id) primary key', () => {
    const db = open(':memory:');
    migrateSqlite(db, SQLITE_MIGRATIONS);
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('1', '2', 50) as { detail: string }[]).map((r) => r.detail).join('; ');
    const before = plan('SELECT id FROM messages WHERE channel_id = ? AND id < ? ORDER BY id DESC LIMIT ?');
    const after = plan('SELECT id FROM messages WHERE channel_id = ? AND id > ? ORDER BY id ASC LIMIT ?');
    for (const detail of [before, after]) {
      expect(detail).toMatch(/SEARCH messages USING PRIMARY KEY \(channel_id=\? AND id[<>]\?\)/);
      expect(detail).not.toMatch(/TEMP B-TREE|SCAN/);
    }
  });
});
