/**
 * RestClient: requests to `/api/v10` with the `Authorization` header, Discord's rate limits
 * honoured per bucket (`X-RateLimit-*`: wait when a bucket is empty; on 429 wait `retry_after`
 * and try again, never fail), idempotent requests retried on network errors and 5xx, and
 * failures surfaced as {@link RestError} with the Discord code and field errors.
 */
import { Errors, type ErrorBody, type ErrorName, type FieldErrorTree, type RateLimitBody } from '../shared/errors.js';
import type { BridgeError } from '../shared/ipc/state.js';
import type { BridgeFile } from '../shared/ipc/bridge.js';
import { defaultUploadTransport, type TransportResponse, type UploadTransport } from './rest-upload.js';

/** A failed request: the server's `{code, message, errors?}` plus the HTTP status (0 = no response). */
export class RestError extends Error {
  override readonly name = 'RestError';

  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldErrorTree,
  ) {
    super(message);
  }

  /** An error from the shared catalogue (client-side failures such as an unreachable server). */
  static fromCatalogue(name: ErrorName, message?: string): RestError {
    const entry = Errors[name];
    return new RestError(entry.status, entry.code, message ?? entry.message);
  }

  /** The structured-clonable shape that crosses the bridge. */
  toBridgeError(): BridgeError {
    return this.errors
      ? { code: this.code, message: this.message, status: this.status, errors: this.errors }
      : { code: this.code, message: this.message, status: this.status };
  }
}

export interface RestClientOptions {
  /** The server's base URL, e.g. `https://chat.example.org` (the API is under `/api/v10`). */
  baseUrl: string;
  token?: string | null;
  fetch?: typeof fetch;
  /** Multipart uploads with progress (default: XMLHttpRequest in browsers, streaming fetch in Node). */
  uploadTransport?: UploadTransport;
  /** Network-error/5xx retries for idempotent requests. Default 3. */
  maxRetries?: number;
  /** First retry delay, doubled each time. Default 500. */
  retryDelayMs?: number;
  /** How many 429s in a row one request waits out before giving up. Default 10. */
  maxRateLimitWaits?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Files to send as `files[n]` with the body as `payload_json`. */
  files?: readonly BridgeFile[];
  onUploadProgress?: (loaded: number, total: number) => void;
  /** Safe to repeat after a network error (GET/PUT/DELETE are; a POST with `enforce_nonce` is too). */
  idempotent?: boolean;
  /** Send without `Authorization` (register, login, invite lookup when signed out). */
  anonymous?: boolean;
  /** Extra request headers (the device token of a sign-in). */
  headers?: Record<string, string>;
}

