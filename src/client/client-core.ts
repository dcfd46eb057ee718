/**
 * HearthClient: the client core behind the {@link HearthBridge} contract. It composes the
 * GatewayConnection, the RestClient and the state reducer; the web client constructs it in the
 * page, Electron main constructs it and serves its methods over IPC. Every change to the state
 * is an action applied here and pushed to subscribers, who apply the same reducer.
 */
import { isSnowflake, type Snowflake } from '../shared/snowflake.js';
import { HearthError, invalidFormBody } from '../shared/errors.js';
import { GatewayOpcode, type PresenceUpdateData } from '../shared/protocol/gateway.js';
import type { CurrentUser, Status } from '../shared/protocol/entities.js';
import type { BridgeListener, BridgeResult, DesktopHost, HostEvent, SessionInfo } from '../shared/ipc/bridge.js';
import { parseStoredSettings } from '../shared/ipc/settings.js';
import type { ClientAction, ClientState } from './state/types.js';
import { createInitialState, reduce } from './state/reducer.js';
import { GatewayConnection, type WebSocketConstructor } from './gateway-connection.js';
import { canInflate, streamInflater, type InflaterFactory } from './zlib-stream.js';
import { RestClient } from './rest-client.js';
import type { UploadTransport } from './rest-upload.js';
import { HearthApi } from './hearth-api.js';
import { MessageOutbox } from './outbox.js';
import { HistoryLoader } from './history.js';
import type { KeyValueStorage } from './storage.js';
import { normalizeServerUrl, settle } from './session.js';

/** Timings, shortened by tests. */
export interface ClientTimings {
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  stableAfterMs?: number;
  invalidSessionDelayMs?: readonly [number, number];
  /** How often expired typing indicators are swept. Default 1000. */
  typingSweepMs?: number;
  /** REST retry delay for idempotent requests. Default 500. */
  retryDelayMs?: number;
  /** How long the start-up prefetch of the expected channel's newest page stays usable. Default 5000. */
  prefetchMaxAgeMs?: number;
}

export interface HearthClientOptions {
  WebSocket: WebSocketConstructor;
  storage: KeyValueStorage;
  platform: 'web' | 'desktop';
  version?: string;
  fetch?: typeof fetch;
  uploadTransport?: UploadTransport;
  /** Gateway compression: `zlib-stream` by default where `DecompressionStream` exists; false turns it off. */
  compress?: boolean;
  /** A different inflater for `zlib-stream` (default: `DecompressionStream`). */
  createInflater?: InflaterFactory;
  /** Electron main's capabilities (updates, global push-to-talk capture, external links). */
  host?: DesktopHost;
  /** The server to use when none is remembered (the web client passes its own origin). */
  defaultServerUrl?: string | null;
  /** IDENTIFY properties; `browser` decides desktop/web in presence (`Hearth Desktop` ⇒ desktop). */
  gatewayProperties?: { os?: string; browser?: string; device?: string };
  timings?: ClientTimings;
  now?: () => number;
  random?: () => number;
}

/** The core's machinery shared with the bridge-method modules (HearthClient in `client.ts` adds the bridge methods). */
export class HearthClientCore {
  protected state: ClientState;
  protected rest: RestClient | undefined;
  protected apiClient: HearthApi | undefined;
  protected gateway: GatewayConnection | undefined;
  protected readonly outbox: MessageOutbox;
  protected readonly history: HistoryLoader;
  protected readonly now: () => number;
  private readonly listeners = new Set<BridgeListener>();
  private typingTimer: ReturnType<typeof setInterval> | undefined;
  private started: Promise<void> | undefined;

  constructor(protected readonly options: HearthClientOptions) {
    this.now = options.now ?? Date.now;
    this.state = createInitialState(undefined, null);
    this.outbox = new MessageOutbox({
      api: () => this.apiClient,
      state: () => this.state,
      dispatch: (action) => this.apply(action),
      online: () => this.state.connection.status === 'ready',
      connectionSuspect: () => this.gateway?.reconnect('The server did not answer'),
    });
    this.history = new HistoryLoader({
      api: () => this.api(),
      state: () => this.state,
      dispatch: (action) => this.apply(action),
      signedIn: () => Boolean(this.rest?.getToken()),
      now: () => this.now(),
      ...(options.timings?.prefetchMaxAgeMs !== undefined ? { prefetchMaxAgeMs: options.timings.prefetchMaxAgeMs } : {}),
    });
  }

  /** Loads what was remembered and, when a session was, connects. Safe to call more than once. */
  start(): Promise<void> {
    this.started ??= this.restore();
    return this.started;
  }

  /**
   * The channel the UI will open first. Remembered at once (before start-up has read the stored
   * session), so a restored session requests its newest page alongside the gateway connection;
   * otherwise it is requested once signed in, or now when already signed in but not yet ready.
   */
  expectChannel(channelId: Snowflake): Promise<BridgeResult<null>> {
    if (!isSnowflake(channelId)) {
      return this.settle(async () => {
        throw this.fieldError('channel_id', 'NUMBER_TYPE_COERCE', `Value "${String(channelId)}" is not snowflake.`);
      });
    }
    this.history.prefetch.expect(channelId);
    return this.settle(async () => {
      this.history.prefetch.begin();
      return null;
    });
  }

