/**
 * A node's membership in a multi-node deployment (`--redis`): its Redis connections, its worker
 * id lease, and the Redis-backed parts it contributes to the server (event bus, rate limits,
 * session starts, voice states, presence), plus the cleanup after nodes that stopped without
 * leaving. It is built before the gateway and voice, which receive its parts. One node without
 * `--redis` uses none of this.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Snowflake } from '../../shared/snowflake.js';
import type { DispatchEventName, DispatchEvents } from '../../shared/protocol/gateway.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { RedisEventBus } from '../bus/redis.js';
import type { EventBus, HearthEvent } from '../bus/events.js';
import type { GatewayRegistry, SessionEndListener } from '../gateway/registry.js';
import type { GatewaySession } from '../gateway/session.js';
import type { PresenceTracker } from '../presence/presence.js';
import { ClusterPresence } from './cluster-presence.js';
import { ClusterVoiceStates } from './cluster-voice-states.js';
import { claimDeadNodes, DEFAULT_LEASE_TTL_MS, NodeLease } from './node-lease.js';
import { connectRedis } from './redis.js';
import { RedisRateLimitCounters, RedisSessionStartLimits } from './redis-limits.js';

/** Longest a clean leave may wait for Redis at shutdown. */
const LEAVE_TIMEOUT_MS = 3_000;

export interface ClusterOptions {
  redisUrl: string;
  /** The configured worker id, or undefined to lease a free one. */
  workerId: number | undefined;
  identifyLimit: number;
  identifyWindowMs: number;
  logger: Logger;
  store: Store;
  /** This node's sessions' presences, which the node contributes to the merge across nodes. */
  presences: PresenceTracker;
  /** Lease lifetime (tests shorten it to see a crashed node expire quickly). */
  leaseTtlMs?: number;
}

export class ClusterNode {
  private readonly sweepTimer: NodeJS.Timeout;
  private leaving: Promise<void> | undefined;

  private constructor(
    readonly nodeId: string,
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    readonly lease: NodeLease,
    readonly events: RedisEventBus,
    readonly rateLimits: RedisRateLimitCounters,
    readonly sessionStarts: RedisSessionStartLimits,
    readonly voiceStates: ClusterVoiceStates,
    /** Presences merged across nodes: what this node's sessions see of everyone. */
    readonly presence: ClusterPresence,
    private readonly localPresences: PresenceTracker,
    private readonly logger: Logger,
    leaseTtlMs: number,
  ) {
    this.sweepTimer = setInterval(() => void this.reapDeadNodes(), Math.max(100, Math.floor(leaseTtlMs / 3)));
    this.sweepTimer.unref();
  }

  /** Connects to Redis and takes a worker id; fails with a clear message when either is impossible. */
  static async join(options: ClusterOptions): Promise<ClusterNode> {
    const { logger } = options;
    const nodeId = randomBytes(8).toString('hex');
    const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    const commands = await connectRedis(options.redisUrl, logger, 'commands');
    let subscriber: Redis | undefined;
    // Bound once the node exists; the lease starts refreshing before that.
    let rejoin = () => {};
    try {
      const lease = await NodeLease.acquire(commands, {
        workerId: options.workerId,
        nodeId,
        ttlMs: leaseTtlMs,
        onLost: (workerId) => logger.error({ workerId }, 'the snowflake worker id lease was taken by another node while Redis was unreachable: restart this node'),
        onRejoined: () => rejoin(),
      });
      subscriber = await connectRedis(options.redisUrl, logger, 'events');
      const events = await RedisEventBus.start(commands, subscriber, nodeId, logger);
      const voiceStates = await ClusterVoiceStates.start(commands, nodeId, events, logger);
      const presence = await ClusterPresence.start(commands, nodeId, options.store, events, options.presences, logger);
      const node = new ClusterNode(
        nodeId, commands, subscriber, lease, events, new RedisRateLimitCounters(commands),
        new RedisSessionStartLimits(commands, options.identifyLimit, options.identifyWindowMs), voiceStates,
        presence, options.presences, logger, leaseTtlMs,
      );
      rejoin = () => node.rejoin();
      return node;
    } catch (error) {
      commands.disconnect();
      subscriber?.disconnect();
      throw error;
    }
  }