interface BucketState {
  remaining: number;
  resetAt: number;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

export class RestClient {
  private token: string | null;
  private readonly fetchImpl: typeof fetch;
  private readonly upload: UploadTransport;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Route key → bucket hash the server told us. */
  private readonly routeBuckets = new Map<string, string>();
  private readonly buckets = new Map<string, BucketState>();
  /** Requests of one route run one after another, so bucket counts stay true. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private globalResetAt = 0;

  constructor(private readonly options: RestClientOptions) {
    this.token = options.token ?? null;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.upload = options.uploadTransport ?? defaultUploadTransport(this.fetchImpl);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  get baseUrl(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  getToken(): string | null {
    return this.token;
  }

  /** Sends a request; resolves with the parsed JSON body (undefined for 204). */
  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const route = routeKey(method, path);
    const previous = this.queues.get(route) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.execute<T>(method, path, route, options));
    this.queues.set(route, run);
    void run.finally(() => {
      if (this.queues.get(route) === run) this.queues.delete(route);
    }).catch(() => undefined);
    return run;
  }

  private async execute<T>(method: string, path: string, route: string, options: RequestOptions): Promise<T> {
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const maxRetries = options.files ? 0 : idempotent ? this.options.maxRetries ?? 3 : 0;
    let retries = 0;
    let rateLimitWaits = 0;
    for (;;) {
      await this.waitForBucket(route);
      let response: TransportResponse;
      try {
        response = await this.send(method, path, options);
      } catch (error) {
        if (retries < maxRetries) {
          await this.sleep((this.options.retryDelayMs ?? 500) * 2 ** retries);
          retries += 1;
          continue;
        }
        throw RestError.fromCatalogue('CLIENT_SERVER_UNREACHABLE', networkMessage(error));
      }
      this.updateBucket(route, response);
      if (response.status === 429 && rateLimitWaits < (this.options.maxRateLimitWaits ?? 10)) {
        rateLimitWaits += 1;
        await this.waitOut429(response);
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status) && retries < maxRetries) {
        await this.sleep((this.options.retryDelayMs ?? 500) * 2 ** retries);
        retries += 1;
        continue;
      }
      return parseResponse<T>(response);
    }
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<TransportResponse> {
    const url = new URL(`${this.baseUrl}/api/v10${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { ...options.headers };
    if (this.token && !options.anonymous) headers.Authorization = this.token;
    if (options.files && options.files.length > 0) {
      const form = new FormData();
      form.append('payload_json', JSON.stringify(options.body ?? {}));
      options.files.forEach((file, index) => {
        form.append(`files[${index}]`, new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type || 'application/octet-stream' }), file.name);
      });
      return this.upload({ url: url.toString(), method, headers, body: form, onProgress: options.onUploadProgress ?? (() => undefined) });
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    return this.fetchImpl(url.toString(), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  }

  private async waitForBucket(route: string): Promise<void> {
    const globalWait = this.globalResetAt - this.now();
    if (globalWait > 0) await this.sleep(globalWait);
    const hash = this.routeBuckets.get(route);
    const bucket = hash ? this.buckets.get(bucketKey(hash, route)) : undefined;
    if (!bucket || bucket.remaining > 0) return;
    const wait = bucket.resetAt - this.now();
    if (wait > 0) await this.sleep(wait);
    bucket.remaining = 1; // The window has passed; the next response tells the truth again.
  }

  private updateBucket(route: string, response: TransportResponse): void {
    const hash = response.headers.get('x-ratelimit-bucket');
    const remaining = Number(response.headers.get('x-ratelimit-remaining'));
    const resetAfter = Number(response.headers.get('x-ratelimit-reset-after'));
    if (!hash || !Number.isFinite(remaining) || !Number.isFinite(resetAfter)) return;
    this.routeBuckets.set(route, hash);
    this.buckets.set(bucketKey(hash, route), { remaining, resetAt: this.now() + resetAfter * 1000 });
  }

  private async waitOut429(response: TransportResponse): Promise<void> {
    let body: Partial<RateLimitBody> = {};
    try {
      body = JSON.parse(await response.text()) as Partial<RateLimitBody>;
    } catch {
      // A proxy's 429 may have no JSON body; the Retry-After header still says how long.
    }
    const seconds = typeof body.retry_after === 'number' ? body.retry_after : Number(response.headers.get('retry-after') ?? '1');
    const wait = Math.max(0, (Number.isFinite(seconds) ? seconds : 1) * 1000);
    if (body.global === true || response.headers.get('x-ratelimit-global') === 'true') this.globalResetAt = this.now() + wait;
    await this.sleep(wait);
  }
}

async function parseResponse<T>(response: TransportResponse): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status >= 200 && response.status < 300) {
    if (text.length > 0 && body === undefined) throw RestError.fromCatalogue('CLIENT_NOT_A_HEARTH_SERVER');
    return body as T;
  }
  const error = body as Partial<ErrorBody> | undefined;
  if (error && typeof error.code === 'number' && typeof error.message === 'string') {
    throw new RestError(response.status, error.code, error.message, error.errors);
  }
  if (response.status === 429) throw new RestError(429, 0, Errors.RATE_LIMITED.message);
  throw new RestError(response.status, 0, `${response.status}: ${text.slice(0, 200) || 'Request failed'}`);
}

/**
 * The rate-limit route of a request, as Discord.js computes it: the method plus the path with IDs
 * replaced, except the major parameter (channel or guild ID) that splits buckets.
 */
export function routeKey(method: string, path: string): string {
  const segments = (path.split('?')[0] ?? '').split('/');
  const out: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const previous = segments[index - 1];
    if (previous === 'reactions') {
      out.push(':reaction');
      break;
    }
    if (previous === 'invites') out.push(':code');
    else if (/^\d{1,20}$/.test(segment) && previous !== 'channels' && previous !== 'guilds') out.push(':id');
    else out.push(segment);
  }
  return `${method} ${out.join('/')}`;
}

/**
 * A bucket is the server's hash per major parameter, as in Discord: every channel has its own
 * "messages" bucket with the same hash, so one channel's empty bucket never delays another's.
 */
function bucketKey(hash: string, route: string): string {
  const major = /\/(?:channels|guilds)\/(\d{1,20})/.exec(route)?.[1] ?? 'global';
  return `${hash}:${major}`;
}

function networkMessage(error: unknown): string {
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return `${Errors.CLIENT_SERVER_UNREACHABLE.message}${detail}`;
}
