/**
 * What every part of the server shares: configuration, store, event bus, ID generator, logger,
 * token authentication, and the per-node parts that several nodes share through Redis. It is
 * built first, from parts that depend on nothing else of the server; the gateway, voice and the
 * REST routes receive it (and each other) through their constructors.
 */
import type { ServerConfig } from './config.js';
import type { Store } from './store/store.js';
import type { EventBus } from './bus/events.js';
import type { SnowflakeGenerator } from '../shared/snowflake.js';
import type { Logger } from './logger.js';
import type { SessionStartLimits } from './gateway/limits.js';
import type { RateLimitCounters } from './api/rate-limit.js';
import type { ServerMetrics } from './ops/metrics.js';
import type { VoiceStateRegistry } from './voice/voice-states.js';
import type { Authenticator } from './domain/auth.js';
import type { AttachmentUrlSigner } from './api/attachment-urls.js';
import type { PasswordHasher } from './api/passwords.js';

export interface ServerContext {
  config: ServerConfig;
  store: Store;
  events: EventBus;
  ids: SnowflakeGenerator;
  logger: Logger;
  /** Resolves REST `Authorization` headers and gateway tokens to users. */
  auth: Authenticator;
  /** Signs the attachment URLs message payloads carry, and checks them when files are asked for. */
  attachmentUrls: AttachmentUrlSigner;
  /** Base URL of this node as clients reach it (known once listening). */
  baseUrl(): string;
  /** Gateway sessions each user may still start (IDENTIFY; reported by `GET /gateway/bot`). */
  sessionStarts: SessionStartLimits;
  /** Who is in which voice channel (READY and GUILD_CREATE carry it; the voice module keeps it). */
  voiceStates: VoiceStateRegistry;
  /** REST rate-limit buckets and login throttles (in memory, or in Redis shared by every node). */
  rateLimits: RateLimitCounters;
  /** Prometheus metrics of this node (`GET /metrics`). */
  metrics: ServerMetrics;
  /** Hashes and checks passwords (scrypt on the thread pool, a few at a time). */
  passwords: PasswordHasher;
}
