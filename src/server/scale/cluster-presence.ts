/**
 * Presence across nodes. Each node keeps, in Redis, what its own sessions say about each user
 * (a "contribution": the SessionPresence list of that node's sessions of the user). After every
 * change a node merges all live nodes' contributions with the same rule as one node
 * ({@link mergePresence}) and, if the merged presence changed, publishes PRESENCE_UPDATE once.
 *
 * Races between nodes are settled by a version per user: every contribution bumps it, and only
 * the node whose merge saw the latest version may record and publish the result (any later
 * writer publishes instead), so the last word always wins and nothing is published twice.
 * A crashed node's contributions stop counting as soon as its liveness key expires; the node
 * that claims it then recomputes its users (see {@link ClusterPresence.reapNode}).
 *
 * Every node also keeps a view of all visible presences (from PRESENCE_UPDATE events, after a
 * bootstrap from Redis), so READY and GUILD_CREATE include members online on other nodes.
 */
import type { Redis } from 'ioredis';
import type { Snowflake } from '../../shared/snowflake.js';
import type { EventBus } from '../bus/events.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { mergePresence, offlinePresence, type PresenceTracker, type PresenceView, type SessionPresence, type VisiblePresence } from '../presence/presence.js';
import { KEY_PREFIX } from './redis.js';

const userKey = (userId: Snowflake) => `${KEY_PREFIX}presence:user:${userId}`;
const nodeUsersKey = (nodeId: string) => `${KEY_PREFIX}presence:node:${nodeId}`;
/** userId → JSON {p: VisiblePresence, g: guild IDs} of every user visible anywhere. */
const VISIBLE_KEY = `${KEY_PREFIX}presence:visible`;
const NODE_KEY_PREFIX = `${KEY_PREFIX}node:`;

/**
 * Records one node's contribution; returns [version, contributions of live nodes...]. When
 * reaping (ARGV[5] = '1') a node that is alive again keeps its contribution.
 */
const CONTRIBUTE_SCRIPT = `
local version = redis.call('HINCRBY', KEYS[1], '#v', 1)
if ARGV[5] == '1' and redis.call('EXISTS', ARGV[3] .. ARGV[1]) == 1 then
  -- The node came back: what it says stands.
elseif ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[4])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('SADD', KEYS[2], ARGV[4])
end
local out = {version}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= '#v' and redis.call('EXISTS', ARGV[3] .. all[i]) == 1 then table.insert(out, all[i + 1]) end
end
-- A user nobody contributes for keeps only the version; it goes after a day of that.
if #all == 2 then redis.call('PEXPIRE', KEYS[1], 86400000) else redis.call('PERSIST', KEYS[1]) end
return out`;

/** Forgets a gone node's list of users, unless it came back meanwhile. */
const FORGET_NODE_SCRIPT = `
if redis.call('EXISTS', ARGV[1]) == 0 then redis.call('DEL', KEYS[1]) end
return 1`;

