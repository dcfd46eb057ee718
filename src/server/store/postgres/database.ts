/**
 * The PostgreSQL connection pool and what every part of the store shares: named (prepared)
 * statements, transactions, start-up migrations under an advisory lock, error translation and
 * the mapping of snowflakes onto BIGINT.
 */
import pg from 'pg';
import type { Logger } from '../../logger.js';
import type { Migration } from '../schema.js';

export type PgPool = pg.Pool;
/** Anything that runs a query: the pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Options of {@link openPostgresStore}. */
export interface PostgresOptions {
  /** Most connections this node keeps open (default 10). */
  poolSize?: number;
  /** How long to wait for a free connection or a new one before failing, in ms (default 10000). */
  connectionTimeoutMs?: number;
  /** Where connection failures outside a query are reported. */
  logger?: Logger;
}

/** Largest BIGINT: snowflakes above it cannot be stored, so they match nothing. */
export const MAX_BIGINT = (1n << 63n) - 1n;

/** A statement with a fixed name, so each connection parses and plans it once. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

let statementCount = 0;

/** Declares a prepared statement; call once per statement text at module load. */
export function statement(text: string): Statement {
  statementCount += 1;
  return { name: `hearth_${statementCount}`, text };
}

/**
 * Text as PostgreSQL can hold it: TEXT and JSONB refuse U+0000, which carries no meaning in chat,
 * so it is dropped rather than failing the write.
 */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/** JSON text for a JSONB parameter (the driver would turn a bare array into a PostgreSQL array). */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v));
}

function params(values: readonly unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' ? storableText(v) : v));
}

/** Runs a statement and returns its rows. */
export async function query<Row extends pg.QueryResultRow>(db: Queryable, st: Statement, values: readonly unknown[]): Promise<Row[]> {
  const result = await db.query<Row>({ name: st.name, text: st.text, values: params(values) });
  return result.rows;
}

/** Runs a statement and returns its first row through `map`, or `undefined` when there is none. */
export async function queryOne<Row extends pg.QueryResultRow, R>(
  db: Queryable,
  st: Statement,
  values: readonly unknown[],
  map: (row: Row) => R,
): Promise<R | undefined> {
  const [row] = await query<Row>(db, st, values);
  return row && map(row);
}

/** Runs a statement and returns how many rows it changed. */
export async function execute(db: Queryable, st: Statement, values: readonly unknown[]): Promise<number> {
  const result = await db.query({ name: st.name, text: st.text, values: params(values) });
  return result.rowCount ?? 0;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function transaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      // A connection that cannot even roll back is dropped from the pool rather than reused.
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A snowflake as a BIGINT parameter, or `null` (which matches no row) when it cannot be one:
 * lookups by an ID beyond the BIGINT range find nothing instead of failing.
 */
export function idParam(id: string): string | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return BigInt(id) <= MAX_BIGINT ? id : null;
}

/**
 * The bound of an `id > $n` page: everything when absent, and `null` (nothing is after it) when
 * it lies beyond the BIGINT range.
 */
export function afterParam(after: string | undefined): string | null {
  return after === undefined ? '-1' : idParam(after);
}

/** Several snowflakes as a BIGINT[] parameter, dropping those that cannot be stored. */
export function idsParam(ids: readonly string[]): string[] {
  return ids.map(idParam).filter((id): id is string => id !== null);
}

/** A BIGINT column read back as a number (millisecond timestamps, counts). */
export function num(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Whether `error` is PostgreSQL's unique violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof pg.DatabaseError) || error.code !== '23505') return false;
  return constraint === undefined || error.constraint === constraint;
}

/**
 * `UPDATE table SET …` for the given columns only (names come from the caller's code, never from
 * input); `undefined` values are left alone. Returns the number of rows changed (0 when nothing to set).
 */
export async function updateColumns(
  db: Queryable,
  table: string,
  columns: Record<string, unknown>,
  where: Record<string, unknown>,
): Promise<number> {
  const names = Object.keys(columns).filter((name) => columns[name] !== undefined);
  if (names.length === 0) return 0;
  const values: unknown[] = names.map((name) => columns[name]);
  const sets = names.map((name, i) => `${name} = $${i + 1}`);
  const conditions = Object.keys(where).map((name) => {
    values.push(where[name]);
    return `${name} = $${values.length}`;
  });
  const result = await db.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')}`, params(values));
  return result.rowCount ?? 0;
}

/** The URL without its password, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Opens a pool (connections are made lazily) that reports idle-connection failures instead of crashing. */
export function createPool(url: string, options: PostgresOptions): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'hearth',
  });
  // An idle connection that dies (database restart, network) emits here; the pool replaces it on next use.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'PostgreSQL connection lost'));
  return pool;
}

/** Key of the advisory lock that serialises migrations across nodes starting together. */
const MIGRATION_LOCK_KEY = '7234298410311975169';

/**
 * Applies every migration newer than the recorded version, all in one transaction that first
 * takes an advisory lock: when several nodes start at once, one migrates and the others wait,
 * then find nothing left to do. Returns the schema version.
 */
export async function migratePostgres(pool: PgPool, migrations: readonly Migration[]): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  return transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const row = (await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version')).rows[0];
    let current = row?.version ?? 0;
    if (current > latest) {
      throw new Error(`The database schema (version ${current}) is newer than this Hearth (version ${latest}); upgrade Hearth.`);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
      current = migration.version;
    }
    return current;
  });
}
