/**
 * Builds a Hearth server without listening: Fastify app, store, event bus, gateway. Tests drive
 * it directly; `index.ts` adds the command line and `listen`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Errors, HearthError } from '../shared/errors.js';
import { isInviteCode } from '../shared/invite.js';
import { SnowflakeGenerator } from '../shared/snowflake.js';
import { publicBaseUrl, resolveConfig, type ServerConfig, type ServerConfigInput } from './config.js';
import type { ServerContext } from './context.js';
import { InProcessEventBus } from './bus/events.js';
import { createLogger, type Logger } from './logger.js';
import { describeStore, openStore } from './store/index.js';
import { registerApiRoutes } from './api/index.js';
import { registerImageRoutes } from './api/images.js';
import { registerAttachmentRoutes } from './api/attachment-files.js';
import { AttachmentUrlSigner } from './api/attachment-urls.js';
import { Authenticator } from './domain/auth.js';
import { Gateway } from './gateway/gateway.js';
import { SessionStartLimiter } from './gateway/limits.js';
import { LocalGatewayRegistry } from './gateway/registry.js';
import { PresenceTracker } from './presence/presence.js';
import { LocalVoiceStateRegistry } from './voice/voice-states.js';
import { VoiceService } from './voice/voice-service.js';
import { MemoryRateLimitCounters } from './api/rate-limit.js';
import { OWASP_SCRYPT, PasswordHasher, type ScryptCost } from './api/passwords.js';
import { ServerMetrics, timedStore } from './ops/metrics.js';
import { databaseCheck, registerOpsRoutes, type ReadinessChecks } from './ops/routes.js';
import { ClusterNode } from './scale/cluster.js';
import { installSecurityHeaders } from './security-headers.js';
import { limitUnreadBodies } from './unread-bodies.js';

/** A built server: the Fastify app plus what it owns. */
export interface HearthServer {
  app: FastifyInstance;
  context: ServerContext;
  /** The WebSocket gateway at /gateway (sessions, fanout; op 4/40/41 go to `voice`). */
  gateway: Gateway;
  /** Voice states and signaling (op 4, op 40). */
  voice: VoiceService;
  /** This node's place among several (with `--redis`); undefined for a single node. */
  cluster: ClusterNode | undefined;
  /** Listens on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  /** Graceful shutdown: stop accepting, close sockets resumably, close the store. Idempotent. */
  close(): Promise<void>;
}

export interface BuildOptions {
  /** A logger to use instead of one built from the configured level (tests pass a silent one). */
  logger?: Logger;
  /**
   * Tests only: a cheaper scrypt cost so suites that register hundreds of users stay fast. Not a
   * configuration option: a running server always hashes at {@link OWASP_SCRYPT}.
   */
  passwordCost?: ScryptCost;
}

/** Largest JSON body; uploads go through multipart with their own 25 MiB limit. */
const JSON_BODY_LIMIT = 1024 * 1024;

/** The built web client, next to the server build (`dist/renderer`), when present. */
function defaultWebClientDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../renderer'), path.resolve(here, '../../dist/renderer')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

