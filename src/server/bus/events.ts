/**
 * The one internal event publisher. Routes publish what changed; the gateway subscribes and fans
 * each event out to the sessions its audience allows. The in-process bus is the default; the
 * scale-out issue puts Redis behind the same interface.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { DispatchEventName, DispatchEvents } from '../../shared/protocol/gateway.js';

/** Who may receive an event. */
export type Audience =
  /** Every member of the guild. */
  | { kind: 'guild'; guildId: Snowflake }
  /** Members of the guild who can view the channel (VIEW_CHANNEL after overwrites). */
  | { kind: 'channel'; guildId: Snowflake; channelId: Snowflake }
  /** Only these users' sessions (their own read states, USER_UPDATE, a removed member's GUILD_DELETE). */
  | { kind: 'users'; userIds: readonly Snowflake[] };

/** One change, as the dispatch it becomes, and who may see it. */
export type HearthEvent<T extends DispatchEventName = DispatchEventName> = {
  [K in T]: { t: K; d: DispatchEvents[K]; audience: Audience };
}[T];

export type EventListener = (event: HearthEvent) => void;

/** Publish/subscribe for {@link HearthEvent}s. */
export interface EventBus {
  publish(event: HearthEvent): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: EventListener): () => void;
}

/** The single-process bus: delivers synchronously, in publish order. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();

  publish(event: HearthEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
