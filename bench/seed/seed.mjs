#!/usr/bin/env node
// Hearth-specific setup for the benchmarks, through Hearth's REST API over HTTP only: registers
// users, has the first user of each group create a guild and an invite, joins the others through
// it, and writes a tokens file per pool for the (protocol-only) load generator.
//
//   node bench/seed/seed.mjs --target http://127.0.0.1:8080 --out /tmp/seed --pool community:1000:1000 --pool idle:10000:100
//
// A pool `name:users:guildSize` gives `users` users in guilds of at most `guildSize` members.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mapLimit, USER_AGENT } from '../loadgen/common.mjs';
import { RestClient } from '../loadgen/rest.mjs';

/**
 * @typedef {object} PoolSpec
 * @property {string} name
 * @property {number} users
 * @property {number} guildSize
 */

/**
 * @typedef {object} SeededGuild
 * @property {string} id
 * @property {string} channelId the first text channel
 * @property {number} members
 */

/**
 * @typedef {object} SeededPool
 * @property {string} tokensFile
 * @property {number} users
 * @property {SeededGuild[]} guilds in tokens-file order: guild k holds lines [k·guildSize, (k+1)·guildSize)
 */

/**
 * Registrations allowed per client address per minute stay under Hearth's per-IP limit (30/min).
 * Users register from many addresses, so the seed spreads them over loopback addresses 127.0.x.y
 * (all of 127.0.0.0/8 reaches the server on Linux) instead of waiting an hour per thousand users.
 */
const REGISTRATIONS_PER_ADDRESS = 25;

/**
 * The loopback address the n-th registration comes from.
 * @param {number} n
 */
export function registrationAddress(n) {
  const k = Math.floor(n / REGISTRATIONS_PER_ADDRESS);
  return `127.${1 + Math.floor(k / 62_500)}.${Math.floor(k / 250) % 250}.${(k % 250) + 2}`;
}

/**
 * Sends a request, waiting out 429s (registration and joins may be rate limited per client).
 * @param {RestClient} rest
 * @param {string} method
 * @param {string} route
 * @param {{ token?: string, body?: unknown, localAddress?: string }} [options]
 */
async function call(rest, method, route, options) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await rest.request(method, route, options);
    if (response.status === 429) {
      const retryAfter = Number(response.body?.retry_after ?? response.headers['retry-after'] ?? 1);
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, retryAfter * 1000)));
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`${method} ${route} → ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }
  throw new Error(`${method} ${route} stayed rate limited`);
}

/**
 * Registers one user; returns its token.
 * @param {RestClient} rest
 * @param {string} username
 * @param {string} password
 * @param {string} localAddress
 * @returns {Promise<string>}
 */
async function register(rest, username, password, localAddress) {
  const body = await call(rest, 'POST', '/auth/register', { body: { username, password }, localAddress });
  if (typeof body?.token !== 'string') throw new Error(`POST /auth/register returned no token: ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Creates a guild owned by `ownerToken` and a never-expiring invite to its first text channel.
 * @param {RestClient} rest
 * @param {string} ownerToken
 * @param {string} name
 */
async function createGuild(rest, ownerToken, name) {
  const guild = await call(rest, 'POST', '/guilds', { token: ownerToken, body: { name } });
  const channels = await call(rest, 'GET', `/guilds/${guild.id}/channels`, { token: ownerToken });
  const text = channels.find((/** @type {{ type: number }} */ c) => c.type === 0);
  if (!text) throw new Error(`Guild ${guild.id} has no text channel`);
  const invite = await call(rest, 'POST', `/channels/${text.id}/invites`, { token: ownerToken, body: { max_age: 0, max_uses: 0 } });
  return { id: /** @type {string} */ (guild.id), channelId: /** @type {string} */ (text.id), inviteCode: /** @type {string} */ (invite.code) };
}

