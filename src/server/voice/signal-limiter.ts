/**
 * A token bucket per gateway session for WebRTC signals (op 40). Joining a mesh sends a burst
 * (an offer or answer and a few batches of ICE candidates per peer), then almost nothing: a
 * bucket lets the burst through and refuses a sustained flood. Refused signals get a
 * HEARTH_VOICE_ERROR with `retry_after`, never a closed socket.
 */

/** Defaults: a burst of 60 signals (a full 10-person mesh joins in well under that), then 5 per second. */
export const SIGNAL_BURST = 60;
export const SIGNALS_PER_SECOND = 5;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class SignalRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst = SIGNAL_BURST,
    private readonly perSecond = SIGNALS_PER_SECOND,
  ) {}

  /**
   * Takes one token for the session. Returns 0 when the signal may go, else the seconds until
   * one token is back.
   */
  take(sessionId: string, now: number = Date.now()): number {
    const bucket = this.buckets.get(sessionId) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(sessionId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.perSecond;
  }

  /** Forgets a session (it left voice or ended). */
  forget(sessionId: string): void {
    this.buckets.delete(sessionId);
  }
}
