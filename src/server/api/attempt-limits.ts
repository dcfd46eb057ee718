/**
 * Limits on guesses at a secret (a password): each attempt is reserved *before* the secret is
 * checked, atomically on every key it counts against (the account, the address, the device), so
 * a thousand guesses sent at once are refused as surely as a thousand sent one by one. After a
 * few free attempts each further one must wait a delay that doubles, up to a cap: an attacker
 * is slowed to a crawl while the owner waits seconds, not a flat lockout anyone could trigger.
 *
 * In memory here; `scale/redis-limits.ts` keeps the same state in Redis for several nodes.
 */

/** How attempts against one key are limited. */
export interface AttemptPolicy {
  /** Attempts allowed back to back. */
  free: number;
  /** Wait after the last free attempt; it doubles with each attempt after that. */
  baseDelayMs: number;
  /** Longest wait between two attempts. */
  maxDelayMs: number;
  /** How long the count is remembered after the last attempt (then it starts over). */
  memoryMs: number;
}

/** One key an attempt counts against, with its policy. */
export interface AttemptKey {
  key: string;
  policy: AttemptPolicy;
}

export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Attempt counters shared by every node that can check the secret. */
export interface AttemptLimits {
  /**
   * All or nothing: refused (with the longest remaining wait) while any key's delay runs;
   * otherwise one attempt is counted on every key, starting its delay once past the free ones.
   */
  reserveAttempt(keys: readonly AttemptKey[], now: number): Promise<AttemptReservation>;
  /** Gives one attempt back (a correct password must not use up its address's allowance). */
  releaseAttempt(key: AttemptKey, now: number): Promise<void>;
  /** Forgets a key's attempts (a correct password resets its account's count). */
  clearAttempts(key: string): Promise<void>;
}

/** The wait after the `count`-th attempt (0 while within the free ones). The Redis script computes the same. */
export function attemptDelayMs(policy: AttemptPolicy, count: number): number {
  if (count < policy.free) return 0;
  return Math.min(policy.baseDelayMs * 2 ** (count - policy.free), policy.maxDelayMs);
}

interface AttemptState {
  count: number;
  /** When the next attempt is allowed. */
  nextAt: number;
  /** When the state is forgotten. */
  expiresAt: number;
}

/** {@link AttemptLimits} in this process's memory (one node). */
export class MemoryAttemptLimits implements AttemptLimits {
  private readonly states = new Map<string, AttemptState>();
  private nextSweep = 0;

  async reserveAttempt(keys: readonly AttemptKey[], now: number): Promise<AttemptReservation> {
    this.sweep(now);
    let wait = 0;
    for (const { key } of keys) wait = Math.max(wait, (this.current(key, now)?.nextAt ?? 0) - now);
    if (wait > 0) return { allowed: false, retryAfterMs: wait };
    for (const { key, policy } of keys) {
      const count = (this.current(key, now)?.count ?? 0) + 1;
      const delay = attemptDelayMs(policy, count);
      this.states.set(key, { count, nextAt: now + delay, expiresAt: now + delay + policy.memoryMs });
    }
    return { allowed: true };
  }

  async releaseAttempt({ key, policy }: AttemptKey, now: number): Promise<void> {
    const state = this.current(key, now);
    if (!state) return;
    state.count = Math.max(0, state.count - 1);
    if (state.count < policy.free) state.nextAt = 0;
  }

  async clearAttempts(key: string): Promise<void> {
    this.states.delete(key);
  }

  private current(key: string, now: number): AttemptState | undefined {
    const state = this.states.get(key);
    return state && state.expiresAt > now ? state : undefined;
  }

  /** Drops forgotten states at most once a second, so memory tracks only recent guessers. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1000;
    for (const [key, state] of this.states) if (state.expiresAt <= now) this.states.delete(key);
  }
}
