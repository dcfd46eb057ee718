/**
 * Gateway rate limits, as Discord applies them: events a connection may send per window
 * (120 per 60 s; presence updates 5 per 20 s) and session starts (IDENTIFY) per user.
 * Counters are plain numbers on the connection so an idle session costs a few bytes.
 */
import type { Snowflake } from '../../shared/snowflake.js';

/** Events a client may send per connection: 120 per 60 s (Discord's gateway limit). */
export const CLIENT_EVENTS_PER_WINDOW = 120;
export const CLIENT_EVENTS_WINDOW_MS = 60_000;
/** Presence updates (op 3) per connection: 5 per 20 s. */
export const PRESENCE_UPDATES_PER_WINDOW = 5;
export const PRESENCE_UPDATES_WINDOW_MS = 20_000;
/** Largest payload a client may send, in bytes (Discord's 4096). */
export const MAX_CLIENT_PAYLOAD_BYTES = 4096;
/** After a close frame is queued, how long a socket may take to finish before it is destroyed. */
export const CLOSE_GRACE_MS = 5_000;

/**
 * A fixed-window counter: `hit()` counts one event and says whether it is still within the
 * limit. Two numbers of state, so one per connection is cheap.
 */
export class WindowCounter {
  private windowStart = 0;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one event at `now`; false when it is over the limit for the current window. */
  hit(now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= this.limit;
  }
}

/** What `GET /gateway/bot` reports as `session_start_limit`. */
export interface SessionStartLimit {
  total: number;
  remaining: number;
  /** Milliseconds until `remaining` resets to `total`. */
  reset_after: number;
  max_concurrency: 1;
}

/** Session starts (IDENTIFY) per user per window: in memory for one node, in Redis for several. */
export interface SessionStartLimits {
  /** Takes one session start for the user; false when none remain in the window. */
  take(userId: Snowflake, now?: number): boolean | Promise<boolean>;
  /** The user's current limit, without taking anything. */
  describe(userId: Snowflake, now?: number): SessionStartLimit | Promise<SessionStartLimit>;
  /** Forgets windows that have ended (called periodically). */
  prune(now?: number): void;
}

/**
 * Session starts (IDENTIFY) per user per window, like Discord's `session_start_limit` (1000 per
 * 24 h by default). RESUME does not count. In memory, for one node; Redis shares it between nodes.
 */
export class SessionStartLimiter implements SessionStartLimits {
  private readonly windows = new Map<Snowflake, { start: number; used: number }>();

  constructor(
    private readonly total: number,
    private readonly windowMs: number,
  ) {}

  /** Takes one session start for the user; false when none remain in the window. */
  take(userId: Snowflake, now: number = Date.now()): boolean {
    const window = this.current(userId, now);
    if (window.used >= this.total) return false;
    window.used += 1;
    this.windows.set(userId, window);
    return true;
  }

  /** The user's current limit, without taking anything. */
  describe(userId: Snowflake, now: number = Date.now()): SessionStartLimit {
    const window = this.current(userId, now);
    return {
      total: this.total,
      remaining: Math.max(0, this.total - window.used),
      reset_after: window.used === 0 ? 0 : Math.max(0, window.start + this.windowMs - now),
      max_concurrency: 1,
    };
  }

  /** Forgets windows that have ended (called periodically so the map stays small). */
  prune(now: number = Date.now()): void {
    for (const [userId, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(userId);
    }
  }

  private current(userId: Snowflake, now: number): { start: number; used: number } {
    const window = this.windows.get(userId);
    if (window && now - window.start < this.windowMs) return window;
    return { start: now, used: 0 };
  }
}
