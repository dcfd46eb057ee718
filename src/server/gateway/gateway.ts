/**
 * The WebSocket gateway at `/gateway` (Discord v10 shapes): one `ws` server without its own
 * HTTP listener (`noServer` + `handleUpgrade`), a 4096-byte `maxPayload`, one sweep timer for
 * heartbeats and resume windows, and the fanout of every bus event to the sessions allowed to
 * see it. Query: `?v=10&encoding=json[&compress=zlib-stream]`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { GatewayCloseCode, Errors } from '../../shared/errors.js';
import { missingCase } from '../../shared/missing-case.js';
import { GATEWAY_VERSION, GatewayOpcode, type DispatchEvents, type PresenceUpdateData } from '../../shared/protocol/gateway.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import type { ControlEvent, HearthEvent } from '../bus/events.js';
import { toSessionStatus, type PresenceTracker, type PresenceView, type VisiblePresence } from '../presence/presence.js';
import { closeWith, decodeMessage, handlePayload, type GatewayRuntime, type VoiceOpcodeHandlers } from './handlers.js';
import { MAX_CLIENT_PAYLOAD_BYTES, type SessionStartLimits } from './limits.js';
import type { LocalGatewayRegistry } from './registry.js';
import { SerialQueue } from './serial-queue.js';
import { GatewayConnection, type GatewaySession, type SendLimits } from './session.js';
import { clientAddressResolver, UnidentifiedConnections } from './admission.js';

/**
 * The server's WebSocket. ws closes with 1009 when a message exceeds `maxPayload` and 1007 on
 * invalid UTF-8; Discord clients expect 4002 "decode error" for both, so those codes are mapped.
 */
class GatewaySocket extends WebSocket {
  connection: GatewayConnection | null = null;

  override close(code?: number, data?: string | Buffer): void {
    if (code === 1009 || code === 1007) return super.close(GatewayCloseCode.DECODE_ERROR, Errors.GATEWAY_DECODE_ERROR.message);
    return super.close(code, data);
  }
}

/** How long shutdown waits for clients to close after RECONNECT before cutting them off. */
const SHUTDOWN_WAIT_MS = 1_000;

/** Presences merged across nodes: told of every change of this node's sessions, it announces the result. */
export interface SharedPresence {
  changed(userId: Snowflake): void;
}

/** What the gateway is built from; `app.ts` builds these first, in dependency order. */
export interface GatewayParts {
  /** This node's sessions and the fanout of events to them. */
  registry: LocalGatewayRegistry;
  /** What this node's sessions say about their users' presence. */
  localPresences: PresenceTracker;
  /** What others see of users' presences: `localPresences` on one node, the merge across nodes on several. */
  presences: PresenceView;
  /** With several nodes, where this node's presence changes go to be merged and announced; on one node the gateway announces them itself. */
  sharedPresence: SharedPresence | undefined;
  /** op 4 VOICE_STATE_UPDATE, op 40 VOICE_SIGNAL and op 41 VOICE_SPEAKING. */
  voice: VoiceOpcodeHandlers;
}

export class Gateway implements GatewayRuntime {
  readonly registry: LocalGatewayRegistry;
  readonly presences: PresenceView;
  readonly voice: VoiceOpcodeHandlers;
  readonly queue = new SerialQueue();
  private readonly localPresences: PresenceTracker;
  private readonly sharedPresence: SharedPresence | undefined;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<GatewayConnection>();
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeControl: () => void;
  private readonly socketHandlers: SocketHandlers;
  private readonly sendLimits: SendLimits;
  private readonly unidentified: UnidentifiedConnections;
  private readonly clientAddress: (request: IncomingMessage) => string;
  private shuttingDown = false;

