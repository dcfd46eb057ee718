/**
 * Per-route rate limits as Discord's: each route names a bucket; a bucket counts requests per
 * caller (token, or IP for unauthenticated routes) and per major parameter (guild or channel) in
 * a fixed window. Every limited response carries `X-RateLimit-Limit/Remaining/Reset/Reset-After/
 * Bucket`; a refused one is 429 `{message, retry_after, global}` with `Retry-After`.
 *
 * Counters live behind {@link RateLimitCounters} so several nodes can share them (Redis) later.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors, type RateLimitBody } from '../../shared/errors.js';
import { MemoryAttemptLimits, type AttemptKey, type AttemptLimits, type AttemptReservation } from './attempt-limits.js';

/** One fixed window of a counter. */
export interface WindowState {
  count: number;
  /** Unix ms when the window ends and the count returns to 0. */
  resetAt: number;
}

/**
 * Shared counters: fixed windows for the route buckets, and the attempt limits of password checks
 * ({@link AttemptLimits}). Implementations: in memory, and Redis for several nodes.
 */
export interface RateLimitCounters extends AttemptLimits {
  /** Counts one hit on `key` and returns the window after it. */
  hit(key: string, windowMs: number, now: number): Promise<WindowState>;
}

/** Counters in this process's memory; expired windows are swept as new ones open. */
export class MemoryRateLimitCounters implements RateLimitCounters {
  private readonly windows = new Map<string, WindowState>();
  private readonly attempts = new MemoryAttemptLimits();
  private nextSweep = 0;

  async hit(key: string, windowMs: number, now: number): Promise<WindowState> {
    this.sweep(now);
    let state = this.windows.get(key);
    if (!state || state.resetAt <= now) {
      state = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, state);
    }
    state.count += 1;
    return { ...state };
  }

  reserveAttempt(keys: readonly AttemptKey[], now: number): Promise<AttemptReservation> {
    return this.attempts.reserveAttempt(keys, now);
  }

  releaseAttempt(key: AttemptKey, now: number): Promise<void> {
    return this.attempts.releaseAttempt(key, now);
  }

  clearAttempts(key: string): Promise<void> {
    return this.attempts.clearAttempts(key);
  }

  /** Drops expired windows at most once a second, so memory tracks only active callers. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1000;
    for (const [key, state] of this.windows) if (state.resetAt <= now) this.windows.delete(key);
  }
}

/** A route's bucket: `limit` requests per `windowMs`, per caller and per `major` route parameter. */
export interface RateLimitBucket {
  name: string;
  limit: number;
  windowMs: number;
  /** Route parameter that splits the bucket (Discord's "major parameter"). */
  major?: 'guildId' | 'channelId';
  /** Count per IP address even when a token is sent: routes anyone may call, where a made-up token must not buy a fresh bucket. */
  perIp?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate-limit bucket of this route; routes without one are not limited. */
    rateLimit?: RateLimitBucket;
  }
}

/** Buckets of the routes under /api/v10. Sized so people and bots working normally never meet them. */
export const Buckets = {
  register: { name: 'auth-register', limit: 30, windowMs: 60_000, perIp: true },
  login: { name: 'auth-login', limit: 30, windowMs: 60_000, perIp: true },
  logout: { name: 'auth-logout', limit: 30, windowMs: 60_000 },
  userRead: { name: 'user-read', limit: 60, windowMs: 10_000 },
  userWrite: { name: 'user-write', limit: 10, windowMs: 10_000 },
  guildCreate: { name: 'guild-create', limit: 20, windowMs: 60_000 },
  guildRead: { name: 'guild-read', limit: 100, windowMs: 10_000, major: 'guildId' },
  guildWrite: { name: 'guild-write', limit: 50, windowMs: 10_000, major: 'guildId' },
  channelRead: { name: 'channel-read', limit: 100, windowMs: 10_000, major: 'channelId' },
  channelWrite: { name: 'channel-write', limit: 50, windowMs: 10_000, major: 'channelId' },
  inviteCreate: { name: 'invite-create', limit: 20, windowMs: 10_000, major: 'channelId' },
  inviteRead: { name: 'invite-read', limit: 50, windowMs: 10_000, perIp: true },
  inviteAccept: { name: 'invite-accept', limit: 10, windowMs: 10_000 },
} as const satisfies Record<string, RateLimitBucket>;

/** Who is calling: the token (hashed, never kept raw) or, without one, the IP address. */
function callerKey(request: FastifyRequest, bucket: RateLimitBucket): string {
  const authorization = request.headers.authorization;
  if (authorization && !bucket.perIp) return `t:${createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

/** The opaque bucket ID clients group routes by (`X-RateLimit-Bucket`). */
function bucketHash(bucket: RateLimitBucket, major: string): string {
  return createHash('sha256').update(`${bucket.name}:${major}`).digest('hex').slice(0, 32);
}

/** Sends a 429 as Discord does. `retryAfterMs` becomes seconds with millisecond precision. */
export function sendRateLimited(reply: FastifyReply, retryAfterMs: number, options: { global?: boolean; scope?: string } = {}): FastifyReply {
  const retryAfter = Math.max(retryAfterMs, 1) / 1000;
  const body: RateLimitBody = { message: Errors.RATE_LIMITED.message, retry_after: retryAfter, global: options.global ?? false };
  void reply
    .code(429)
    .header('Retry-After', String(Math.ceil(retryAfter)))
    .header('X-RateLimit-Scope', options.scope ?? 'user');
  if (options.global) void reply.header('X-RateLimit-Global', 'true');
  return reply.send(body);
}

/**
 * Installs the limiter on `api`: an `onRequest` hook that counts each call against its route's
 * bucket, sets the headers, and answers 429 once the bucket is empty.
 */
export function installRateLimits(api: FastifyInstance, counters: RateLimitCounters, now: () => number = Date.now): void {
  api.addHook('onRequest', async (request, reply) => {
    const bucket = request.routeOptions.config.rateLimit;
    if (!bucket) return;
    const params = request.params as Record<string, string | undefined>;
    const major = bucket.major ? (params[bucket.major] ?? '') : '';
    const time = now();
    const state = await counters.hit(`rl:${bucket.name}:${major}:${callerKey(request, bucket)}`, bucket.windowMs, time);
    const resetAfterMs = Math.max(state.resetAt - time, 0);
    void reply.headers({
      'X-RateLimit-Limit': String(bucket.limit),
      'X-RateLimit-Remaining': String(Math.max(bucket.limit - state.count, 0)),
      'X-RateLimit-Reset': (state.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': (resetAfterMs / 1000).toFixed(3),
      'X-RateLimit-Bucket': bucketHash(bucket, major),
    });
    if (state.count > bucket.limit) return sendRateLimited(reply, resetAfterMs);
  });
}