/** Builds the server from a configuration (validated here) without opening a port. */
export async function buildServer(input: ServerConfigInput | ServerConfig = {}, options: BuildOptions = {}): Promise<HearthServer> {
  const config = resolveConfig(input);
  const logger = options.logger ?? createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const metrics = new ServerMetrics();
  const store = timedStore(await openStore(config, logger), metrics);
  // What this node's sessions say about presence; with Redis the node contributes it to the merge across nodes.
  const localPresences = new PresenceTracker();
  let cluster: ClusterNode | undefined;
  try {
    // With Redis, join the other nodes before anything takes an ID: the worker id is leased there.
    cluster = config.redis === undefined ? undefined : await ClusterNode.join({
      redisUrl: config.redis, workerId: config.workerId, identifyLimit: config.identifyLimit, identifyWindowMs: config.identifyWindowMs,
      leaseTtlMs: config.nodeLeaseMs, logger, store, presences: localPresences,
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  const app = Fastify({
    // Typed as Fastify's base logger so the app is a plain FastifyInstance that route modules accept.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: JSON_BODY_LIMIT,
    // Per-request lines only when debugging: at info level a busy server would log every request twice.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    forceCloseConnections: true,
    // Behind a load balancer the client's address comes from X-Forwarded-For, believed only from these proxies.
    trustProxy: config.trustProxy ?? false,
    // URLs the router cannot match at all (a parameter over 100 characters, broken percent-encoding) get the same JSON errors.
    frameworkErrors: (error, _request, reply) => sendError(reply as FastifyReply, toHearthError(error)),
  });

  let baseUrl = publicBaseUrl(config, config.port);
  const events = cluster?.events ?? new InProcessEventBus();
  const context: ServerContext = {
    config,
    store,
    events,
    ids: new SnowflakeGenerator({ workerId: cluster?.workerId ?? config.workerId ?? 0 }),
    logger,
    auth: new Authenticator(store, { inactivityExpiryMs: config.tokenInactivityDays * 86_400_000, events, logger }),
    attachmentUrls: await AttachmentUrlSigner.open(store),
    baseUrl: () => baseUrl,
    sessionStarts: cluster?.sessionStarts ?? new SessionStartLimiter(config.identifyLimit, config.identifyWindowMs),
    voiceStates: cluster?.voiceStates ?? new LocalVoiceStateRegistry(),
    rateLimits: cluster?.rateLimits ?? new MemoryRateLimitCounters(),
    metrics,
    passwords: new PasswordHasher(options.passwordCost ?? OWASP_SCRYPT, metrics.passwordHashes),
  };
  // Sessions first, then voice over them, then the gateway that hands voice its opcodes.
  const presences = cluster?.presence ?? localPresences;
  const registry = new LocalGatewayRegistry(store, presences);
  const voice = new VoiceService(context, cluster ? cluster.sessionsFor(registry) : registry, context.voiceStates);
  const gateway = new Gateway(context, { registry, localPresences, presences, sharedPresence: cluster?.presence, voice });
  app.server.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head));

  installErrorHandling(app);
  installSecurityHeaders(app);
  limitUnreadBodies(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  const readiness: ReadinessChecks = { database: databaseCheck(context) };
  if (cluster) readiness.redis = () => cluster.ping();
  registerOpsRoutes(app, context, readiness);
  registerImageRoutes(app, context);
  registerAttachmentRoutes(app, context);
  await app.register(async (api) => registerApiRoutes(api, context, voice), { prefix: '/api/v10' });

  const webClientDir = config.webClientDir ?? defaultWebClientDir();
  if (webClientDir) await app.register(fastifyStatic, { root: path.resolve(webClientDir), prefix: '/', wildcard: false });
  // Shareable invite links (`<server>/invite/CODE`) open the web client, which offers to join.
  app.get<{ Params: { code: string } }>('/invite/:code', async (request, reply) => {
    if (!isInviteCode(request.params.code)) throw new HearthError('UNKNOWN_INVITE');
    return reply.redirect(`/?invite=${encodeURIComponent(request.params.code)}`, 302);
  });
  // The desktop auto-update feed (electron-updater's generic provider). `latest*.yml` must not be
  // cached or clients would miss a release; installers are immutable once published.
  if (config.updatesDir) {
    await app.register(fastifyStatic, {
      root: path.resolve(config.updatesDir),
      prefix: '/updates/',
      decorateReply: false,
      index: false,
      setHeaders: (reply, filePath) => {
        if (filePath.endsWith('.yml')) void reply.header('Cache-Control', 'no-cache');
      },
    });
  }

  let closing: Promise<void> | undefined;
  return {
    app,
    context,
    gateway,
    voice,
    cluster,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      baseUrl = publicBaseUrl(config, port);
      const node = cluster ? { nodeId: cluster.nodeId, workerId: cluster.workerId } : {};
      logger.info({ url: baseUrl, dataDir: config.dataDir, store: describeStore(config), ...node }, 'Hearth server listening');
      return baseUrl;
    },
    close() {
      closing ??= (async () => {
        // RECONNECT and a resumable close for every gateway client before the HTTP server stops.
        await gateway.shutdown();
        voice.close();
        // This node's sessions end with it: their presence and voice states go now, not after a lease expires.
        await cluster?.leave();
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Every error leaves as Discord's JSON body with the catalogue's status. */
function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(new HearthError('NOT_FOUND').toBody());
  });
  app.setErrorHandler((error: FastifyError | HearthError, request, reply) => {
    const known = toHearthError(error);
    if (known.entry.status >= 500) request.log.error({ err: error }, 'request failed');
    sendError(reply, known);
  });
}

function sendError(reply: FastifyReply, error: HearthError): void {
  void reply.code(error.entry.status).send(error.toBody());
}

function toHearthError(error: FastifyError | HearthError): HearthError {
  if (error instanceof HearthError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new HearthError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HearthError('MALFORMED_JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HearthError('INVALID_FORM_BODY', undefined, 'Unsupported content type');
  }
  if (error instanceof SyntaxError) return new HearthError('MALFORMED_JSON');
  if (error.statusCode === 404) return new HearthError('NOT_FOUND');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HearthError('INVALID_FORM_BODY', undefined, error.message);
  }
  return new HearthError('INTERNAL', undefined, Errors.INTERNAL.message);
}
