/**
 * Rate limits that several nodes share through Redis: the REST buckets and login throttles
 * ({@link RateLimitCounters}) and the gateway's session starts per user. Each hit is one atomic
 * script (INCR, and PEXPIRE when it opened the window), so concurrent nodes never lose a count.
 */
import type { Redis } from 'ioredis';
import type { Snowflake } from '../../shared/snowflake.js';
import type { RateLimitCounters, WindowState } from '../api/rate-limit.js';
import type { SessionStartLimit, SessionStartLimits } from '../gateway/limits.js';
import { KEY_PREFIX } from './redis.js';

/** Counts one hit; returns {count, milliseconds left in the window}. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Takes one if below the limit; returns {taken (1/0), count, milliseconds left}. */
const TAKE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if count >= tonumber(ARGV[2]) then return {0, count, ttl} end
count = redis.call('INCR', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {1, count, ttl}`;

const RATE_LIMIT_PREFIX = `${KEY_PREFIX}rl:`;
const SESSION_START_PREFIX = `${KEY_PREFIX}identify:`;

/** {@link RateLimitCounters} kept in Redis, shared by every node. */
export class RedisRateLimitCounters implements RateLimitCounters {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowMs: number, now: number): Promise<WindowState> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, RATE_LIMIT_PREFIX + key, windowMs)) as [number, number];
    return { count, resetAt: now + ttl };
  }

  async peek(key: string, now: number): Promise<WindowState | undefined> {
    const [count, ttl] = await this.redis.multi().get(RATE_LIMIT_PREFIX + key).pttl(RATE_LIMIT_PREFIX + key).exec().then(results);
    if (count === null || Number(ttl) <= 0) return undefined;
    return { count: Number(count), resetAt: now + Number(ttl) };
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(RATE_LIMIT_PREFIX + key);
  }
}

/** Session starts (IDENTIFY) per user per window, counted in Redis for every node. */
export class RedisSessionStartLimits implements SessionStartLimits {
  constructor(
    private readonly redis: Redis,
    private readonly total: number,
    private readonly windowMs: number,
  ) {}

  async take(userId: Snowflake): Promise<boolean> {
    const [taken] = (await this.redis.eval(TAKE_SCRIPT, 1, SESSION_START_PREFIX + userId, this.windowMs, this.total)) as [number, number, number];
    return taken === 1;
  }

  async describe(userId: Snowflake): Promise<SessionStartLimit> {
    const [used, ttl] = await this.redis.multi().get(SESSION_START_PREFIX + userId).pttl(SESSION_START_PREFIX + userId).exec().then(results);
    const count = used === null ? 0 : Number(used);
    return {
      total: this.total,
      remaining: Math.max(0, this.total - count),
      reset_after: count === 0 ? 0 : Math.max(0, Number(ttl)),
      max_concurrency: 1,
    };
  }

  /** Redis expires windows itself. */
  prune(): void {}
}

/** The replies of a MULTI, failing on the first error. */
function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('Redis transaction was aborted');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
