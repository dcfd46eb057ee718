/**
 * A private PostgreSQL server for tests: found on PATH or in Debian's `/usr/lib/postgresql/<n>/bin`,
 * initialised in a temporary directory, listening on 127.0.0.1 at a free port (its unix socket in
 * the same directory), and deleted when stopped. Durability settings are off because the data dies
 * with the test run. PostgreSQL refuses to run as root, so as root (CI) every server command runs as
 * the `postgres` system user that Debian's package creates.
 *
 * Missing binaries fail loudly with the install command: a test that silently skips its database
 * would prove nothing.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** What to run to get the binaries on Debian (CI runs `.ci/run`, which does this). */
export const POSTGRES_INSTALL_HINT = 'apt-get install postgresql';

const REQUIRED_BINARIES = ['initdb', 'pg_ctl', 'postgres'] as const;

/** A running test server. */
export interface TestPostgres {
  /** URL of the maintenance database `postgres`, as the superuser `postgres` (no password). */
  readonly url: string;
  readonly port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Deletes every row of every table of the database at `url`, except the schema version. */
  clearDatabase(url: string): Promise<void>;
  /** Stops the server and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The directory holding `initdb`, `pg_ctl` and `postgres`: the first on PATH (symlinks resolved,
 * since Debian links only some of them into /usr/bin), else the newest `/usr/lib/postgresql/<n>/bin`.
 * Throws, naming the install command, when there is none.
 */
export function findPostgresBinDir(searchPath = process.env.PATH ?? '', debianRoot = '/usr/lib/postgresql'): string {
  const hasAll = (dir: string) => REQUIRED_BINARIES.every((name) => isExecutable(path.join(dir, name)));
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const initdb = path.join(dir, 'initdb');
    if (!isExecutable(initdb)) continue;
    const real = path.dirname(fs.realpathSync(initdb));
    if (hasAll(real)) return real;
    if (hasAll(dir)) return dir;
  }
  const versions = fs.existsSync(debianRoot) ? fs.readdirSync(debianRoot).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(debianRoot, version, 'bin');
    if (hasAll(dir)) return dir;
  }
  throw new Error(
    `PostgreSQL server binaries (${REQUIRED_BINARIES.join(', ')}) were not found on PATH or in ${debianRoot}/*/bin. ` +
      `The PostgreSQL tests need a real server: install it with \`${POSTGRES_INSTALL_HINT}\`${process.env.CI ? ' (CI: .ci/run does this)' : ''}.`,
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Runs a server binary, as the `postgres` user when we are root. */
function runAsServerUser(binary: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const [file, fileArgs] = serverCommand(binary, args);
  return run(file, fileArgs, { cwd: os.tmpdir() });
}

function serverCommand(binary: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
}

/** uid and gid of the `postgres` system user, which must exist when we run as root. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(`Running as root, but there is no "postgres" system user to run PostgreSQL as. Install it with \`${POSTGRES_INSTALL_HINT}\`.`);
  }
}

function commandError(what: string, error: unknown, logFile?: string): Error {
  const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
  const log = logFile && fs.existsSync(logFile) ? `\n--- server log ---\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}` : '';
  return new Error(`${what} failed: ${detail}${log}`);
}

/** Settings for a throwaway server: loopback only, private socket dir, no fsync. */
function serverSettings(port: number, socketDir: string): string {
  return [
    '',
    '# Hearth test server',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    'max_connections = 100',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    "timezone = 'UTC'",
    '',
  ].join('\n');
}

/** Initialises and starts a private PostgreSQL server. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const binDir = findPostgresBinDir();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresUser();
      fs.chownSync(root, uid, gid);
    }
    await runAsServerUser(path.join(binDir, 'initdb'), [
      '--pgdata', dataDir, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-sync',
    ]).catch((error: unknown) => {
      throw commandError('initdb', error);
    });
    const port = await startServer(binDir, dataDir, root, logFile);
    return handle(binDir, root, dataDir, port);
  } catch (error) {
    // A start that timed out may have left a server running in the directory about to be deleted.
    await runAsServerUser(path.join(binDir, 'pg_ctl'), ['--pgdata', dataDir, '--mode', 'immediate', 'stop']).catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Starts the server on a free port, trying again when another process took the port first. */
async function startServer(binDir: string, dataDir: string, root: string, logFile: string): Promise<number> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // Later lines win in postgresql.conf, so a retry simply appends a new port.
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), serverSettings(port, root));
    try {
      await runAsServerUser(path.join(binDir, 'pg_ctl'), ['--pgdata', dataDir, '--log', logFile, '--wait', '--timeout', '60', 'start']);
      return port;
    } catch (error) {
      if (attempt >= attempts) throw commandError('pg_ctl start', error, logFile);
    }
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * A detached shell that stops the server and deletes its directory once this process is gone, so
 * a crashed or killed test run (whose afterAll never ran) leaves no server behind.
 */
function startWatchdog(pgCtl: string, dataDir: string, root: string) {
  const stop = serverCommand(pgCtl, ['--pgdata', dataDir, '--mode', 'immediate', '--wait', 'stop']);
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `${[stop[0], ...stop[1]].map(quote).join(' ')} >/dev/null 2>&1`,
    `rm -rf ${quote(root)}`,
  ].join('\n');
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

function handle(binDir: string, root: string, dataDir: string, port: number): TestPostgres {
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const pgCtl = path.join(binDir, 'pg_ctl');
  let created = 0;
  let stopping: Promise<void> | undefined;
  const watchdog = startWatchdog(pgCtl, dataDir, root);
  return {
    url: `${base}/postgres`,
    port,
    async createDatabase(name = `hearth_test_${++created}`) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      await withClient(`${base}/postgres`, (client) => client.query(`CREATE DATABASE ${name}`));
      return `${base}/${name}`;
    },
    async clearDatabase(url) {
      await withClient(url, async (client) => {
        const tables = await client.query<{ name: string }>(
          "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'",
        );
        // Deleting rows is far quicker than TRUNCATE or a new database for the few rows a test makes;
        // replica mode skips foreign-key checks so the order of tables does not matter.
        const deletes = tables.rows.map((t) => `DELETE FROM ${t.name};`).join(' ');
        await client.query(`BEGIN; SET LOCAL session_replication_role = replica; ${deletes} COMMIT;`);
      });
    },
    stop() {
      stopping ??= (async () => {
        watchdog.kill();
        try {
          await runAsServerUser(pgCtl, ['--pgdata', dataDir, '--mode', 'fast', '--wait', 'stop']);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}