  /** Stops the gateway and timers (the session stays remembered). */
  close(): void {
    this.gateway?.stop();
    this.gateway = undefined;
    clearInterval(this.typingTimer);
    this.typingTimer = undefined;
  }

  /** The current state (main and tests read it; the renderer keeps its own copy). */
  getState(): ClientState {
    return this.state;
  }

  /** Listens for pushes: a snapshot first, then every action and host event. */
  subscribe(listener: BridgeListener): () => void {
    this.listeners.add(listener);
    listener({ type: 'snapshot', state: this.state });
    return () => this.listeners.delete(listener);
  }

  /** Electron main pushes its own events (push-to-talk, updates, deep links) through the same channel. */
  emitHostEvent(event: HostEvent): void {
    this.broadcast({ type: 'host', event });
  }

  /** Resolves once the gateway session is ready (tests, and callers that must wait). */
  whenReady(): Promise<void> {
    if (this.state.connection.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.subscribeQuietly((state) => {
        if (state.connection.status !== 'ready') return;
        off();
        resolve();
      });
    });
  }

  /** Calls `listener` with the state after every action (without the snapshot/action protocol). */
  subscribeQuietly(listener: (state: ClientState, action?: ClientAction) => void): () => void {
    const wrapped: BridgeListener = (event) => {
      if (event.type === 'action') listener(this.state, event.action);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  protected apply(action: ClientAction): void {
    this.state = reduce(this.state, action);
    this.broadcast({ type: 'action', action });
  }

  private broadcast(event: Parameters<BridgeListener>[0]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber (e.g. a closed window) must not stop the others.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** The API, or the "choose a server"/"sign in" error. */
  protected api(): HearthApi {
    if (!this.apiClient) throw new HearthError(this.state.serverUrl ? 'CLIENT_NOT_SIGNED_IN' : 'CLIENT_NO_SERVER');
    return this.apiClient;
  }

  protected requireSignedIn(): { api: HearthApi; user: CurrentUser } {
    const user = this.state.user;
    if (!user || !this.rest?.getToken()) throw new HearthError('CLIENT_NOT_SIGNED_IN');
    return { api: this.api(), user };
  }

  private async restore(): Promise<void> {
    const storage = this.options.storage;
    const [serverUrl, token, userJson, status, settingsJson] = await Promise.all([
      storage.get('serverUrl'), storage.get('token'), storage.get('user'), storage.get('status'), storage.get('settings'),
    ]);
    this.apply({ type: 'settings', settings: parseStoredSettings(safeJson(settingsJson)) });
    const url = serverUrl ?? (this.options.defaultServerUrl ? normalizeServerUrl(this.options.defaultServerUrl) ?? null : null);
    this.apply({ type: 'server-url', serverUrl: url });
    if (isStatus(status)) this.apply({ type: 'self-status', status });
    this.typingTimer ??= setInterval(() => this.sweepTyping(), this.options.timings?.typingSweepMs ?? 1000);
    if (!url) return;
    this.useServer(url, token);
    const cachedUser = safeJson(userJson) as CurrentUser | undefined;
    if (!token || !cachedUser || typeof cachedUser.id !== 'string') return;
    await this.beginSession(url, token, cachedUser);
  }

  /** Points REST at a server (and drops any gateway connection to another). */
  protected useServer(url: string, token: string | null): void {
    this.gateway?.stop();
    this.gateway = undefined;
    // A channel expected on the server used before means nothing on another one.
    if (this.rest) this.history.prefetch.clear();
    this.rest = new RestClient({
      baseUrl: url,
      token,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(this.options.uploadTransport ? { uploadTransport: this.options.uploadTransport } : {}),
      ...(this.options.timings?.retryDelayMs !== undefined ? { retryDelayMs: this.options.timings.retryDelayMs } : {}),
    });
    this.apiClient = new HearthApi(this.rest);
  }

  /** Signed in: remember, show the user at once, connect the gateway. */
  protected async beginSession(serverUrl: string, token: string, user: CurrentUser): Promise<void> {
    this.rest?.setToken(token);
    // The expected channel's newest page travels alongside the gateway connection, not after READY.
    this.history.prefetch.begin();
    await Promise.all([this.options.storage.set('token', token), this.options.storage.set('user', JSON.stringify(user))]);
    this.apply({ type: 'session/started', serverUrl, user });
    this.connectGateway(token);
  }

  /** Signed out (by the user, or because the server refused the token). */
  protected async endSession(): Promise<void> {
    this.gateway?.stop();
    this.gateway = undefined;
    this.outbox.clear();
    this.history.prefetch.clear();
    this.rest?.setToken(null);
    await Promise.all([this.options.storage.delete('token'), this.options.storage.delete('user')]);
    this.apply({ type: 'session/ended' });
  }

  private connectGateway(token: string): void {
    const timings = this.options.timings ?? {};
    const gateway = new GatewayConnection({
      WebSocket: this.options.WebSocket,
      resolveUrl: async () => (await this.api().getGatewayUrl()).url,
      token,
      properties: {
        os: this.options.gatewayProperties?.os ?? 'unknown',
        browser: this.options.gatewayProperties?.browser ?? (this.options.platform === 'desktop' ? 'Hearth Desktop' : 'Hearth Web'),
        device: this.options.gatewayProperties?.device ?? 'Hearth',
      },
      presence: () => this.presencePayload(),
      ...this.inflaterOption(),
      ...(timings.backoffBaseMs !== undefined ? { backoffBaseMs: timings.backoffBaseMs } : {}),
      ...(timings.backoffMaxMs !== undefined ? { backoffMaxMs: timings.backoffMaxMs } : {}),
      ...(timings.stableAfterMs !== undefined ? { stableAfterMs: timings.stableAfterMs } : {}),
      ...(timings.invalidSessionDelayMs !== undefined ? { invalidSessionDelayMs: timings.invalidSessionDelayMs } : {}),
      ...(this.options.random ? { random: this.options.random } : {}),
      now: this.now,
    });
    // `t` and `d` come from one payload, so they match; TypeScript cannot follow that correlation.
    gateway.on('dispatch', (payload) => this.apply({ type: 'dispatch', t: payload.t, d: payload.d, receivedAt: this.now() } as ClientAction));
    gateway.on('state', (connection) => {
      if (gateway === this.gateway) this.apply({ type: 'connection', connection });
    });
    gateway.on('ready', () => this.afterFreshSession());
    gateway.on('resumed', () => this.afterResume());
    gateway.on('fatal', ({ code }) => {
      if (code === 4004) void this.endSession();
    });
    this.gateway = gateway;
    gateway.start();
  }

  private inflaterOption(): { createInflater?: InflaterFactory } {
    if (this.options.compress === false) return {};
    if (this.options.createInflater) return { createInflater: this.options.createInflater };
    return canInflate() ? { createInflater: streamInflater } : {};
  }

  /**
   * A resumed session missed nothing from the server, but the server missed what changed here
   * while away: send the chosen status and voice flags again (no-ops when unchanged), then what waited.
   */
  private afterResume(): void {
    this.sendPresence();
    const voice = this.state.selfVoice;
    if (voice.guildId && voice.channelId) this.sendVoiceState(voice.guildId, voice.channelId, voice.selfMute, voice.selfDeaf);
    this.outbox.wake();
  }

  /** A new gateway session: fill history gaps, rejoin voice, send what waited. */
  private afterFreshSession(): void {
    const voice = this.state.selfVoice;
    if (voice.guildId && voice.channelId) this.sendVoiceState(voice.guildId, voice.channelId, voice.selfMute, voice.selfDeaf);
    void this.history.fillGaps().finally(() => this.outbox.wake());
  }

  protected presencePayload(): PresenceUpdateData {
    return { since: null, activities: [], status: this.state.selfStatus, afk: false };
  }

  /** Sends op 3 with the chosen status (when connected; IDENTIFY carries it otherwise). */
  protected sendPresence(): void {
    this.gateway?.send({ op: GatewayOpcode.PRESENCE_UPDATE, d: this.presencePayload() });
  }

  /** Sends op 4; returns false when the gateway is not connected. */
  protected sendVoiceState(guildId: Snowflake, channelId: Snowflake | null, selfMute: boolean, selfDeaf: boolean): boolean {
    return this.gateway?.send({
      op: GatewayOpcode.VOICE_STATE_UPDATE,
      d: { guild_id: guildId, channel_id: channelId, self_mute: selfMute, self_deaf: selfDeaf },
    }) ?? false;
  }

  protected sendGateway(payload: Parameters<GatewayConnection['send']>[0]): boolean {
    return this.gateway?.send(payload) ?? false;
  }

  private sweepTyping(): void {
    const now = this.now();
    const expired = Object.values(this.state.typing).some((users) => Object.values(users).some((until) => until <= now));
    if (expired) this.apply({ type: 'typing/expired', now });
  }

  /** Session info for the first screen. */
  protected sessionInfo(): SessionInfo {
    return { serverUrl: this.state.serverUrl, user: this.state.user };
  }

  /** Bridge helper: validation failure on one field, as the server would report it. */
  protected fieldError(field: string, code: string, message: string): HearthError {
    return invalidFormBody({ [field]: { code, message } });
  }

  /** Runs a bridge call once remembered state is loaded, as a {@link BridgeResult}. */
  protected settle<T>(work: () => Promise<T>): Promise<BridgeResult<T>> {
    return settle(async () => {
      await this.start();
      return work();
    });
  }
}

function safeJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const STATUSES: readonly Status[] = ['online', 'idle', 'dnd', 'invisible'];

function isStatus(value: string | null): value is Exclude<Status, 'offline'> {
  return value !== null && (STATUSES as readonly string[]).includes(value);
}
