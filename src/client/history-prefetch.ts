/**
 * The first channel's newest page, requested alongside the gateway connection. At start-up the
 * UI names the channel it expects to open (the remembered guild's remembered channel); as soon as
 * the client has a token it asks for that channel's newest page instead of waiting for READY, and
 * the first load of the newest page of that channel takes the answer, in flight or arrived,
 * rather than asking again. Used at most once: the first such load (of that channel or any
 * other), sign-out, a server change and age all end it.
 */
import type { Snowflake } from '../shared/snowflake.js';
import type { Message } from '../shared/protocol/entities.js';

/** How long an answered prefetch stays usable by default (ms). */
export const PREFETCH_MAX_AGE_MS = 5000;

export interface HistoryPrefetchHost {
  /** Requests the channel's newest page; undefined when there is no signed-in session to ask with. */
  request(channelId: Snowflake): Promise<Message[]> | undefined;
  /** False once fetching early gains nothing (the session is ready, or the channel is already held). */
  worthFetching(channelId: Snowflake): boolean;
  now(): number;
  /** Default {@link PREFETCH_MAX_AGE_MS}. */
  maxAgeMs?: number;
}

interface PendingPage {
  channelId: Snowflake;
  /** The page and when it arrived; undefined when the request failed (403, 404, network). */
  answer: Promise<{ messages: Message[]; answeredAt: number } | undefined>;
}

export class HistoryPrefetch {
  private expected: Snowflake | undefined;
  private pending: PendingPage | undefined;

  constructor(private readonly host: HistoryPrefetchHost) {}

  /** Remembers the channel the UI will open first (replacing an earlier, unused one). */
  expect(channelId: Snowflake): void {
    this.clear();
    this.expected = channelId;
  }

  /** Requests the expected channel's page when there is one, a session to ask with, and a point. */
  begin(): void {
    const channelId = this.expected;
    if (!channelId || this.pending || !this.host.worthFetching(channelId)) return;
    const request = this.host.request(channelId);
    if (!request) return;
    this.expected = undefined;
    this.pending = {
      channelId,
      // A refused or failed prefetch is dropped silently: the normal load asks again and shows what it gets.
      answer: request.then((messages) => ({ messages, answeredAt: this.host.now() }), () => undefined),
    };
  }

  /**
   * Ends the prefetch: for the channel it was made for, resolves to its page when the request
   * succeeded and the answer is younger than the age limit when it is used; undefined otherwise
   * (then the caller loads the page itself).
   */
  take(channelId: Snowflake): Promise<Message[] | undefined> | undefined {
    const pending = this.pending;
    this.clear();
    if (!pending || pending.channelId !== channelId) return undefined;
    const maxAgeMs = this.host.maxAgeMs ?? PREFETCH_MAX_AGE_MS;
    return pending.answer.then((page) => (page && this.host.now() - page.answeredAt <= maxAgeMs ? page.messages : undefined));
  }

  /** Forgets the expected channel and any page (sign-out, another server). */
  clear(): void {
    this.expected = undefined;
    this.pending = undefined;
  }
}
