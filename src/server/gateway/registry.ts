/**
 * The sessions of this node and the fanout of events to them, behind one small interface
 * ({@link GatewayRegistry}) so that the scale-out issue can put Redis between nodes.
 *
 * Fanout: each event's audience is resolved against an in-memory membership index
 * (guild → sessions), kept current from the events themselves (GUILD_CREATE/DELETE,
 * GUILD_MEMBER_ADD/REMOVE); channel events are filtered by VIEW_CHANNEL. Each distinct payload
 * is serialized once and the same bytes go to every recipient.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import { missingCase } from '../../shared/missing-case.js';
import type { DispatchEventName, DispatchEvents } from '../../shared/protocol/gateway.js';
import type { Audience, HearthEvent } from '../bus/events.js';
import type { Store } from '../store/store.js';
import type { PresenceView } from '../presence/presence.js';
import { ChannelViewCache } from '../domain/channel-view-cache.js';
import { serializeDispatch, type SerializedDispatch } from './dispatch.js';
import { guildPresences, GuildCreateVariants } from './guild-payload.js';
import { EVENT_INTENT, messageContentExempt, withoutMessageContent } from './intents.js';
import type { GatewaySession } from './session.js';

export type SessionEndListener = (session: GatewaySession) => void;

/** What the gateway, the presence fanout and the voice module need of this node's sessions. */
export interface GatewayRegistry {
  /** A live or resumable session by its ID. */
  get(sessionId: string): GatewaySession | undefined;
  sessionsOfUser(userId: Snowflake): Iterable<GatewaySession>;
  sessionsInGuild(guildId: Snowflake): Iterable<GatewaySession>;
  /** Registers a new session as a member of these guilds. */
  add(session: GatewaySession, guildIds: Iterable<Snowflake>): void;
  /** Ends a session for good (after its resume window, or on shutdown); end listeners run. */
  end(session: GatewaySession): void;
  /** Sends one dispatch to one session (voice signaling); false when it is unknown or ended. */
  sendTo<T extends DispatchEventName>(sessionId: string, t: T, d: DispatchEvents[T]): boolean;
  /** Delivers an event to every session its audience allows; resolves to how many got it. */
  deliver(event: HearthEvent): Promise<number>;
  /**
   * Runs when a session ends (voice leaves its channel then), before it leaves the indexes, so
   * `session.guildIds` is still set. Returns an unsubscribe function.
   */
  onSessionEnd(listener: SessionEndListener): () => void;
}

/** The in-process registry: every session of this node, in memory. */
export class LocalGatewayRegistry implements GatewayRegistry {
  private readonly byId = new Map<string, GatewaySession>();
  private readonly byUser = new Map<Snowflake, Set<GatewaySession>>();
  private readonly byGuild = new Map<Snowflake, Set<GatewaySession>>();
  private readonly endListeners = new Set<SessionEndListener>();
  private readonly access: ChannelViewCache;

  constructor(
    store: Store,
    private readonly presences: PresenceView,
  ) {
    this.access = new ChannelViewCache(store);
  }

  get size(): number {
    return this.byId.size;
  }

  get(sessionId: string): GatewaySession | undefined {
    return this.byId.get(sessionId);
  }

  /** Every session, for sweeps and shutdown. */
  all(): IterableIterator<GatewaySession> {
    return this.byId.values();
  }

  sessionsOfUser(userId: Snowflake): Iterable<GatewaySession> {
    return this.byUser.get(userId) ?? [];
  }

  sessionsInGuild(guildId: Snowflake): Iterable<GatewaySession> {
    return this.byGuild.get(guildId) ?? [];
  }

  /** IDs of the users with a session in the guild. */
  usersInGuild(guildId: Snowflake): Set<Snowflake> {
    const users = new Set<Snowflake>();
    for (const session of this.sessionsInGuild(guildId)) users.add(session.userId);
    // With several nodes, members online elsewhere count too (their presences go into READY).
    for (const userId of this.presences.usersInGuild(guildId)) users.add(userId);
    return users;
  }

  add(session: GatewaySession, guildIds: Iterable<Snowflake>): void {
    this.byId.set(session.id, session);
    let sessions = this.byUser.get(session.userId);
    if (!sessions) {
      sessions = new Set();
      this.byUser.set(session.userId, sessions);
    }
    sessions.add(session);
    for (const guildId of guildIds) this.join(session, guildId);
  }