  constructor(
    readonly ctx: ServerContext,
    parts: GatewayParts,
  ) {
    this.registry = parts.registry;
    this.presences = parts.presences;
    this.localPresences = parts.localPresences;
    this.sharedPresence = parts.sharedPresence;
    this.voice = parts.voice;
    this.registry.onSessionEnd((session) => this.forgetPresence(session));
    // `connections` tracks sockets already; ws's own client set would cost a Set entry and a closure each.
    this.wss = new WebSocketServer({
      noServer: true, clientTracking: false, maxPayload: MAX_CLIENT_PAYLOAD_BYTES, perMessageDeflate: false, WebSocket: GatewaySocket,
    });
    this.socketHandlers = socketHandlers(this);
    this.sendLimits = { maxQueuedBytes: ctx.config.maxSocketBufferBytes, maxQueuedMessages: Math.floor(ctx.config.replayBufferSize / 2) };
    this.unidentified = new UnidentifiedConnections(ctx.config.maxUnidentifiedPerAddress);
    this.clientAddress = clientAddressResolver(ctx.config.trustProxy);
    this.unsubscribe = ctx.events.subscribe((event) => this.onEvent(event));
    this.unsubscribeControl = ctx.events.subscribeControl((event) => this.onControl(event));
    ctx.metrics.watchGateway({ sessionCount: () => this.registry.size, connectionCount: () => this.connections.size });
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), sweepPeriodMs(ctx.config));
    this.sweepTimer.unref();
  }

  get sessionStarts(): SessionStartLimits {
    return this.ctx.sessionStarts;
  }

  /** The HTTP server's `upgrade` listener: accepts `/gateway` and `/gateway/`, refuses anything else. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://gateway.invalid');
    } catch {
      return refuseUpgrade(socket, '400 Bad Request');
    }
    if (url.pathname !== '/gateway' && url.pathname !== '/gateway/') return refuseUpgrade(socket, '404 Not Found');
    if (this.shuttingDown) return refuseUpgrade(socket, '503 Service Unavailable');
    const address = this.clientAddress(request);
    if (this.unidentified.full(address)) return refuseUpgrade(socket, '429 Too Many Requests', TOO_MANY_UNIDENTIFIED);
    // ws completes the upgrade synchronously, so the count checked above is the one `accept` adds to.
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws as GatewaySocket, socket, url.searchParams, address));
  }

  /** Graceful shutdown: RECONNECT to everyone, close resumably, wait briefly, then cut off. */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    clearInterval(this.sweepTimer);
    this.unsubscribe();
    this.unsubscribeControl();
    const closed = [...this.connections].map((connection) => new Promise<void>((resolve) => {
      if (connection.ws.readyState === WebSocket.CLOSED) return resolve();
      connection.ws.once('close', () => resolve());
      connection.sendControl({ op: GatewayOpcode.RECONNECT, d: null, s: null, t: null });
      connection.close(GatewayCloseCode.UNKNOWN_ERROR, 'Server restarting: reconnect and resume');
    }));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref());
    // Events already queued finish before the store closes behind the gateway.
    await Promise.race([Promise.all([...closed, this.queue.idle()]), timeout]);
    for (const connection of this.connections) connection.ws.terminate();
    this.wss.close();
  }

  setSessionPresence(session: GatewaySession, presence: Pick<PresenceUpdateData, 'status' | 'activities'>): void {
    const changed = this.localPresences.set(session.userId, session.id, {
      status: toSessionStatus(presence.status),
      platform: session.platform,
      activities: presence.activities,
      updatedAt: Date.now(),
    });
    if (this.sharedPresence) this.sharedPresence.changed(session.userId);
    else if (changed) this.publishPresence(session.userId, changed);
  }

  private accept(ws: GatewaySocket, socket: Duplex, query: URLSearchParams, address: string): void {
    ws.on('error', this.socketHandlers.error);
    const version = query.get('v');
    if (version !== null && version !== String(GATEWAY_VERSION)) return void ws.close(GatewayCloseCode.INVALID_API_VERSION, Errors.GATEWAY_INVALID_API_VERSION.message);
    const encoding = query.get('encoding');
    if (encoding !== null && encoding !== 'json') return void ws.close(GatewayCloseCode.DECODE_ERROR, 'Unsupported encoding: use json.');
    const compress = query.get('compress');
    if (compress !== null && compress !== 'zlib-stream') return void ws.close(GatewayCloseCode.DECODE_ERROR, 'Unsupported compression: use zlib-stream.');
    const connection = new GatewayConnection(ws, socket, { compress: compress === 'zlib-stream', limits: this.sendLimits, address, unidentified: this.unidentified }, Date.now());
    ws.connection = connection;
    this.connections.add(connection);
    ws.on('message', this.socketHandlers.message);
    ws.on('close', this.socketHandlers.close);
    connection.sendControl({ op: GatewayOpcode.HELLO, d: { heartbeat_interval: this.ctx.config.heartbeatIntervalMs }, s: null, t: null });
  }

  /** One message from a client; nothing it contains can throw past here. */
  onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    if (connection.closing) return;
    // Binary frames are ETF's; a JSON connection takes text only (Discord closes with 4002 too).
    if (isBinary) return closeWith(connection, 'GATEWAY_DECODE_ERROR', 'Binary frames are not accepted with encoding=json.');
    const now = Date.now();
    try {
      if (!connection.clientEvents.hit(now)) return closeWith(connection, 'RATE_LIMITED', 'You are sending too many payloads: 120 per 60 seconds.');
      const payload = decodeMessage(connection, rawText(data));
      if (payload) handlePayload(this, connection, payload.op, payload.d, now);
    } catch (error) {
      this.ctx.logger.error({ err: error }, 'gateway message handling failed');
      closeWith(connection, 'INTERNAL');
    }
  }

  /** The socket is gone, however it went: the session (if any) becomes resumable. */
  onClose(connection: GatewayConnection): void {
    connection.closed(Date.now());
    this.connections.delete(connection);
  }

  private onEvent(event: HearthEvent): void {
    const { metrics } = this.ctx;
    this.queue
      .run(async () => {
        const endFanout = metrics.fanoutSeconds.startTimer();
        const sent = await this.registry.deliver(event);
        endFanout();
        if (sent > 0) metrics.dispatches.inc({ event: event.t }, sent);
      })
      .catch((error: unknown) => {
        this.ctx.logger.error({ err: error, t: event.t }, 'gateway fanout failed');
      });
    // A new member now shares this guild with everyone in it: they see the member's presence
    // (announced by the nodes holding the member's sessions, once each).
    const memberHere = event.t === 'GUILD_MEMBER_ADD' && !isEmpty(this.registry.sessionsOfUser(event.d.user.id));
    if (event.t === 'GUILD_MEMBER_ADD' && memberHere && this.presences.isVisible(event.d.user.id)) {
      this.publishPresenceTo(event.d.guild_id, this.presences.get(event.d.user.id));
    }
  }

  /** Control events from any node: revoked tokens end their sessions (4004); session-addressed dispatches. */
  private onControl(event: ControlEvent): void {
    switch (event.kind) {
      case 'tokens-revoked': {
        const revoked = new Set(event.tokenHashes);
        for (const session of [...this.registry.all()]) if (revoked.has(session.tokenHash)) this.endRevokedSession(session);
        return;
      }
      case 'user-tokens-revoked':
        for (const session of [...this.registry.sessionsOfUser(event.userId)]) this.endRevokedSession(session);
        return;
      case 'session-dispatch':
        // The publishing node built `d` for `t` (scale/cluster.ts ClusterSessions); it crossed Redis as JSON.
        this.registry.sendTo(event.sessionId, event.t, event.d as DispatchEvents[typeof event.t]);
        return;
      case 'voice-state-set':
      case 'voice-state-removed':
        return; // The voice state replica follows these (scale/cluster-voice-states.ts).
      default:
        return missingCase(event);
    }
  }

  /** A session whose token was revoked: closed with 4004 and ended (a RESUME would fail anyway). */
  private endRevokedSession(session: GatewaySession): void {
    if (session.connection) closeWith(session.connection, 'INVALID_AUTH_TOKEN', 'Authentication failed: the token was revoked.');
    this.registry.end(session);
  }

  /** PRESENCE_UPDATE, once per guild the user is in, to that guild's sessions only. */
  private publishPresence(userId: string, presence: VisiblePresence): void {
    const guildIds = new Set<string>();
    for (const session of this.registry.sessionsOfUser(userId)) for (const guildId of session.guildIds) guildIds.add(guildId);
    for (const guildId of guildIds) this.publishPresenceTo(guildId, presence);
  }

  private publishPresenceTo(guildId: string, presence: VisiblePresence): void {
    this.ctx.events.publish({ t: 'PRESENCE_UPDATE', d: { ...presence, guild_id: guildId }, audience: { kind: 'guild', guildId } });
  }

  /** Identify and heartbeat deadlines for connections; resume windows for detached sessions. */
  private sweep(now: number): void {
    const { heartbeatIntervalMs, heartbeatGraceMs, resumeWindowMs, identifyTimeoutMs } = this.ctx.config;
    for (const connection of this.connections) {
      if (connection.closing) continue;
      if (!connection.session && !connection.authenticating && now - connection.openedAt >= identifyTimeoutMs) {
        closeWith(connection, 'GATEWAY_NOT_AUTHENTICATED', `Not authenticated: IDENTIFY or RESUME within ${identifyTimeoutMs / 1000} seconds.`);
        continue;
      }
      const silence = now - connection.lastHeartbeatAt;
      if (silence > heartbeatIntervalMs + heartbeatGraceMs) {
        closeWith(connection, 'GATEWAY_SESSION_TIMED_OUT');
      } else if (silence > heartbeatIntervalMs && !connection.heartbeatRequested) {
        connection.heartbeatRequested = true;
        connection.sendControl({ op: GatewayOpcode.HEARTBEAT, d: null, s: null, t: null });
      }
    }
    for (const session of this.registry.all()) {
      // The resume window passed: the session ends (end listeners: presence, voice).
      if (!session.connection && session.detachedAt !== 0 && now - session.detachedAt >= resumeWindowMs) this.registry.end(session);
    }
    this.sessionStarts.prune(now);
  }

  /** A session ended: what it said about its user's presence no longer counts (maybe now offline). */
  private forgetPresence(session: GatewaySession): void {
    const changed = this.localPresences.remove(session.userId, session.id);
    if (this.sharedPresence) this.sharedPresence.changed(session.userId);
    else if (changed) this.publishPresence(session.userId, changed);
  }
}

