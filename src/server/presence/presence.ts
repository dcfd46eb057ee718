/**
 * Presence: what each session says (op 3 or IDENTIFY `presence`) merged into the one presence
 * others see for a user.
 *
 * Merge rule (documented in docs/protocol.md):
 * - Platform of a session: `properties.browser` "Hearth Desktop" or anything containing
 *   "electron" (case-insensitive) ⇒ `desktop`; everything else (browsers, bot libraries) ⇒ `web`.
 * - If any session of the user is `invisible`, the user appears `offline` to everyone: choosing
 *   to hide on one device must not be undone by another device left online.
 * - Otherwise the status is the most "present" one among sessions: dnd > online > idle; and
 *   `client_status` has, per platform, the same merge over that platform's sessions.
 * - Activities are those of the most recently updated session.
 * - A user with no session (after the resume window of the last one) is `offline`.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { Activity, ClientStatus, Presence } from '../../shared/protocol/entities.js';

export type SessionStatus = 'online' | 'idle' | 'dnd' | 'invisible';
export type Platform = 'desktop' | 'web';
type VisibleStatus = Exclude<SessionStatus, 'invisible'>;

/** What one session contributes to its user's presence. */
export interface SessionPresence {
  status: SessionStatus;
  platform: Platform;
  activities: Activity[];
  /** When it was last set, for picking activities. */
  updatedAt: number;
}

/** A user's presence as others see it, without `guild_id` (added per guild on dispatch). */
export type VisiblePresence = Omit<Presence, 'guild_id'>;

const PRIORITY: Record<VisibleStatus, number> = { dnd: 3, online: 2, idle: 1 };

/** The platform a session counts as, from IDENTIFY `properties.browser` (rule above). */
export function platformOf(browser: string | undefined): Platform {
  if (!browser) return 'web';
  const name = browser.toLowerCase();
  return name === 'hearth desktop' || name.includes('electron') ? 'desktop' : 'web';
}

/** Maps a requested status to a session status: "offline" from a client means invisible, as Discord. */
export function toSessionStatus(status: SessionStatus | 'offline'): SessionStatus {
  return status === 'offline' ? 'invisible' : status;
}

/** The presence of a user nobody can see. */
export function offlinePresence(userId: Snowflake): VisiblePresence {
  return { user: { id: userId }, status: 'offline', activities: [], client_status: {} };
}

/** Merges the sessions of one user into what others see (rule above). */
export function mergePresence(userId: Snowflake, sessions: Iterable<SessionPresence>): VisiblePresence {
  let best: VisibleStatus | undefined;
  let newest: SessionPresence | undefined;
  const clientStatus: ClientStatus = {};
  for (const session of sessions) {
    if (session.status === 'invisible') return offlinePresence(userId);
    if (!best || PRIORITY[session.status] > PRIORITY[best]) best = session.status;
    const current = clientStatus[session.platform];
    if (!current || PRIORITY[session.status] > PRIORITY[current]) clientStatus[session.platform] = session.status;
    if (!newest || session.updatedAt >= newest.updatedAt) newest = session;
  }
  if (!best || !newest) return offlinePresence(userId);
  return { user: { id: userId }, status: best, activities: newest.activities, client_status: clientStatus };
}

/**
 * What others see of users' presences: one node's {@link PresenceTracker} alone, or the merge
 * across every node of a multi-node deployment (`scale/cluster-presence.ts`).
 */
export interface PresenceView {
  /** What others see of the user now (offline when no session or invisible). */
  get(userId: Snowflake): VisiblePresence;
  /** True when others see the user as anything but offline. */
  isVisible(userId: Snowflake): boolean;
  /**
   * Users this view knows to be visible in the guild. One node knows no guilds (its sessions say
   * who is there); the view across nodes adds the members online on other nodes.
   */
  usersInGuild(guildId: Snowflake): Iterable<Snowflake>;
}

/**
 * Presences of every user with a session on this node. `set` and `remove` return the new
 * visible presence when it changed (so PRESENCE_UPDATE goes out only then), else undefined.
 */
export class PresenceTracker implements PresenceView {
  private readonly sessions = new Map<Snowflake, Map<string, SessionPresence>>();
  /** The merged presence of each user, with its JSON for cheap change detection. */
  private readonly visible = new Map<Snowflake, { presence: VisiblePresence; key: string }>();

  /** Sets what one session says; returns the user's new visible presence if it changed. */
  set(userId: Snowflake, sessionId: string, presence: SessionPresence): VisiblePresence | undefined {
    let sessions = this.sessions.get(userId);
    if (!sessions) {
      sessions = new Map();
      this.sessions.set(userId, sessions);
    }
    sessions.set(sessionId, presence);
    return this.recompute(userId);
  }

  /** Forgets an ended session; returns the user's new visible presence if it changed. */
  remove(userId: Snowflake, sessionId: string): VisiblePresence | undefined {
    const sessions = this.sessions.get(userId);
    if (!sessions?.delete(sessionId)) return undefined;
    if (sessions.size === 0) this.sessions.delete(userId);
    return this.recompute(userId);
  }

  get(userId: Snowflake): VisiblePresence {
    return this.visible.get(userId)?.presence ?? offlinePresence(userId);
  }

  isVisible(userId: Snowflake): boolean {
    return this.visible.has(userId);
  }

  usersInGuild(): Iterable<Snowflake> {
    return [];
  }

  /** Users with a session on this node. */
  users(): Iterable<Snowflake> {
    return this.sessions.keys();
  }

  /** What this node's sessions of the user say (their contribution to a merge across nodes). */
  sessionsOf(userId: Snowflake): SessionPresence[] {
    return [...(this.sessions.get(userId)?.values() ?? [])];
  }

  private recompute(userId: Snowflake): VisiblePresence | undefined {
    const sessions = this.sessions.get(userId);
    const merged = sessions ? mergePresence(userId, sessions.values()) : offlinePresence(userId);
    const key = JSON.stringify([merged.status, merged.client_status, merged.activities]);
    const previous = this.visible.get(userId);
    const previousKey = previous?.key ?? JSON.stringify(['offline', {}, []]);
    if (merged.status === 'offline') this.visible.delete(userId);
    else this.visible.set(userId, { presence: merged, key });
    return key === previousKey ? undefined : merged;
  }
}
