/**
 * What every part of the server shares: configuration, store, event bus, ID generator, logger,
 * and the authentication of tokens (REST and gateway use the same rule).
 */
import type { ServerConfig } from './config.js';
import type { Store, UserRecord } from './store/store.js';
import type { EventBus } from './bus/events.js';
import type { SnowflakeGenerator } from '../shared/snowflake.js';
import type { Logger } from './logger.js';
import type { SessionStartLimits } from './gateway/limits.js';
import type { RateLimitCounters } from './api/rate-limit.js';
import type { ServerMetrics } from './ops/metrics.js';
import type { VoiceStateRegistry } from './voice/voice-states.js';
import type { VoiceService } from './voice/voice-service.js';
import type { PasswordHasher } from './api/passwords.js';
import { HearthError } from '../shared/errors.js';
import { hashToken, parseAuthorization } from './tokens.js';

export interface ServerContext {
  config: ServerConfig;
  store: Store;
  events: EventBus;
  ids: SnowflakeGenerator;
  logger: Logger;
  /** Base URL of this node as clients reach it (known once listening). */
  baseUrl(): string;
  /** Gateway sessions each user may still start (IDENTIFY; reported by `GET /gateway/bot`). */
  sessionStarts: SessionStartLimits;
  /** Who is in which voice channel (READY and GUILD_CREATE carry it; the voice module keeps it). */
  voiceStates: VoiceStateRegistry;
  /** Moderator voice moves (`PATCH /guilds/:g/members/:u {channel_id}`); installed with the gateway. */
  voice?: Pick<VoiceService, 'moveMember'>;
  /** REST rate-limit buckets and login throttles (in memory, or in Redis shared by every node). */
  rateLimits: RateLimitCounters;
  /** Prometheus metrics of this node (`GET /metrics`). */
  metrics: ServerMetrics;
  /** Hashes and checks passwords (scrypt on the thread pool, a few at a time). */
  passwords: PasswordHasher;
}

/**
 * Resolves an `Authorization` header (or a gateway IDENTIFY token, passed as `Bot <t>` for bots)
 * to its user. A bot token sent without `Bot `, or a user token with it, is refused like a bad one.
 */
export async function authenticate(store: Store, authorization: string | undefined): Promise<UserRecord> {
  const parsed = parseAuthorization(authorization);
  if (!parsed) throw new HearthError('UNAUTHORIZED');
  const userId = await store.getUserIdByToken(hashToken(parsed.token));
  const user = userId === undefined ? undefined : await store.getUser(userId);
  if (!user || user.bot !== parsed.bot) throw new HearthError('UNAUTHORIZED');
  return user;
}

/** A gateway token without the optional `Bot ` prefix (see {@link authenticateGatewayToken}). */
function gatewayToken(token: string): string {
  return token.trim().replace(/^Bot\s+/, '');
}

/** The stored form of a gateway IDENTIFY token (a session remembers it to end when it is revoked). */
export function gatewayTokenHash(token: string): string {
  return hashToken(gatewayToken(token));
}

/**
 * Resolves a gateway IDENTIFY/RESUME token to its user, bot or not. Bot libraries (discord.js)
 * send the raw token there, without `Bot `, so an optional `Bot ` prefix is stripped and the
 * account kind is not checked against it (unlike {@link authenticate} for REST).
 */
export async function authenticateGatewayToken(store: Store, token: string): Promise<UserRecord> {
  const raw = gatewayToken(token);
  if (raw.length === 0) throw new HearthError('INVALID_AUTH_TOKEN');
  const userId = await store.getUserIdByToken(hashToken(raw));
  const user = userId === undefined ? undefined : await store.getUser(userId);
  if (!user) throw new HearthError('INVALID_AUTH_TOKEN');
  return user;
}
