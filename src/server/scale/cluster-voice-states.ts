/**
 * Voice states shared by every node. Reads stay synchronous and local (the voice rules and READY
 * read them often): each node keeps a full copy in a {@link LocalVoiceStateRegistry}. Every
 * change is written to a Redis hash (so a node that starts later loads the current states) and
 * announced as a control event, which the other nodes apply to their copy. Changes travel on the
 * same channel as the VOICE_STATE_UPDATE dispatch that follows them, so a node's copy is current
 * before its sessions hear of the change.
 */
import type { Redis } from 'ioredis';
import type { VoiceState } from '../../shared/protocol/entities.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ControlEvent, EventBus } from '../bus/events.js';
import type { Logger } from '../logger.js';
import { LocalVoiceStateRegistry, toWireVoiceState, type StoredVoiceState, type VoiceStateRegistry } from '../voice/voice-states.js';
import { KEY_PREFIX } from './redis.js';

/** userId → JSON {n: node ID, s: StoredVoiceState}. */
const STATES_KEY = `${KEY_PREFIX}voice:states`;

interface RecordedVoiceState {
  n: string;
  s: StoredVoiceState;
}

export class ClusterVoiceStates implements VoiceStateRegistry {
  private readonly local = new LocalVoiceStateRegistry();
  /** Which node owns each user's state (for cleaning up after a node that is gone). */
  private readonly owners = new Map<Snowflake, string>();
  private readonly unsubscribe: () => void;
  /** Users whose state changed through events while the bootstrap loads (newer than what it reads); null after. */
  private heardDuringStart: Set<Snowflake> | null = new Set();

  private constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = events.subscribeControl((event) => this.onControl(event));
  }

  /** Loads the current states, then follows changes from every node. */
  static async start(redis: Redis, nodeId: string, events: EventBus, logger: Logger): Promise<ClusterVoiceStates> {
    const states = new ClusterVoiceStates(redis, nodeId, events, logger);
    for (const json of Object.values(await redis.hgetall(STATES_KEY))) {
      const { n, s } = JSON.parse(json) as RecordedVoiceState;
      if (!states.heardDuringStart?.has(s.userId)) states.apply(n, s);
    }
    states.heardDuringStart = null;
    return states;
  }

  ofUser(userId: Snowflake): StoredVoiceState | undefined {
    return this.local.ofUser(userId);
  }

  ofSession(sessionId: string): StoredVoiceState | undefined {
    return this.local.ofSession(sessionId);
  }

  inGuild(guildId: Snowflake): StoredVoiceState[] {
    return this.local.inGuild(guildId);
  }

  inChannel(channelId: Snowflake): StoredVoiceState[] {
    return this.local.inChannel(channelId);
  }

  wireStatesInGuild(guildId: Snowflake): VoiceState[] {
    return this.local.wireStatesInGuild(guildId);
  }

  set(state: StoredVoiceState): void {
    this.apply(this.nodeId, state);
    this.write(this.redis.hset(STATES_KEY, state.userId, JSON.stringify({ n: this.nodeId, s: state } satisfies RecordedVoiceState)));
    this.events.publishControl({ kind: 'voice-state-set', nodeId: this.nodeId, state });
  }

  remove(userId: Snowflake): StoredVoiceState | undefined {
    const removed = this.local.remove(userId);
    this.owners.delete(userId);
    if (!removed) return undefined;
    this.write(this.redis.hdel(STATES_KEY, userId));
    this.events.publishControl({ kind: 'voice-state-removed', nodeId: this.nodeId, userId });
    return removed;
  }

  /**
   * Ends the voice states a gone node owned (its sessions died with it) and tells their guilds,
   * as the node itself would have on leaving.
   */
  reapNode(nodeId: string): void {
    for (const [userId, owner] of [...this.owners]) {
      if (owner !== nodeId) continue;
      const state = this.remove(userId);
      if (!state) continue;
      const d = { ...toWireVoiceState(state), channel_id: null };
      this.events.publish({ t: 'VOICE_STATE_UPDATE', d, audience: { kind: 'guild', guildId: state.guildId } });
    }
  }

  close(): void {
    this.unsubscribe();
  }

  private apply(nodeId: string, state: StoredVoiceState): void {
    this.local.set(state);
    this.owners.set(state.userId, nodeId);
  }

  /**
   * Writes this node's states to Redis again and tells the other nodes: after this node counted
   * as gone (its lease lapsed) or Redis lost its data.
   */
  republishOwn(): void {
    for (const [userId, owner] of this.owners) {
      const state = owner === this.nodeId ? this.local.ofUser(userId) : undefined;
      if (state) this.set(state);
    }
  }

  private onControl(event: ControlEvent): void {
    if (event.kind === 'voice-state-set' && event.nodeId !== this.nodeId) {
      this.heardDuringStart?.add(event.state.userId);
      this.apply(event.nodeId, event.state);
    }
    if (event.kind === 'voice-state-removed' && event.nodeId !== this.nodeId) {
      this.heardDuringStart?.add(event.userId);
      this.local.remove(event.userId);
      this.owners.delete(event.userId);
    }
  }

  private write(command: Promise<unknown>): void {
    command.catch((error: unknown) => this.logger.error({ err: error }, 'writing a voice state to Redis failed'));
  }
}
