// What every load-generator scenario shares: the tokens file, gateway discovery, the report lines
// it writes on stdout (one JSON object per line), and bounded concurrency.
import fs from 'node:fs';
import { GatewaySession } from './gateway.mjs';
import { RestClient } from './rest.mjs';

export const USER_AGENT = 'hearth-loadgen/0.1.0 (Discord API v10 load generator; +bench/loadgen)';

/**
 * Reads a tokens file: one Authorization value per line (`Bot <token>` for bots), `#` comments.
 * @param {string} file
 * @returns {string[]}
 */
export function readTokens(file) {
  const tokens = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (tokens.length === 0) throw new Error(`No tokens in ${file}`);
  return tokens;
}

/**
 * Writes one report line for whoever runs the load generator (the bench orchestrator or a person).
 * @param {'phase' | 'result' | 'progress'} type
 * @param {Record<string, unknown>} data
 */
export function report(type, data) {
  process.stdout.write(`${JSON.stringify({ type, ...data })}\n`);
}

/**
 * The target: a REST client and the gateway URL it advertises (GET /gateway).
 * @param {string} baseUrl
 * @param {number} [maxSockets]
 */
export async function connectTarget(baseUrl, maxSockets) {
  const rest = new RestClient({ baseUrl, userAgent: USER_AGENT, maxSockets });
  const { url } = await rest.expectOk('GET', '/gateway');
  return { rest, gatewayUrl: /** @type {string} */ (url) };
}

/**
 * Runs `work` for each item with at most `limit` at once; results keep the items' order.
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} limit
 * @param {(item: T, index: number) => Promise<R>} work
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, work) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(/** @type {T} */ (items[index]), index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Opens and identifies one session; READY's guild list is dropped unless `keepReady`.
 * @param {string} gatewayUrl
 * @param {string} token
 * @param {Partial<import('./gateway.mjs').GatewayOptions> & { keepReady?: boolean }} [options]
 */
export async function identifySession(gatewayUrl, token, options = {}) {
  const session = new GatewaySession({ url: gatewayUrl, token, userAgent: USER_AGENT, ...options });
  await session.open();
  const readyMs = await session.identify();
  if (!options.keepReady) session.ready = null;
  return { session, readyMs };
}

/**
 * The first text channel (type 0) of the first guild in READY, for scenarios not told one.
 * @param {any} ready READY's d (user accounts get full guilds, as Discord sends them)
 * @returns {string | undefined}
 */
export function firstTextChannel(ready) {
  for (const guild of ready?.guilds ?? []) {
    const channel = (guild.channels ?? []).find((/** @type {any} */ c) => c.type === 0);
    if (channel) return channel.id;
  }
  return undefined;
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
