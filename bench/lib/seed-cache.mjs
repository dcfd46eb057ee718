// Seeding thousands of users costs minutes (each registration hashes a password with scrypt), so a
// seeded data directory is kept in the temporary directory and reused while the pools and the
// server's schema are unchanged and its tokens still authenticate. Only setup is cached, never a
// measurement.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTokens, USER_AGENT } from '../loadgen/common.mjs';
import { RestClient } from '../loadgen/rest.mjs';
import { seed } from '../seed/seed.mjs';
import { root, startServer } from './server.mjs';

/**
 * @typedef {object} SeededData
 * @property {string} dataDir a server data directory to copy for each server under test
 * @property {Record<string, import('../scenarios/types.mjs').SeedPool>} pools
 * @property {number | null} seedSeconds time spent seeding now (null when taken from the cache)
 */

/**
 * The cache entry for these pools. A schema change does not invalidate it: each server under test
 * migrates its copy at start-up, as a real upgrade would.
 * @param {readonly import('../seed/seed.mjs').PoolSpec[]} pools
 */
function cacheKey(pools) {
  return crypto.createHash('sha256').update(JSON.stringify(pools)).digest('hex').slice(0, 16);
}

/**
 * Whether the first token of each cached pool still authenticates against today's server build.
 * @param {string} dataDir
 * @param {Record<string, import('../scenarios/types.mjs').SeedPool>} pools
 */
async function tokensStillValid(dataDir, pools) {
  /** @type {import('./server.mjs').ServerProcess | undefined} */
  let server;
  /** @type {RestClient | undefined} */
  let rest;
  try {
    // A server that cannot start on the copy (say, a migration refusing it) means: seed again.
    server = await startServer({ copyFrom: dataDir });
    rest = new RestClient({ baseUrl: server.url, userAgent: USER_AGENT });
    for (const pool of Object.values(pools)) {
      const [token] = readTokens(pool.tokensFile);
      if ((await rest.request('GET', '/users/@me', { token })).status !== 200) return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    rest?.close();
    await server?.stop();
  }
}

/**
 * Seeded data for these pools, from the cache or made now.
 * @param {readonly import('../seed/seed.mjs').PoolSpec[]} pools
 * @param {{ fresh?: boolean, log: (message: string) => void }} options
 * @returns {Promise<SeededData>}
 */
export async function seededData(pools, options) {
  const dir = path.join(os.tmpdir(), `hearth-bench-seed-${cacheKey(pools)}`);
  const info = path.join(dir, 'seed.json');
  if (!options.fresh && fs.existsSync(info)) {
    /** @type {Record<string, import('../scenarios/types.mjs').SeedPool>} */
    const pools = JSON.parse(fs.readFileSync(info, 'utf8')).pools;
    // The tokens files live next to seed.json (the directory may have been moved).
    for (const pool of Object.values(pools)) pool.tokensFile = path.join(dir, path.basename(pool.tokensFile));
    // A seed made after the current server build was made by it; an older one is checked.
    const build = path.join(root, 'dist/server/index.js');
    const seededAfterBuild = fs.existsSync(build) && fs.statSync(info).mtimeMs > fs.statSync(build).mtimeMs;
    if (seededAfterBuild || (await tokensStillValid(path.join(dir, 'data'), pools))) {
      options.log(`bench: using seeded users from ${dir}`);
      return { dataDir: path.join(dir, 'data'), pools, seedSeconds: null };
    }
    options.log('bench: the cached seed no longer authenticates; seeding again');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const server = await startServer({ dataDir: path.join(dir, 'data'), keepData: true });
  try {
    const total = pools.reduce((sum, p) => sum + p.users, 0);
    options.log(`bench: seeding ${total.toLocaleString('en-US')} users through the REST API (cached for later runs)…`);
    // seed.json is written last, so an interrupted seed is never taken for a complete one.
    const seeded = await seed({ target: server.url, out: dir, pools, log: options.log });
    return { dataDir: path.join(dir, 'data'), pools: seeded, seedSeconds: (performance.now() - started) / 1000 };
  } finally {
    await server.stop();
  }
}
