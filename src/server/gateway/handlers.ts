/**
 * What the gateway does with each client opcode. Payloads are parsed once here, at the edge,
 * with the shared zod schemas; anything malformed ends only its own connection, with Discord's
 * close code, and never throws past this module.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { Errors, HearthError, type ErrorName } from '../../shared/errors.js';
import {
  ALL_INTENTS, GatewayOpcode, clientPayloadSchemas, type IdentifyData, type PresenceUpdateData, type ResumeData,
  type VoiceSignalRequest, type VoiceSpeakingRequest, type VoiceStateUpdateData,
} from '../../shared/protocol/gateway.js';
import { gatewayTokenHash } from '../domain/auth.js';
import { clientFromIdentify } from '../domain/client-info.js';
import type { UserRecord } from '../store/store.js';
import { platformOf } from '../presence/presence.js';
import { serializeDispatch } from './dispatch.js';
import type { SessionStartLimits } from './limits.js';
import { buildReady, loadGuildForSession, wantsGuildCreates, type ReadyDeps } from './ready.js';
import { requestGuildMembers } from './member-requests.js';
import { disallowedIntents } from './intents.js';
import type { SerialQueue } from './serial-queue.js';
import { type GatewayConnection, GatewaySession } from './session.js';

/** What the voice module does with op 4, 40 and 41. */
export interface VoiceOpcodeHandlers {
  voiceStateUpdate(session: GatewaySession, data: VoiceStateUpdateData): void | Promise<void>;
  voiceSignal(session: GatewaySession, data: VoiceSignalRequest): void | Promise<void>;
  voiceSpeaking(session: GatewaySession, data: VoiceSpeakingRequest): void | Promise<void>;
}

/** What the handlers use of the gateway. */
export interface GatewayRuntime extends ReadyDeps {
  sessionStarts: SessionStartLimits;
  queue: SerialQueue;
  voice: VoiceOpcodeHandlers;
  /** Records what a session says about its presence and fans out the change, if any. */
  setSessionPresence(session: GatewaySession, presence: Pick<PresenceUpdateData, 'status' | 'activities'>): void;
}

/** Closes a connection with the close code and message of a catalogue error. */
export function closeWith(connection: GatewayConnection, name: ErrorName, reason?: string): void {
  const entry = Errors[name];
  connection.close('closeCode' in entry ? entry.closeCode : 4000, reason ?? entry.message);
}

/** Parses `d` for an opcode with its schema; on failure closes with 4002 and returns undefined. */
function parseData<S extends z.ZodType>(connection: GatewayConnection, schema: S, d: unknown): z.output<S> | undefined {
  const result = schema.safeParse(d);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  closeWith(connection, 'GATEWAY_DECODE_ERROR', `Invalid payload${issue ? ` at ${issue.path.join('.') || 'd'}: ${issue.message}` : ''}`);
  return undefined;
}

/** Decodes one client message into `{op, d}`, or closes with 4002 and returns undefined. */
export function decodeMessage(connection: GatewayConnection, text: string): { op: number; d: unknown } | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    closeWith(connection, 'GATEWAY_DECODE_ERROR');
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || !('op' in payload) || !Number.isInteger(payload.op)) {
    closeWith(connection, 'GATEWAY_DECODE_ERROR', 'Error while decoding payload: expected {op, d}.');
    return undefined;
  }
  return { op: payload.op as number, d: 'd' in payload ? payload.d : null };
}

