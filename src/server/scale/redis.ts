/**
 * Connections to the Redis that several Hearth nodes share. Every key Hearth writes starts with
 * {@link KEY_PREFIX}, so one Redis can also serve other programs. Scripts that touch keys they
 * were not passed assume a single Redis (or a primary with replicas), not Redis Cluster.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** Prefix of every Hearth key and channel. */
export const KEY_PREFIX = 'hearth:';

/** Redis could not be reached at start-up (the message names the URL without its password). */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** How long the first connection may take before start-up fails. */
const CONNECT_TIMEOUT_MS = 5_000;

/** A Redis URL without its password, for logs and error messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.username = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'redis://(unparseable URL)';
  }
}

/**
 * Opens one connection and waits until it is ready; fails with a clear message when Redis cannot
 * be reached. Once up, a dropped connection is retried for ever (commands queue meanwhile), so a
 * Redis restart does not take the node down.
 */
export async function connectRedis(url: string, logger: Logger, role: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName: `hearth-${role}`,
    // Commands wait across a reconnect instead of failing after a few retries.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let connected = false;
  let firstError: Error | undefined;
  client.on('error', (error: Error) => {
    // Before the first connection the cause (e.g. ECONNREFUSED) goes into connect()'s error below.
    if (connected) logger.warn({ err: error, role }, 'Redis connection error');
    else firstError ??= error;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const cause = firstError?.message ?? (error as Error).message;
    throw new RedisUnavailableError(`Cannot reach Redis at ${describeRedisUrl(url)} (${cause}). Check --redis (HEARTH_REDIS_URL) and that Redis is running.`);
  }
  connected = true;
  return client;
}