  end(session: GatewaySession): void {
    if (session.ended) return;
    session.ended = true;
    // Listeners run while `session.guildIds` still says where the session was (presence, voice).
    for (const listener of this.endListeners) listener(session);
    this.byId.delete(session.id);
    const sessions = this.byUser.get(session.userId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byUser.delete(session.userId);
    for (const guildId of [...session.guildIds]) this.leave(session, guildId);
  }

  sendTo<T extends DispatchEventName>(sessionId: string, t: T, d: DispatchEvents[T]): boolean {
    const session = this.byId.get(sessionId);
    if (!session || session.ended) return false;
    session.dispatch(serializeDispatch(t, d));
    return true;
  }

  onSessionEnd(listener: SessionEndListener): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  async deliver(event: HearthEvent): Promise<number> {
    this.updateIndexBefore(event);
    const recipients = await this.resolve(event.audience);
    const required = EVENT_INTENT[event.t];
    const variants = this.variants(event);
    let sent = 0;
    for (const session of recipients) {
      if (required !== 0 && !session.hasIntent(required)) continue;
      session.dispatch(variants(session));
      sent += 1;
    }
    this.updateIndexAfter(event, recipients);
    return sent;
  }

  private join(session: GatewaySession, guildId: Snowflake): void {
    if (session.ended) return;
    let sessions = this.byGuild.get(guildId);
    if (!sessions) {
      sessions = new Set();
      this.byGuild.set(guildId, sessions);
    }
    sessions.add(session);
    session.guildIds.add(guildId);
  }

  private leave(session: GatewaySession, guildId: Snowflake): void {
    session.guildIds.delete(guildId);
    const sessions = this.byGuild.get(guildId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byGuild.delete(guildId);
  }

  /** Membership changes that must apply before delivery (a removed member stops at once). */
  private updateIndexBefore(event: HearthEvent): void {
    switch (event.t) {
      case 'GUILD_CREATE':
        if (event.audience.kind === 'users') {
          for (const userId of event.audience.userIds) for (const s of this.sessionsOfUser(userId)) this.join(s, event.d.id);
        }
        this.access.invalidate(event.d.id);
        return;
      case 'GUILD_MEMBER_ADD':
        this.access.invalidate(event.d.guild_id);
        return;
      case 'GUILD_MEMBER_REMOVE':
        for (const s of [...this.sessionsOfUser(event.d.user.id)]) this.leave(s, event.d.guild_id);
        this.access.invalidate(event.d.guild_id);
        return;
      case 'GUILD_MEMBER_UPDATE':
        this.access.invalidate(event.d.guild_id);
        return;
      case 'GUILD_UPDATE':
      case 'GUILD_DELETE':
      case 'CHANNEL_CREATE':
      case 'CHANNEL_UPDATE':
      case 'CHANNEL_DELETE':
        this.access.invalidate(event.t === 'GUILD_UPDATE' || event.t === 'GUILD_DELETE' ? event.d.id : event.d.guild_id);
        return;
      case 'GUILD_ROLE_CREATE':
      case 'GUILD_ROLE_UPDATE':
      case 'GUILD_ROLE_DELETE':
        this.access.invalidate(event.d.guild_id);
        return;
      default:
        return;
    }
  }

  /**
   * After delivery: a new member's sessions join the guild (so they get its later events even
   * without a GUILD_CREATE, but not their own GUILD_MEMBER_ADD before the guild itself);
   * GUILD_DELETE recipients are no longer members (or the guild is gone).
   */
  private updateIndexAfter(event: HearthEvent, recipients: readonly GatewaySession[]): void {
    if (event.t === 'GUILD_MEMBER_ADD') {
      for (const session of this.sessionsOfUser(event.d.user.id)) this.join(session, event.d.guild_id);
      return;
    }
    if (event.t !== 'GUILD_DELETE') return;
    for (const session of recipients) this.leave(session, event.d.id);
    if (event.audience.kind === 'guild') for (const session of [...this.sessionsInGuild(event.d.id)]) this.leave(session, event.d.id);
  }

  private async resolve(audience: Audience): Promise<GatewaySession[]> {
    switch (audience.kind) {
      case 'users':
        return audience.userIds.flatMap((userId) => [...this.sessionsOfUser(userId)]);
      case 'guild':
        return [...this.sessionsInGuild(audience.guildId)];
      case 'channel': {
        const viewers = new Map<Snowflake, boolean>();
        const result: GatewaySession[] = [];
        for (const session of [...this.sessionsInGuild(audience.guildId)]) {
          let allowed = viewers.get(session.userId) ?? this.access.cached(audience.guildId, audience.channelId, session.userId);
          if (allowed === undefined) {
            allowed = await this.access.canView(audience.guildId, audience.channelId, session.userId);
            viewers.set(session.userId, allowed);
          }
          if (allowed) result.push(session);
        }
        return result;
      }
      default:
        return missingCase(audience);
    }
  }

  /** The serialized form(s) of an event; each distinct payload is serialized once, lazily. */
  private variants(event: HearthEvent): (session: GatewaySession) => SerializedDispatch {
    switch (event.t) {
      case 'MESSAGE_CREATE':
      case 'MESSAGE_UPDATE': {
        const message = event.d;
        let full: SerializedDispatch | undefined;
        let stripped: SerializedDispatch | undefined;
        return (session) => {
          if (session.readsMessageContent || messageContentExempt(message, session.userId)) {
            return (full ??= serializeDispatch(event.t, message));
          }
          return (stripped ??= serializeDispatch(event.t, withoutMessageContent(message)));
        };
      }
      case 'GUILD_CREATE': {
        const presences = guildPresences(event.d.id, this.usersInGuild(event.d.id), this.presences);
        const guildCreates = new GuildCreateVariants(event.d, presences);
        return (session) => guildCreates.for(session);
      }
      default: {
        let once: SerializedDispatch | undefined;
        return () => (once ??= { t: event.t, json: JSON.stringify(event.d) });
      }
    }
  }
}

