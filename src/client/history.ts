/**
 * Loading channel history into windows: the newest page (from the start-up prefetch when it was
 * made for that channel), older and newer pages on demand, a page around a message, and the gap
 * fill after a reconnect that could not resume (every held window fetches `after=` its newest
 * message until it reaches the present).
 */
import { compareSnowflakes, type Snowflake } from '../shared/snowflake.js';
import type { Message } from '../shared/protocol/entities.js';
import type { HistoryPage } from '../shared/ipc/bridge.js';
import type { ClientAction, ClientState, HistoryDirection, MessageWindow } from './state/types.js';
import { newestSent, oldestSent } from './state/windows.js';
import type { HearthApi, HistoryQuery } from './hearth-api.js';
import { HistoryPrefetch } from './history-prefetch.js';

/** Messages per page (Discord's default). */
export const PAGE_SIZE = 50;
/** Pages fetched per channel by the gap fill before it gives up and reloads the newest page. */
const GAP_FILL_MAX_PAGES = 10;
const GAP_FILL_PAGE_SIZE = 100;

export interface HistoryHost {
  api(): HearthApi;
  state(): ClientState;
  dispatch(action: ClientAction): void;
  /** Whether a token is set (the prefetch needs one). */
  signedIn(): boolean;
  now(): number;
  /** How long a prefetched page stays usable (ms); default `PREFETCH_MAX_AGE_MS` (5 s). */
  prefetchMaxAgeMs?: number;
}

export class HistoryLoader {
  /** The start-up request for the channel the UI expects to open first. */
  readonly prefetch: HistoryPrefetch;

  constructor(private readonly host: HistoryHost) {
    this.prefetch = new HistoryPrefetch({
      request: (channelId) => (host.signedIn() ? host.api().listMessages(channelId, { limit: PAGE_SIZE }) : undefined),
      worthFetching: (channelId) => host.state().connection.status !== 'ready' && !host.state().messages[channelId],
      now: () => host.now(),
      ...(host.prefetchMaxAgeMs !== undefined ? { maxAgeMs: host.prefetchMaxAgeMs } : {}),
    });
  }

  /** The newest page: the prefetched one when it was made for this channel and is fresh, else requested now. */
  async latest(channelId: Snowflake): Promise<HistoryPage> {
    const prefetched = this.prefetch.take(channelId);
    const page = prefetched ? await this.fromPrefetch(channelId, prefetched) : undefined;
    return page ?? this.loadLatest(channelId);
  }

  older(channelId: Snowflake): Promise<HistoryPage> {
    const window = this.host.state().messages[channelId];
    const oldest = window ? oldestSent(window) : undefined;
    if (!oldest) return this.latest(channelId);
    if (!window?.hasMoreBefore) return Promise.resolve(pageOf(window, 0));
    return this.load(channelId, 'before', { before: oldest.id, limit: PAGE_SIZE });
  }

  newer(channelId: Snowflake): Promise<HistoryPage> {
    const window = this.host.state().messages[channelId];
    const newest = window ? newestSent(window) : undefined;
    if (!newest) return this.latest(channelId);
    if (!window?.hasMoreAfter) return Promise.resolve(pageOf(window, 0));
    return this.load(channelId, 'after', { after: newest.id, limit: PAGE_SIZE });
  }

  around(channelId: Snowflake, messageId: Snowflake): Promise<HistoryPage> {
    return this.load(channelId, 'around', { around: messageId, limit: PAGE_SIZE }, messageId);
  }

  /**
   * After a fresh session: brings every held window up to the present without duplicates. A
   * channel that missed more than {@link GAP_FILL_MAX_PAGES} pages gets its newest page instead.
   */
  async fillGaps(): Promise<void> {
    const state = this.host.state();
    // Windows away from the present (hasMoreAfter) catch up when scrolled down, as before.
    const channels = Object.entries(state.messages).filter(([, w]) => !w.hasMoreAfter);
    await Promise.all(channels.map(([channelId]) => this.fillGap(channelId).catch(() => undefined)));
  }

  private async fillGap(channelId: Snowflake): Promise<void> {
    for (let page = 0; page < GAP_FILL_MAX_PAGES; page += 1) {
      const window = this.host.state().messages[channelId];
      const newest = window ? newestSent(window) : undefined;
      // A window that held no message yet (an empty channel) has no anchor: its newest page is the gap.
      if (!newest) {
        await this.loadLatest(channelId);
        return;
      }
      const messages = await this.host.api().listMessages(channelId, { after: newest.id, limit: GAP_FILL_PAGE_SIZE });
      this.host.dispatch({ type: 'history/loaded', channelId, direction: 'after', messages, limit: GAP_FILL_PAGE_SIZE });
      if (messages.length < GAP_FILL_PAGE_SIZE) return;
    }
    await this.loadLatest(channelId);
  }

  private loadLatest(channelId: Snowflake): Promise<HistoryPage> {
    return this.load(channelId, 'latest', { limit: PAGE_SIZE });
  }

  /**
   * Puts the prefetched page in the window, then fetches what it cannot hold: messages created
   * after the server read it reached no window (before READY the gateway did not carry them;
   * after it they had no window to join), but READY's `last_message_id`, moved by every
   * MESSAGE_CREATE since, says whether any exist. Undefined when the prefetch failed or aged.
   */
  private async fromPrefetch(channelId: Snowflake, prefetched: Promise<Message[] | undefined>): Promise<HistoryPage | undefined> {
    const before = new Set((this.host.state().messages[channelId]?.messages ?? []).map((m) => m.id));
    this.host.dispatch({ type: 'history/loading', channelId, direction: 'latest' });
    const messages = await prefetched;
    if (!messages) return undefined;
    this.host.dispatch({ type: 'history/loaded', channelId, direction: 'latest', messages, limit: PAGE_SIZE });
    if (this.behindChannel(channelId)) {
      // Without the gap the window would skip messages; a failed fill gives way to a fresh newest page.
      await this.fillGap(channelId).catch(() => this.loadLatest(channelId));
    }
    const window = this.host.state().messages[channelId];
    return pageOf(window, (window?.messages ?? []).filter((m) => m.delivery === 'sent' && !before.has(m.id)).length);
  }

  /** Whether the channel has a message newer than the window's newest (its `last_message_id`). */
  private behindChannel(channelId: Snowflake): boolean {
    const last = this.host.state().channels[channelId]?.last_message_id;
    const window = this.host.state().messages[channelId];
    const newest = window ? newestSent(window) : undefined;
    if (!last) return false;
    return !newest || compareSnowflakes(newest.id, last) < 0;
  }

  private async load(channelId: Snowflake, direction: HistoryDirection, query: HistoryQuery, anchorId?: Snowflake): Promise<HistoryPage> {
    const before = new Set((this.host.state().messages[channelId]?.messages ?? []).map((m) => m.id));
    this.host.dispatch({ type: 'history/loading', channelId, direction });
    try {
      const messages = await this.host.api().listMessages(channelId, query);
      this.host.dispatch({
        type: 'history/loaded', channelId, direction, messages, limit: query.limit, ...(anchorId ? { anchorId } : {}),
      });
      const window = this.host.state().messages[channelId];
      return pageOf(window, messages.filter((m) => !before.has(m.id)).length);
    } catch (error) {
      this.host.dispatch({ type: 'history/failed', channelId, direction });
      throw error;
    }
  }
}

function pageOf(window: MessageWindow | undefined, added: number): HistoryPage {
  return { added, hasMoreBefore: window?.hasMoreBefore ?? false, hasMoreAfter: window?.hasMoreAfter ?? false };
}
