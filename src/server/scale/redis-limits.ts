/**
 * Rate limits that several nodes share through Redis: the REST buckets and the password attempt
 * limits ({@link RateLimitCounters}) and the gateway's session starts per user. Each hit or
 * reservation is one atomic script, so concurrent nodes never lose a count or both take the
 * last attempt.
 */
import type { Redis } from 'ioredis';
import type { Snowflake } from '../../shared/snowflake.js';
import type { RateLimitCounters, WindowState } from '../api/rate-limit.js';
import type { AttemptKey, AttemptReservation } from '../api/attempt-limits.js';
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

/**
 * Reserves an attempt on every key or none (see attempt-limits.ts; the delay is computed as
 * `attemptDelayMs` does). KEYS: hashes {count, next}; ARGV: now, then free, base delay, max delay,
 * memory per key. Returns 0 when reserved, else the milliseconds to wait.
 */
const RESERVE_ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local wait = 0
for i = 1, #KEYS do
  local nextAt = tonumber(redis.call('HGET', KEYS[i], 'next') or '0')
  if nextAt - now > wait then wait = nextAt - now end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  local at = 1 + (i - 1) * 4
  local free, base, maxDelay, memory = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local count = redis.call('HINCRBY', KEYS[i], 'count', 1)
  local delay = 0
  if count >= free then delay = math.min(base * 2 ^ (count - free), maxDelay) end
  redis.call('HSET', KEYS[i], 'next', string.format('%.0f', now + delay))
  redis.call('PEXPIRE', KEYS[i], string.format('%.0f', delay + memory))
end
return 0`;

/** Gives one attempt back: KEYS[1] the hash, ARGV[1] the free attempts (below them there is no wait). */
const RELEASE_ATTEMPT_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local count = redis.call('HINCRBY', KEYS[1], 'count', -1)
if count < 0 then
  redis.call('HSET', KEYS[1], 'count', 0)
  count = 0
end
if count < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'next', 0) end
return count`;

const RATE_LIMIT_PREFIX = `${KEY_PREFIX}rl:`;
const ATTEMPT_PREFIX = `${KEY_PREFIX}attempts:`;
const SESSION_START_PREFIX = `${KEY_PREFIX}identify:`;

/** {@link RateLimitCounters} kept in Redis, shared by every node. */
export class RedisRateLimitCounters implements RateLimitCounters {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowMs: number, now: number): Promise<WindowState> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, RATE_LIMIT_PREFIX + key, windowMs)) as [number, number];
    return { count, resetAt: now + ttl };
  }

  async reserveAttempt(keys: readonly AttemptKey[], now: number): Promise<AttemptReservation> {
    const policies = keys.flatMap(({ policy }) => [policy.free, policy.baseDelayMs, policy.maxDelayMs, policy.memoryMs]);
    const wait = (await this.redis.eval(RESERVE_ATTEMPT_SCRIPT, keys.length, ...keys.map(({ key }) => ATTEMPT_PREFIX + key), now, ...policies)) as number;
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  async releaseAttempt({ key, policy }: AttemptKey): Promise<void> {
    await this.redis.eval(RELEASE_ATTEMPT_SCRIPT, 1, ATTEMPT_PREFIX + key, policy.free);
  }

  async clearAttempts(key: string): Promise<void> {
    await this.redis.del(ATTEMPT_PREFIX + key);
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
