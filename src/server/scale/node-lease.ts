/**
 * A node's identity among the nodes that share one Redis: its snowflake worker id, held as a
 * lease (`SET NX` with a TTL, refreshed), and a liveness key that says the node is still up. A
 * node that crashes stops refreshing; after the TTL its worker id is free again and the other
 * nodes clean up what it left (presence contributions, voice states).
 */
import type { Redis } from 'ioredis';
import { KEY_PREFIX } from './redis.js';

/** Snowflake worker ids are 5 bits. */
export const WORKER_IDS = 32;

/** How long a lease and a liveness key last without a refresh. */
export const DEFAULT_LEASE_TTL_MS = 15_000;

const workerKey = (workerId: number) => `${KEY_PREFIX}worker:${workerId}`;
/** The liveness key of a node (set while it runs). */
export const nodeKey = (nodeId: string) => `${KEY_PREFIX}node:${nodeId}`;
/** The set of node IDs that joined and have not been cleaned up. */
export const NODES_KEY = `${KEY_PREFIX}nodes`;

/**
 * Refreshes the lease if this node still holds it, re-takes it if it lapsed. Returns 0 when
 * another node has it, 2 when this node's liveness key had lapsed (other nodes may have ended its
 * sessions' presence and voice states, or Redis lost its data), 1 otherwise.
 */
const REFRESH_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
elseif holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  return 0
end
local lapsed = redis.call('EXISTS', KEYS[2]) == 0
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
if lapsed then return 2 end
return 1`;

/** What a refresh found. */
export type LeaseRefresh = 'held' | 'lost' | 'rejoined';

/** Deletes the lease only if this node holds it. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return 1`;

/** The configured worker id is held by another running node. */
export class WorkerIdTakenError extends Error {
  override readonly name = 'WorkerIdTakenError';
}

export interface NodeLeaseOptions {
  /** The configured worker id; undefined picks the first free one. */
  workerId: number | undefined;
  nodeId: string;
  ttlMs?: number;
  /** Called when a refresh finds the lease held by another node (it was lost while Redis was unreachable). */
  onLost?: (workerId: number) => void;
  /** Called when a refresh finds that this node had counted as gone (its lease lapsed, or Redis lost its data). */
  onRejoined?: () => void;
}

/** A held worker id and liveness key, refreshed until {@link NodeLease.release}. */
export class NodeLease {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    private readonly redis: Redis,
    readonly workerId: number,
    readonly nodeId: string,
    private readonly ttlMs: number,
    options: Pick<NodeLeaseOptions, 'onLost' | 'onRejoined'>,
  ) {
    this.timer = setInterval(() => {
      this.refresh().then(
        (result) => {
          if (this.released) return;
          if (result === 'lost') options.onLost?.(workerId);
          if (result === 'rejoined') options.onRejoined?.();
        },
        () => undefined, // Redis unreachable: the next refresh tries again.
      );
    }, Math.max(100, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  /**
   * Takes a worker id for this node: the configured one, or refuses with a clear message when
   * another node holds it; without one configured, the first free id.
   */
  static async acquire(redis: Redis, options: NodeLeaseOptions): Promise<NodeLease> {
    const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    const candidates = options.workerId === undefined ? [...Array(WORKER_IDS).keys()] : [options.workerId];
    for (const workerId of candidates) {
      const taken = await redis.set(workerKey(workerId), options.nodeId, 'PX', ttlMs, 'NX');
      if (taken !== 'OK') continue;
      await redis.multi().set(nodeKey(options.nodeId), options.nodeId, 'PX', ttlMs).sadd(NODES_KEY, options.nodeId).exec();
      return new NodeLease(redis, workerId, options.nodeId, ttlMs, options);
    }
    if (options.workerId !== undefined) {
      throw new WorkerIdTakenError(
        `Snowflake worker id ${options.workerId} is already used by another running Hearth node sharing this Redis. ` +
          'Give every node its own --worker-id (HEARTH_WORKER_ID, 0-31), or leave it unset to take a free one.',
      );
    }
    throw new WorkerIdTakenError(`All ${WORKER_IDS} snowflake worker ids are held by running Hearth nodes sharing this Redis: no more nodes can join.`);
  }

  /** Extends the lease and the liveness key (see {@link LeaseRefresh}). */
  async refresh(): Promise<LeaseRefresh> {
    if (this.released) return 'lost';
    const result = await this.redis.eval(REFRESH_SCRIPT, 3, workerKey(this.workerId), nodeKey(this.nodeId), NODES_KEY, this.nodeId, this.ttlMs);
    if (result === 0) return 'lost';
    return result === 2 ? 'rejoined' : 'held';
  }

  /** Gives the worker id back and says this node is gone (a clean shutdown). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.redis.eval(RELEASE_SCRIPT, 3, workerKey(this.workerId), nodeKey(this.nodeId), NODES_KEY, this.nodeId);
  }
}

/**
 * Claims the joined nodes whose liveness key expired, in one script: SMEMBERS, an EXISTS per
 * node and SREM. Atomic so a node that refreshed meanwhile (back after a cut) is never claimed on
 * a stale reading, and each gone node is claimed by exactly one caller.
 */
const CLAIM_DEAD_SCRIPT = `
local claimed = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then
    redis.call('SREM', KEYS[1], id)
    table.insert(claimed, id)
  end
end
return claimed`;

/**
 * Node IDs that joined but whose liveness key expired (crashed, or cut off from Redis), each
 * claimed by exactly one caller, so one surviving node cleans up each.
 */
export async function claimDeadNodes(redis: Redis): Promise<string[]> {
  return (await redis.eval(CLAIM_DEAD_SCRIPT, 1, NODES_KEY, nodeKey(''))) as string[];
}
