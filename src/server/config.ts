/**
 * Server configuration: one schema-checked object built at start-up from command-line flags and
 * environment variables (flags win). Nothing else reads `process.env`.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const iceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** The validated configuration. Defaults make `hearth` run with no options at all. */
export const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  /** Base URL clients use to reach this node (gateway URLs, attachment URLs). Derived from host/port when absent. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  logLevel: z.enum(logLevels).default('info'),
  /** Gateway heartbeat interval sent in HELLO. */
  heartbeatIntervalMs: z.coerce.number().int().min(1000).max(600_000).default(41_250),
  /** Silence allowed past the heartbeat interval before a connection is closed with 4009. */
  heartbeatGraceMs: z.coerce.number().int().min(0).max(600_000).default(15_000),
  /** Sessions (IDENTIFY) one user may start per `identifyWindowMs`, like Discord's session_start_limit. */
  identifyLimit: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  identifyWindowMs: z.coerce.number().int().min(1000).max(7 * 86_400_000).default(86_400_000),
  /** How long a disconnected session stays resumable. */
  resumeWindowMs: z.coerce.number().int().min(0).max(3_600_000).default(180_000),
  /** Bytes waiting for a slow socket (beyond the little it holds) after which it is closed (resumable). */
  maxSocketBufferBytes: z.coerce.number().int().min(16_384).default(4 * 1024 * 1024),
  /** How long a gateway connection may stay without IDENTIFY or RESUME before it is closed with 4003. */
  identifyTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** Gateway connections one address may hold at once before they identify; more are refused with HTTP 429. */
  maxUnidentifiedPerAddress: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Events kept per session for RESUME. */
  replayBufferSize: z.coerce.number().int().min(10).max(100_000).default(1000),
  /** Largest voice channel (WebRTC mesh) the server allows. */
  voiceMeshLimit: z.coerce.number().int().min(2).max(50).default(10),
  /** STUN/TURN servers handed to clients, as JSON (e.g. a coturn URL with credentials). */
  iceServers: z.array(iceServerSchema).default([]),
  /**
   * Directory of signed desktop update files served at /updates/: a file host only. Desktop apps
   * never look here by themselves; an operator points them at it with an update-policy.json that
   * names this feed and its signing key (docs/desktop.md).
   */
  updatesDir: z.string().min(1).optional(),
  /**
   * Snowflake worker id (0–31), unique per node. Without Redis it defaults to 0; with Redis it is
   * leased there at start-up (a taken id is refused; none configured picks a free one).
   */
  workerId: z.coerce.number().int().min(0).max(31).optional(),
  /** Serve the built web client from this directory at `/` (set by the start script). */
  webClientDir: z.string().min(1).optional(),
  /** PostgreSQL URL (several nodes share it); absent = the embedded SQLite file in the data directory. */
  database: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL, e.g. postgres://hearth:password@db.example.org:5432/hearth')
    .optional(),
  /** Most PostgreSQL connections this node keeps open. */
  databasePoolSize: z.coerce.number().int().min(1).max(1000).default(10),
  /** Redis URL shared by every node (events, presence, voice, rate limits, worker ids); absent = one node, in-process. */
  redis: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL, e.g. redis://:password@redis.example.org:6379/0')
    .optional(),
  /**
   * Addresses of reverse proxies (load balancers) whose `X-Forwarded-For` is believed, comma
   * separated (IPs or CIDRs). Without it, behind nginx every request would seem to come from nginx
   * and per-IP limits (login throttles) would throttle everyone together.
   */
  trustProxy: z
    .string()
    .regex(/^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/, 'must be IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8')
    .optional(),
  /** User sign-ins (tokens) unused for this many days stop working; 0 keeps them until signed out. */
  tokenInactivityDays: z.coerce.number().min(0).max(3650).default(0),
  /** With Redis: how long a node's worker id lease and liveness last without a refresh (a crashed node's sessions end after it). */
  nodeLeaseMs: z.coerce.number().int().min(300).max(300_000).default(15_000),
});

export type ServerConfig = z.output<typeof configSchema>;
/** What callers (tests, scripts) may pass: every field optional. */
export type ServerConfigInput = z.input<typeof configSchema>;

interface OptionSpec {
  key: keyof ServerConfig;
  flag: string;
  env: string;
  description: string;
  json?: boolean;
}