/** Records the merged presence if `version` is still the latest; returns the previous one ('' if none), or nil when stale. */
const RECORD_IF_LATEST_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], '#v')) ~= tonumber(ARGV[2]) then return false end
local old = redis.call('HGET', KEYS[2], ARGV[1]) or ''
if ARGV[3] == '' then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], ARGV[3]) end
return old`;

interface RecordedPresence {
  p: VisiblePresence;
  g: Snowflake[];
}

/** What decides whether a presence changed (the same comparison one node makes). */
function presenceKey(presence: VisiblePresence | undefined): string {
  if (!presence) return JSON.stringify(['offline', {}, []]);
  return JSON.stringify([presence.status, presence.client_status, presence.activities]);
}

export class ClusterPresence implements PresenceView {
  private readonly visible = new Map<Snowflake, VisiblePresence>();
  private readonly guildUsers = new Map<Snowflake, Set<Snowflake>>();
  /** Per user, the tail of this node's updates, so they reach Redis in order. */
  private readonly chains = new Map<Snowflake, Promise<void>>();
  private readonly unsubscribe: () => void;
  /** Users heard of through events while the bootstrap loads (their event is newer than what it reads); null after. */
  private heardDuringStart: Set<Snowflake> | null = new Set();

  private constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly tracker: PresenceTracker,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = events.subscribe((event) => {
      // Every PRESENCE_UPDATE the gateway publishes names its guild (Discord's shape leaves it optional).
      if (event.t === 'PRESENCE_UPDATE' && event.d.guild_id !== undefined) {
        this.heardDuringStart?.add(event.d.user.id);
        this.see(event.d.user.id, event.d.guild_id, event.d);
      }
      // A member who left no longer counts among the guild's presences.
      if (event.t === 'GUILD_MEMBER_REMOVE') this.guildUsers.get(event.d.guild_id)?.delete(event.d.user.id);
    });
  }

  /** Loads every visible presence, then follows PRESENCE_UPDATE events. */
  static async start(redis: Redis, nodeId: string, store: Store, events: EventBus, tracker: PresenceTracker, logger: Logger): Promise<ClusterPresence> {
    const presence = new ClusterPresence(redis, nodeId, store, events, tracker, logger);
    const recorded = await redis.hgetall(VISIBLE_KEY);
    for (const json of Object.values(recorded)) {
      const { p, g } = JSON.parse(json) as RecordedPresence;
      if (presence.heardDuringStart?.has(p.user.id)) continue;
      for (const guildId of g) presence.see(p.user.id, guildId, p);
    }
    presence.heardDuringStart = null;
    return presence;
  }

  get(userId: Snowflake): VisiblePresence {
    return this.visible.get(userId) ?? offlinePresence(userId);
  }

  isVisible(userId: Snowflake): boolean {
    return this.visible.has(userId);
  }

  usersInGuild(guildId: Snowflake): Iterable<Snowflake> {
    return this.guildUsers.get(guildId) ?? [];
  }

  /** This node's sessions of the user changed what they say: record and merge (in order, in the background). */
  changed(userId: Snowflake): void {
    this.enqueue(userId, () => this.contribute(userId, this.nodeId, this.tracker.sessionsOf(userId), false));
  }

  /**
   * Removes a gone node's contributions and publishes the users' new presence (e.g. offline).
   * This node itself, leaving, reaps its own contributions the same way.
   */
  async reapNode(nodeId: string): Promise<void> {
    const reaping = nodeId !== this.nodeId;
    const users = await this.redis.smembers(nodeUsersKey(nodeId));
    await Promise.all(users.map((userId) => this.enqueue(userId, () => this.contribute(userId, nodeId, [], reaping))));
    if (reaping) await this.redis.eval(FORGET_NODE_SCRIPT, 1, nodeUsersKey(nodeId), NODE_KEY_PREFIX + nodeId);
    else await this.redis.del(nodeUsersKey(nodeId));
  }

  /** Waits for this node's pending updates (shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  close(): void {
    this.unsubscribe();
  }

  private enqueue(userId: Snowflake, job: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(userId) ?? Promise.resolve()).then(job).catch((error: unknown) => {
      this.logger.error({ err: error, userId }, 'presence update through Redis failed');
    });
    this.chains.set(userId, next);
    void next.then(() => {
      if (this.chains.get(userId) === next) this.chains.delete(userId);
    });
    return next;
  }

  private async contribute(userId: Snowflake, nodeId: string, sessions: SessionPresence[], reaping: boolean): Promise<void> {
    const contribution = sessions.length === 0 ? '' : JSON.stringify(sessions);
    const keys = [userKey(userId), nodeUsersKey(nodeId)];
    const reply = (await this.redis.eval(CONTRIBUTE_SCRIPT, 2, ...keys, nodeId, contribution, NODE_KEY_PREFIX, userId, reaping ? '1' : '0')) as [
      number,
      ...string[],
    ];
    const [version, ...contributions] = reply;
    const merged = mergePresence(userId, contributions.flatMap((json) => JSON.parse(json) as SessionPresence[]));
    const online = merged.status !== 'offline';
    const guildIds = await this.store.listGuildIdsOfUser(userId);
    const record = online ? JSON.stringify({ p: merged, g: guildIds } satisfies RecordedPresence) : '';
    const previous = (await this.redis.eval(RECORD_IF_LATEST_SCRIPT, 2, userKey(userId), VISIBLE_KEY, userId, version, record)) as string | null;
    if (previous === null) return; // A later change is being merged by whoever made it.
    const before = previous === '' ? undefined : (JSON.parse(previous) as RecordedPresence).p;
    if (presenceKey(before) === presenceKey(online ? merged : undefined)) return;
    for (const guildId of guildIds) {
      this.events.publish({ t: 'PRESENCE_UPDATE', d: { ...merged, guild_id: guildId }, audience: { kind: 'guild', guildId } });
    }
  }

  /** Follows one guild's view of a presence (from an event or the bootstrap). */
  private see(userId: Snowflake, guildId: Snowflake, presence: VisiblePresence): void {
    let users = this.guildUsers.get(guildId);
    if (presence.status === 'offline') {
      this.visible.delete(userId);
      users?.delete(userId);
      if (users?.size === 0) this.guildUsers.delete(guildId);
      return;
    }
    const { user, status, activities, client_status } = presence;
    this.visible.set(userId, { user, status, activities, client_status });
    if (!users) {
      users = new Set();
      this.guildUsers.set(guildId, users);
    }
    users.add(userId);
  }
}