/** Often enough for the identify and heartbeat deadlines and the resume window to be met closely; at most once a second. */
function sweepPeriodMs(config: ServerContext['config']): number {
  const finest = Math.min(config.heartbeatIntervalMs / 4, config.heartbeatGraceMs / 2 || 1_000, config.resumeWindowMs / 2 || 1_000, config.identifyTimeoutMs / 4);
  return Math.max(50, Math.min(1_000, Math.floor(finest)));
}

interface SocketHandlers {
  message(this: WebSocket, data: RawData, isBinary: boolean): void;
  close(this: WebSocket): void;
  error(this: WebSocket, error: Error): void;
}

/** Listeners shared by every socket of a gateway (`this` is the socket), so a connection adds no closures. */
function socketHandlers(gateway: Gateway): SocketHandlers {
  return {
    message(data, isBinary) {
      const connection = (this as GatewaySocket).connection;
      if (connection) gateway.onMessage(connection, data, isBinary);
    },
    close() {
      const connection = (this as GatewaySocket).connection;
      if (connection) gateway.onClose(connection);
    },
    // Resets and writes after close end only this connection; 'close' follows.
    error(error) {
      gateway.ctx.logger.debug({ err: error }, 'gateway socket error');
    },
  };
}

function isEmpty(items: Iterable<unknown>): boolean {
  return items[Symbol.iterator]().next().done === true;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The body of a refused upgrade from an address holding too many unidentified connections. */
const TOO_MANY_UNIDENTIFIED = JSON.stringify({ message: 'Too many connections from your address are waiting to identify.', retry_after: 1, global: false });

function refuseUpgrade(socket: Duplex, status: string, jsonBody = ''): void {
  const headers = jsonBody ? `Content-Type: application/json\r\nRetry-After: 1\r\n` : '';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n${headers}Content-Length: ${Buffer.byteLength(jsonBody)}\r\n\r\n${jsonBody}`);
}