/** Every option, its flag and its environment variable; `--help` prints this table. */
export const OPTIONS: readonly OptionSpec[] = [
  { key: 'host', flag: 'host', env: 'HEARTH_HOST', description: 'Address to listen on (default 127.0.0.1; 0.0.0.0 for all)' },
  { key: 'port', flag: 'port', env: 'HEARTH_PORT', description: 'TCP port (default 8080; 0 picks a free port)' },
  { key: 'dataDir', flag: 'data-dir', env: 'HEARTH_DATA_DIR', description: 'Directory for the SQLite database and uploads (default ./data)' },
  { key: 'publicUrl', flag: 'public-url', env: 'HEARTH_PUBLIC_URL', description: 'Public base URL of this server, e.g. https://chat.example.org' },
  { key: 'logLevel', flag: 'log-level', env: 'HEARTH_LOG_LEVEL', description: `Log level: ${logLevels.join(', ')} (default info)` },
  { key: 'heartbeatIntervalMs', flag: 'heartbeat-interval', env: 'HEARTH_HEARTBEAT_INTERVAL', description: 'Gateway heartbeat interval in ms (default 41250)' },
  { key: 'heartbeatGraceMs', flag: 'heartbeat-grace', env: 'HEARTH_HEARTBEAT_GRACE', description: 'Extra silence allowed after the heartbeat interval before close 4009, in ms (default 15000)' },
  { key: 'identifyLimit', flag: 'identify-limit', env: 'HEARTH_IDENTIFY_LIMIT', description: 'Gateway sessions one user may start per identify window (default 1000)' },
  { key: 'identifyWindowMs', flag: 'identify-window', env: 'HEARTH_IDENTIFY_WINDOW', description: 'Identify window in ms (default 86400000, one day)' },
  { key: 'resumeWindowMs', flag: 'resume-window', env: 'HEARTH_RESUME_WINDOW', description: 'How long a dropped session can resume, in ms (default 180000)' },
  { key: 'maxSocketBufferBytes', flag: 'max-socket-buffer', env: 'HEARTH_MAX_SOCKET_BUFFER', description: 'Bytes waiting for a slow gateway client before it is closed with 4000 (default 4194304)' },
  { key: 'identifyTimeoutMs', flag: 'identify-timeout', env: 'HEARTH_IDENTIFY_TIMEOUT', description: 'Time a gateway connection has to IDENTIFY or RESUME before close 4003, in ms (default 20000)' },
  { key: 'maxUnidentifiedPerAddress', flag: 'max-unidentified', env: 'HEARTH_MAX_UNIDENTIFIED', description: 'Gateway connections per address not yet identified; more get HTTP 429 (default 50)' },
  { key: 'replayBufferSize', flag: 'replay-buffer', env: 'HEARTH_REPLAY_BUFFER', description: 'Events kept per session for resume (default 1000)' },
  { key: 'voiceMeshLimit', flag: 'voice-mesh-limit', env: 'HEARTH_VOICE_MESH_LIMIT', description: 'Most participants in one voice channel (default 10)' },
  { key: 'iceServers', flag: 'ice-servers', env: 'HEARTH_ICE_SERVERS', description: 'STUN/TURN servers as JSON: [{"urls":"turn:host:3478","username":"u","credential":"p"}]', json: true },
  { key: 'updatesDir', flag: 'updates-dir', env: 'HEARTH_UPDATES_DIR', description: 'Serve signed desktop update files from this directory at /updates/ (apps use it only when their update policy names it)' },
  { key: 'workerId', flag: 'worker-id', env: 'HEARTH_WORKER_ID', description: 'Snowflake worker id 0-31, unique per node (default 0; with --redis a free one is leased)' },
  { key: 'webClientDir', flag: 'web-client-dir', env: 'HEARTH_WEB_CLIENT_DIR', description: 'Directory of the built web client to serve at / (default: the bundled build)' },
  { key: 'database', flag: 'database', env: 'HEARTH_DATABASE_URL', description: 'PostgreSQL URL postgres://user:password@host:5432/db (default: SQLite in the data dir)' },
  { key: 'databasePoolSize', flag: 'database-pool-size', env: 'HEARTH_DATABASE_POOL_SIZE', description: 'Most PostgreSQL connections per node (default 10)' },
  { key: 'trustProxy', flag: 'trust-proxy', env: 'HEARTH_TRUST_PROXY', description: 'Proxies whose X-Forwarded-For is trusted, e.g. 127.0.0.1,10.0.0.0/8 (default: none)' },
  { key: 'redis', flag: 'redis', env: 'HEARTH_REDIS_URL', description: 'Redis URL redis://[:password@]host:6379[/db] shared by several nodes (default: one node, no Redis)' },
  { key: 'tokenInactivityDays', flag: 'token-inactivity-days', env: 'HEARTH_TOKEN_INACTIVITY_DAYS', description: 'Sign users out of sessions unused for this many days (default 0: never)' },
  { key: 'nodeLeaseMs', flag: 'node-lease', env: 'HEARTH_NODE_LEASE', description: 'With --redis: ms a node counts as alive without refreshing its lease (default 15000)' },
];

/** A configuration problem, naming the option; start-up prints it and exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Text for `--help`. */
export function helpText(): string {
  const rows = OPTIONS.map((o) => `  --${o.flag.padEnd(20)} ${o.env.padEnd(26)} ${o.description}`);
  return ['Usage: hearth-server [options]', '', '  flag                   environment variable       meaning', ...rows, '  --help                 show this help', ''].join('\n');
}

/** Validates a configuration object (tests and scripts build servers with this). */
export function resolveConfig(input: ServerConfigInput = {}): ServerConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const option = OPTIONS.find((o) => o.key === key);
    const name = option ? `--${option.flag} (${option.env})` : key;
    throw new ConfigError(`Invalid value for ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const config = result.data;
  return { ...config, dataDir: path.resolve(config.dataDir) };
}

/** Reads flags and environment variables into a validated configuration, or `'help'`. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' {
  const optionsSpec = Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: 'string' as const }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...optionsSpec, help: { type: 'boolean' } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run with --help to list the options.`);
  }
  if (parsed.values.help) return 'help';
  const input: Record<string, unknown> = {};
  for (const option of OPTIONS) {
    const raw = (parsed.values[option.flag] as string | undefined) ?? env[option.env];
    if (raw === undefined || raw === '') continue;
    if (option.json) {
      try {
        input[option.key] = JSON.parse(raw);
      } catch {
        throw new ConfigError(`Invalid value for --${option.flag} (${option.env}): not valid JSON`);
      }
    } else {
      input[option.key] = raw;
    }
  }
  return resolveConfig(input as ServerConfigInput);
}

/** The base URL clients use: the configured public URL or one derived from the listening address. */
export function publicBaseUrl(config: ServerConfig, listeningPort: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listeningPort}`;
}
