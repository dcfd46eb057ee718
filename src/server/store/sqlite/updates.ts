/**
 * Partial updates (`UPDATE … SET` only the given columns) with one prepared statement per column
 * combination, cached, so repeated updates of the same shape never re-prepare.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

/** A value SQLite binds directly. */
export type SqlValue = string | number | bigint | null;

/**
 * Returns `update(columns, where)`: sets the given columns (names fixed by the caller's code,
 * never taken from input) on the rows `whereSql` selects; `where` binds its named parameters.
 * Columns whose value is `undefined` are left unchanged; with none left, nothing runs.
 */
export function partialUpdate(db: SqliteDatabase, table: string, whereSql: string) {
  const statements = new Map<string, Statement>();
  return (columns: Record<string, SqlValue | undefined>, where: Record<string, SqlValue>): number => {
    const names = Object.keys(columns).filter((name) => columns[name] !== undefined);
    if (names.length === 0) return 0;
    const key = names.join(',');
    let statement = statements.get(key);
    if (!statement) {
      const sets = names.map((name) => `${name} = @set_${name}`).join(', ');
      statement = db.prepare(`UPDATE ${table} SET ${sets} WHERE ${whereSql}`);
      statements.set(key, statement);
    }
    const params: Record<string, SqlValue> = { ...where };
    for (const name of names) params[`set_${name}`] = columns[name] ?? null;
    return statement.run(params).changes;
  };
}
