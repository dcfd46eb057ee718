/**
 * The one internal event publisher. Routes publish what changed; the gateway subscribes and fans
 * each event out to the sessions its audience allows. The in-process bus is the default; the
 * scale-out issue puts Redis behind the same interface.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { DispatchEventName, DispatchEvents } from '../../shared/protocol/gateway.js';
import type { StoredVoiceState } from '../voice/voice-states.js';

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

/**
 * Messages between the server's parts that are not guild dispatches. They travel like events
 * (to every node when Redis joins them), so a node can act on sessions it holds.
 */
export type ControlEvent =
  /** These tokens no longer sign in (logout): their live gateway sessions close with 4004. */
  | { kind: 'tokens-revoked'; tokenHashes: readonly string[] }
  /** Every token of the user was revoked (password change, bot token reset): all their sessions close with 4004. */
  | { kind: 'user-tokens-revoked'; userId: Snowflake }
  /** One dispatch for one session, wherever it is held (voice signaling). */
  | { kind: 'session-dispatch'; sessionId: string; t: DispatchEventName; d: unknown }
  /** A voice state was recorded on a node (other nodes copy it). */
  | { kind: 'voice-state-set'; nodeId: string; state: StoredVoiceState }
  /** A user's voice state was removed on a node (other nodes drop their copy). */
  | { kind: 'voice-state-removed'; nodeId: string; userId: Snowflake };

export type ControlListener = (event: ControlEvent) => void;

/** Publish/subscribe for {@link HearthEvent}s and {@link ControlEvent}s. */
export interface EventBus {
  publish(event: HearthEvent): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: EventListener): () => void;
  publishControl(event: ControlEvent): void;
  /** Returns a function that unsubscribes. */
  subscribeControl(listener: ControlListener): () => void;
}

/** The single-process bus: delivers synchronously, in publish order. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly controlListeners = new Set<ControlListener>();

  publish(event: HearthEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publishControl(event: ControlEvent): void {
    for (const listener of this.controlListeners) listener(event);
  }

  subscribeControl(listener: ControlListener): () => void {
    this.controlListeners.add(listener);
    return () => this.controlListeners.delete(listener);
  }
}