/**
 * Seeds pools into the server at `target` and writes `<out>/<pool>.tokens` and `<out>/seed.json`.
 * @param {object} options
 * @param {string} options.target
 * @param {string} options.out
 * @param {readonly PoolSpec[]} options.pools
 * @param {number} [options.concurrency] requests in flight (registration hashes passwords: CPU bound)
 * @param {(message: string) => void} [options.log]
 * @returns {Promise<Record<string, SeededPool>>}
 */
export async function seed(options) {
  const rest = new RestClient({ baseUrl: options.target, userAgent: USER_AGENT, maxSockets: 32 });
  const concurrency = options.concurrency ?? 8;
  const runTag = crypto.randomBytes(3).toString('hex');
  const password = crypto.randomBytes(12).toString('base64url');
  fs.mkdirSync(options.out, { recursive: true });
  /** @type {Record<string, SeededPool>} */
  const seeded = {};
  let registered = 0;
  try {
    for (const pool of options.pools) {
      const indexes = Array.from({ length: pool.users }, (_, i) => i);
      const first = registered;
      registered += pool.users;
      const tokens = await mapLimit(indexes, concurrency, (i) =>
        register(rest, `b${runTag}_${pool.name.slice(0, 8)}_${i}`, password, registrationAddress(first + i)),
      );
      options.log?.(`seed: ${pool.name}: ${pool.users} users registered`);
      /** @type {SeededGuild[]} */
      const guilds = [];
      for (let first = 0; first < tokens.length; first += pool.guildSize) {
        const members = tokens.slice(first, first + pool.guildSize);
        const guild = await createGuild(rest, /** @type {string} */ (members[0]), `Bench ${pool.name} ${guilds.length + 1}`);
        await mapLimit(members.slice(1), concurrency, (token) => call(rest, 'POST', `/invites/${guild.inviteCode}`, { token }));
        guilds.push({ id: guild.id, channelId: guild.channelId, members: members.length });
      }
      options.log?.(`seed: ${pool.name}: ${guilds.length} guild(s) joined`);
      const tokensFile = path.join(options.out, `${pool.name}.tokens`);
      fs.writeFileSync(tokensFile, `# ${pool.name}: ${pool.users} users in guilds of ${pool.guildSize}\n${tokens.join('\n')}\n`, { mode: 0o600 });
      seeded[pool.name] = { tokensFile, users: pool.users, guilds };
    }
  } finally {
    rest.close();
  }
  fs.writeFileSync(path.join(options.out, 'seed.json'), `${JSON.stringify({ pools: seeded }, null, 2)}\n`);
  return seeded;
}

/**
 * Parses `name:users:guildSize`.
 * @param {string} text
 * @returns {PoolSpec}
 */
export function parsePool(text) {
  const [name, users, guildSize] = text.split(':');
  const spec = { name: name ?? '', users: Number(users), guildSize: Number(guildSize ?? users) };
  if (!/^[a-z][a-z0-9]*$/.test(spec.name) || !(spec.users >= 1) || !(spec.guildSize >= 1)) {
    throw new Error(`--pool must look like name:users:guildSize (e.g. community:1000:1000), got "${text}"`);
  }
  return spec;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { target: { type: 'string' }, out: { type: 'string' }, pool: { type: 'string', multiple: true }, concurrency: { type: 'string', default: '8' } },
    strict: true,
  });
  if (!values.target || !values.out || !values.pool) {
    process.stderr.write('Usage: node bench/seed/seed.mjs --target <url> --out <dir> --pool name:users:guildSize [--pool …]\n');
    process.exit(2);
  }
  seed({ target: values.target, out: values.out, pools: values.pool.map(parsePool), concurrency: Number(values.concurrency), log: (m) => process.stderr.write(`${m}\n`) }).then(
    () => process.stderr.write(`seed: wrote ${path.join(values.out ?? '', 'seed.json')}\n`),
    (error) => {
      process.stderr.write(`seed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
