/**
 * Auto-update with electron-updater's generic provider: check at start and every few hours,
 * download in the background, then show "Update ready — restart" until the user restarts.
 * Errors are logged and surfaced quietly as a state; nothing here throws into the app.
 */
import type { AppUpdater } from 'electron-updater';
import type { UpdateState } from '../shared/ipc/bridge.js';

/** The part of electron-updater's `autoUpdater` Hearth drives. */
export type UpdaterBackend = Pick<
  AppUpdater,
  'on' | 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall' | 'autoDownload' | 'autoInstallOnAppQuit' | 'logger'
>;

/** Where problems go (the main process log); messages never contain secrets. */
export interface UpdaterLog {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error?(message: string, error?: unknown): void;
}

export interface UpdateControllerOptions {
  backend: UpdaterBackend;
  /** False in development builds: electron-updater only works in packaged apps. */
  supported: boolean;
  /** The generic provider's base URL (where `latest*.yml` lives), or null: no checks until there is one. */
  feedUrl: string | null;
  /**
   * The feed was derived from the Hearth server the user signed in to (`<server>/updates/`)
   * rather than chosen: a server that hosts no feed (404) is then normal, not an error.
   */
  feedFromServer?: boolean;
  /** How often to check after the first check. */
  intervalMs?: number;
  log: UpdaterLog;
}

/** Four hours: often enough to pick releases up within a day, rare enough to be invisible. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/** Drives the updater and keeps its {@link UpdateState}; listeners hear every change. */
export class UpdateController {
  private current: UpdateState;
  private readonly listeners = new Set<(state: UpdateState) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly backend: UpdaterBackend;
  private readonly log: UpdaterLog;

  constructor(private readonly options: UpdateControllerOptions) {
    this.backend = options.backend;
    this.log = options.log;
    this.current = options.supported ? { status: 'idle' } : { status: 'unsupported' };
    if (!options.supported) return;
    this.backend.autoDownload = true;
    this.backend.autoInstallOnAppQuit = true;
    // electron-updater's own progress lines go to the main log instead of the console.
    this.backend.logger = {
      info: (message?: unknown) => this.log.info(String(message)),
      warn: (message?: unknown) => this.log.warn(String(message)),
      error: (message?: unknown) => this.log.warn(String(message)),
    };
    this.applyFeedUrl(options.feedUrl);
    this.listen();
  }

  get state(): UpdateState {
    return this.current;
  }

  /** Calls `listener` on every state change; returns an unsubscribe function. */
  onChange(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks now and then every interval. */
  start(): void {
    if (!this.options.supported || this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Uses another feed (settings or server changed); once started, checks it at once. */
  setFeedUrl(url: string | null, fromServer = false): void {
    if (!this.options.supported || url === this.options.feedUrl) return;
    this.options.feedUrl = url;
    this.options.feedFromServer = fromServer;
    this.applyFeedUrl(url);
    if (this.current.status === 'error') this.set({ status: 'idle' });
    if (this.timer) void this.check();
  }

  /** Checks for an update unless there is no feed yet, or one is already being fetched or is ready. */
  async check(): Promise<void> {
    const status = this.current.status;
    if (!this.options.feedUrl) return;
    if (status === 'unsupported' || status === 'checking' || status === 'downloading' || status === 'downloaded') return;
    try {
      await this.backend.checkForUpdates();
    } catch (error) {
      // electron-updater also emits `error`; this catch only keeps the rejection from escaping.
      this.fail(error);
    }
  }

  /** Quits and installs the downloaded update; refuses when none is ready. */
  restartToInstall(): void {
    if (this.current.status !== 'downloaded') throw new Error('No update has been downloaded yet.');
    this.log.info(`restarting to install Hearth ${this.current.version}`);
    this.stop();
    this.backend.quitAndInstall(false, true);
  }

  private applyFeedUrl(url: string | null): void {
    if (url) this.backend.setFeedURL({ provider: 'generic', url });
  }

  private listen(): void {
    this.backend.on('checking-for-update', () => this.set({ status: 'checking' }));
    this.backend.on('update-not-available', () => this.set({ status: 'idle' }));
    this.backend.on('update-available', (info) => this.set({ status: 'available', version: info.version }));
    this.backend.on('download-progress', (progress) => {
      const version = 'version' in this.current ? this.current.version : '';
      this.set({ status: 'downloading', version, percent: Math.max(0, Math.min(100, Math.round(progress.percent))) });
    });
    this.backend.on('update-downloaded', (event) => {
      this.log.info(`update ${event.version} downloaded`);
      this.set({ status: 'downloaded', version: event.version });
    });
    this.backend.on('error', (error) => this.fail(error));
  }

  private fail(error: unknown): void {
    if (this.options.feedFromServer && isNotFound(error)) {
      this.log.info('the Hearth server hosts no update feed');
      this.set({ status: 'idle' });
      return;
    }
    this.log.warn('update check failed', error);
    // A failed later check must not hide an update that is already downloaded and ready.
    if (this.current.status === 'downloaded') return;
    this.set({ status: 'error', message: describeUpdateError(error) });
  }

  private set(state: UpdateState): void {
    if (this.current.status === 'downloaded' && state.status !== 'downloaded') return;
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** A short, quiet message: the first line of the error, without stack or response bodies. */
export function describeUpdateError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split('\n', 1)[0]?.trim() || 'unknown error';
  return `Couldn't update: ${firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine}`;
}

/** electron-updater's HttpError for a missing `latest*.yml` (status 404). */
function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, message } = error as { statusCode?: unknown; message?: unknown };
  return statusCode === 404 || (typeof message === 'string' && /\b404\b/.test(message));
}