  get workerId(): number {
    return this.lease.workerId;
  }

  /** This node's sessions as the voice module uses them: signals reach sessions held by other nodes. */
  sessionsFor(local: GatewayRegistry): GatewayRegistry {
    return new ClusterSessions(local, this.events, this.voiceStates);
  }

  /** Answers when Redis answers (readiness). */
  async ping(): Promise<void> {
    await this.commands.ping();
  }

  /**
   * Leaves cleanly (after the gateway closed its sockets): this node's sessions cannot be resumed
   * anywhere, so their presence and voice states end now, then the worker id is given back.
   */
  leave(): Promise<void> {
    this.leaving ??= (async () => {
      clearInterval(this.sweepTimer);
      let timer: NodeJS.Timeout | undefined;
      // Commands wait while Redis is unreachable; shutdown must not, so leaving has a deadline.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${LEAVE_TIMEOUT_MS} ms`)), LEAVE_TIMEOUT_MS);
      });
      try {
        await Promise.race([this.leaveCleanly(), deadline]);
      } catch (error) {
        this.logger.error({ err: error }, 'leaving the cluster cleanly failed; other nodes clean up after the lease expires');
      } finally {
        clearTimeout(timer);
        this.presence.close();
        this.voiceStates.close();
        this.commands.disconnect();
        this.subscriber.disconnect();
      }
    })();
    return this.leaving;
  }

  private async leaveCleanly(): Promise<void> {
    await this.presence.idle();
    await this.presence.reapNode(this.nodeId);
    this.voiceStates.reapNode(this.nodeId);
    await this.events.close();
    await this.lease.release();
  }

  /**
   * This node had counted as gone (its lease lapsed while it could not reach Redis, or Redis lost
   * its data): other nodes may have ended its users' presence, so say again what its sessions say.
   */
  private rejoin(): void {
    if (this.leaving) return;
    this.logger.warn({ nodeId: this.nodeId }, 'this node had counted as gone: announcing its presences and voice states again');
    this.voiceStates.republishOwn();
    for (const userId of [...this.localPresences.users()]) this.presence.changed(userId);
  }

  /** Claims nodes whose lease expired and ends what their sessions left behind. */
  private async reapDeadNodes(): Promise<void> {
    try {
      for (const nodeId of await claimDeadNodes(this.commands)) {
        this.logger.warn({ nodeId }, 'a node stopped without leaving: ending its sessions\' presence and voice states');
        this.voiceStates.reapNode(nodeId);
        await this.presence.reapNode(nodeId);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'checking for stopped nodes failed');
    }
  }
}

/**
 * The local registry, except that a dispatch to a session held by another node (one in voice,
 * as the shared voice states say) is forwarded to it over the bus.
 */
class ClusterSessions implements GatewayRegistry {
  constructor(
    private readonly local: GatewayRegistry,
    private readonly events: EventBus,
    private readonly voiceStates: ClusterVoiceStates,
  ) {}

  get(sessionId: string): GatewaySession | undefined {
    return this.local.get(sessionId);
  }

  sessionsOfUser(userId: Snowflake): Iterable<GatewaySession> {
    return this.local.sessionsOfUser(userId);
  }

  sessionsInGuild(guildId: Snowflake): Iterable<GatewaySession> {
    return this.local.sessionsInGuild(guildId);
  }

  add(session: GatewaySession, guildIds: Iterable<Snowflake>): void {
    this.local.add(session, guildIds);
  }

  end(session: GatewaySession): void {
    this.local.end(session);
  }

  sendTo<T extends DispatchEventName>(sessionId: string, t: T, d: DispatchEvents[T]): boolean {
    if (this.local.sendTo(sessionId, t, d)) return true;
    if (!this.voiceStates.ofSession(sessionId)) return false;
    this.events.publishControl({ kind: 'session-dispatch', sessionId, t, d });
    return true;
  }

  deliver(event: HearthEvent): Promise<number> {
    return this.local.deliver(event);
  }

  onSessionEnd(listener: SessionEndListener): () => void {
    return this.local.onSessionEnd(listener);
  }
}