/** Handles one decoded client payload. */
export function handlePayload(rt: GatewayRuntime, connection: GatewayConnection, op: number, d: unknown, now: number): void {
  switch (op) {
    case GatewayOpcode.HEARTBEAT: {
      if (parseData(connection, clientPayloadSchemas[GatewayOpcode.HEARTBEAT], d) === undefined) return;
      connection.lastHeartbeatAt = now;
      connection.heartbeatRequested = false;
      // A connected client counts as using its sign-in, however long it makes no REST call.
      if (connection.session) rt.ctx.auth.noteUse(connection.session.tokenHash);
      connection.sendControl({ op: GatewayOpcode.HEARTBEAT_ACK, d: null, s: null, t: null });
      return;
    }
    case GatewayOpcode.IDENTIFY:
    case GatewayOpcode.RESUME: {
      if (connection.session || connection.authenticating) return closeWith(connection, 'GATEWAY_ALREADY_AUTHENTICATED');
      if (op === GatewayOpcode.IDENTIFY) {
        const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.IDENTIFY], d);
        if (data) runAuthentication(rt, connection, () => identify(rt, connection, data));
      } else {
        const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.RESUME], d);
        if (data) runAuthentication(rt, connection, () => resume(rt, connection, data));
      }
      return;
    }
    case GatewayOpcode.PRESENCE_UPDATE:
    case GatewayOpcode.VOICE_STATE_UPDATE:
    case GatewayOpcode.REQUEST_GUILD_MEMBERS:
    case GatewayOpcode.VOICE_SIGNAL:
    case GatewayOpcode.VOICE_SPEAKING:
      return handleSessionPayload(rt, connection, op, d, now);
    default:
      return closeWith(connection, 'GATEWAY_UNKNOWN_OPCODE', `Unknown opcode ${op}.`);
  }
}

/** Opcodes that need an identified session. */
function handleSessionPayload(rt: GatewayRuntime, connection: GatewayConnection, op: number, d: unknown, now: number): void {
  const session = connection.session;
  if (!session) return closeWith(connection, 'GATEWAY_NOT_AUTHENTICATED');
  const log = rt.ctx.logger;
  switch (op) {
    case GatewayOpcode.PRESENCE_UPDATE: {
      if (!connection.hitPresenceLimit(now)) return closeWith(connection, 'RATE_LIMITED', 'Presence updates are limited to 5 per 20 seconds.');
      const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.PRESENCE_UPDATE], d);
      if (data) rt.setSessionPresence(session, data);
      return;
    }
    case GatewayOpcode.REQUEST_GUILD_MEMBERS: {
      const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.REQUEST_GUILD_MEMBERS], d);
      if (data) requestGuildMembers(rt, session, data).catch((error: unknown) => log.error({ err: error }, 'member request failed'));
      return;
    }
    case GatewayOpcode.VOICE_STATE_UPDATE: {
      const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.VOICE_STATE_UPDATE], d);
      if (data) Promise.resolve(rt.voice.voiceStateUpdate(session, data)).catch((error: unknown) => log.error({ err: error }, 'voice state update failed'));
      return;
    }
    case GatewayOpcode.VOICE_SIGNAL: {
      const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.VOICE_SIGNAL], d);
      if (data) Promise.resolve(rt.voice.voiceSignal(session, data)).catch((error: unknown) => log.error({ err: error }, 'voice signal failed'));
      return;
    }
    case GatewayOpcode.VOICE_SPEAKING: {
      const data = parseData(connection, clientPayloadSchemas[GatewayOpcode.VOICE_SPEAKING], d);
      if (data) Promise.resolve(rt.voice.voiceSpeaking(session, data)).catch((error: unknown) => log.error({ err: error }, 'voice speaking failed'));
      return;
    }
  }
}

/** Runs IDENTIFY or RESUME; an unexpected failure ends the connection (resumably) with 4000. */
function runAuthentication(rt: GatewayRuntime, connection: GatewayConnection, job: () => Promise<void>): void {
  connection.authenticating = true;
  job()
    .catch((error: unknown) => {
      if (error instanceof HearthError && error.entry.closeCode !== undefined) return closeWith(connection, error.errorName);
      rt.ctx.logger.error({ err: error }, 'gateway authentication failed');
      closeWith(connection, 'INTERNAL');
    })
    .finally(() => {
      connection.authenticating = false;
    });
}

/** Checks what IDENTIFY asks for; returns the error to close with, if any. */
function identifyProblem(data: IdentifyData, user: UserRecord): { name: ErrorName; reason?: string } | undefined {
  if (user.bot && data.intents === undefined) return { name: 'GATEWAY_INVALID_INTENTS', reason: 'Bots must send intents in IDENTIFY.' };
  if (data.shard && (data.shard[1] !== 1 || data.shard[0] !== 0)) {
    return { name: 'GATEWAY_INVALID_SHARD', reason: 'This server runs one shard: use shard [0, 1].' };
  }
  return undefined;
}

/** A bot asking for a privileged intent its application has switched off: 4014. */
async function privilegedIntentProblem(rt: GatewayRuntime, data: IdentifyData, user: UserRecord): Promise<{ name: ErrorName; reason?: string } | undefined> {
  if (!user.bot || data.intents === undefined) return undefined;
  const application = await rt.ctx.store.getApplicationByBotUser(user.id);
  if (!application || disallowedIntents(data.intents, application.flags) === 0) return undefined;
  return { name: 'GATEWAY_DISALLOWED_INTENTS', reason: 'Disallowed intent(s): enable them in the application settings.' };
}

async function identify(rt: GatewayRuntime, connection: GatewayConnection, data: IdentifyData): Promise<void> {
  if (data.intents !== undefined && (data.intents & ~ALL_INTENTS) !== 0) return closeWith(connection, 'GATEWAY_INVALID_INTENTS');
  const user = await rt.ctx.auth.authenticateGatewayToken(data.token, clientFromIdentify(data.properties));
  if (connection.closing) return;
  const problem = identifyProblem(data, user) ?? (await privilegedIntentProblem(rt, data, user));
  if (connection.closing) return;
  if (problem) return closeWith(connection, problem.name, problem.reason);
  if (!(await rt.sessionStarts.take(user.id))) return closeWith(connection, 'RATE_LIMITED', 'Too many sessions started: wait before identifying again.');

  const session = new GatewaySession(
    randomBytes(16).toString('hex'),
    { id: user.id, bot: user.bot },
    data.intents ?? ALL_INTENTS,
    platformOf(data.properties.browser),
    rt.ctx.config.replayBufferSize,
    gatewayTokenHash(data.token),
  );
  session.attach(connection);
  // Registered in the fanout queue: every event published after the guild list was read reaches it.
  const guildIds = await rt.queue.run(async () => {
    const ids = await rt.ctx.store.listGuildIdsOfUser(user.id);
    rt.registry.add(session, ids);
    return ids;
  });
  try {
    rt.setSessionPresence(session, { status: data.presence?.status ?? 'online', activities: data.presence?.activities ?? [] });
    const ready = await buildReady(rt, session, user, guildIds);
    // A session whose connection went away before READY cannot be resumed: it ends now.
    if (connection.closing) return rt.registry.end(session);
    session.sendReady(serializeDispatch('READY', ready));
    if (wantsGuildCreates(session)) {
      for (const guildId of guildIds) {
        const guild = await loadGuildForSession(rt, session, guildId);
        if (guild) session.send(serializeDispatch('GUILD_CREATE', guild));
      }
    }
    session.markReady();
  } catch (error) {
    rt.registry.end(session);
    throw error;
  }
}

async function resume(rt: GatewayRuntime, connection: GatewayConnection, data: ResumeData): Promise<void> {
  const user = await rt.ctx.auth.authenticateGatewayToken(data.token);
  if (connection.closing) return;
  const session = rt.registry.get(data.session_id);
  if (!session || session.ended || session.userId !== user.id || session.seq === 0) return invalidSession(connection);
  const missed = session.missedSince(data.seq ?? 0);
  if (missed === 'future') return closeWith(connection, 'GATEWAY_INVALID_SEQ');
  if (missed === 'gone') return invalidSession(connection);
  // The old connection, if still open (a zombie the client gave up on), loses the session.
  session.connection?.close(4000, 'Session resumed on another connection');
  session.attach(connection);
  connection.sendBurst(missed);
  session.send(serializeDispatch('RESUMED', null));
}

/** op 9 `d: false`: the client must IDENTIFY again (it may on this same connection). */
function invalidSession(connection: GatewayConnection): void {
  connection.sendControl({ op: GatewayOpcode.INVALID_SESSION, d: false, s: null, t: null });
}
