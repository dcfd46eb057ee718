/**
 * Auto-update with electron-updater as the transport and Hearth's own checks as the gate:
 * - the feed is the release channel fixed at build time, or an operator's feed from a policy file
 *   (https only, with its pinned key) — never a chat server;
 * - nothing is downloaded until the update's metadata verifies against the trusted Ed25519 key
 *   and offers a newer version for this platform;
 * - nothing can be installed until the downloaded file's sha512 matches the signed metadata;
 * - nothing installs by itself: the user sees the version and restarts into it, or postpones.
 * Refusals and errors become a state the settings show; nothing here throws into the app.
 */
import fs from 'node:fs';
import type { AppUpdater, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import type { UpdateState } from '../shared/ipc/bridge.js';
import type { UpdateSource } from './update-policy.js';
import { keyFingerprint, verifyDownloadedFile, verifyUpdateInfo, type VerifiedUpdate } from './update-signing.js';

/** The part of electron-updater's `autoUpdater` Hearth drives. */
export type UpdaterBackend = Pick<
  AppUpdater,
  | 'on' | 'setFeedURL' | 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'logger'
  | 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'disableWebInstaller'
>;

/** Where problems go (the main process log); messages never contain secrets. */
export interface UpdaterLog {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
}

export interface UpdateControllerOptions {
  backend: UpdaterBackend;
  /** False in development builds: electron-updater only works in packaged apps. */
  supported: boolean;
  /** The feed and key in force (see `update-policy.ts`). */
  source: UpdateSource;
  /** The running version and platform: updates must be newer, and signed for this platform. */
  currentVersion: string;
  platform: NodeJS.Platform;
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
  /** The update whose metadata verified, while it downloads or waits for a restart. */
  private verified: VerifiedUpdate | null = null;
  private readonly backend: UpdaterBackend;
  private readonly log: UpdaterLog;
  /** The key updates must be signed with; null when updates are off. */
  private readonly publicKey: string | null;

  constructor(private readonly options: UpdateControllerOptions) {
    this.backend = options.backend;
    this.log = options.log;
    const off = offReason(options);
    this.publicKey = off === null && options.source.kind !== 'invalid' ? options.source.publicKey : null;
    this.current = off === null ? { status: 'idle' } : { status: 'unsupported', reason: off };
    if (off !== null) {
      if (options.supported) this.log.warn(`updates are off: ${off}`);
      return;
    }
    // Hearth decides when to download and install, after its own checks.
    this.backend.autoDownload = false;
    this.backend.autoInstallOnAppQuit = false;
    this.backend.allowDowngrade = false;
    this.backend.disableWebInstaller = true;
    // electron-updater's own progress lines go to the main log instead of the console.
    this.backend.logger = {
      info: (message?: unknown) => this.log.info(String(message)),
      warn: (message?: unknown) => this.log.warn(String(message)),
      error: (message?: unknown) => this.log.warn(String(message)),
    };
    // Without setFeedURL electron-updater reads the build-time feed (app-update.yml).
    if (options.source.kind === 'operator') this.backend.setFeedURL({ provider: 'generic', url: options.source.feedUrl });
    this.listen();
  }

  get state(): UpdateState {
    return this.current;
  }

  /** Where updates come from and which key they need, for settings. */
  get sourceDescription(): string {
    const { source } = this.options;
    switch (source.kind) {
      case 'release':
        return source.publicKey ? `Hearth releases, signing key ${keyFingerprint(source.publicKey)}` : 'Hearth releases (this build has no signing key)';
      case 'operator':
        return `${source.feedUrl}, signing key ${keyFingerprint(source.publicKey)}, set by ${source.file}`;
      case 'invalid':
        return `None: ${source.file} is invalid`;
    }
  }

  /** Calls `listener` on every state change; returns an unsubscribe function. */
  onChange(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks now and then every interval. */
  start(): void {
    if (this.current.status === 'unsupported' || this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Checks for an update unless one is already being fetched or is ready. */
  async check(): Promise<void> {
    const status = this.current.status;
    if (status === 'unsupported' || status === 'checking' || status === 'available' || status === 'downloading' || status === 'downloaded') return;
    try {
      await this.backend.checkForUpdates();
    } catch (error) {
      // electron-updater also emits `error`; this catch only keeps the rejection from escaping.
      this.fail(error);
    }
  }

  /** Quits and installs the verified, downloaded update; refuses when there is none. */
  restartToInstall(): void {
    if (this.current.status !== 'downloaded' || !this.verified) throw new Error('No verified update has been downloaded yet.');
    this.log.info(`restarting to install Hearth ${this.current.version}`);
    this.stop();
    this.backend.quitAndInstall(false, true);
  }

  private listen(): void {
    this.backend.on('checking-for-update', () => this.set({ status: 'checking' }));
    this.backend.on('update-not-available', () => this.set({ status: 'idle' }));
    this.backend.on('update-available', (info) => this.onAvailable(info));
    this.backend.on('download-progress', (progress) => {
      if (!this.verified) return;
      this.set({ status: 'downloading', version: this.verified.version, percent: Math.max(0, Math.min(100, Math.round(progress.percent))) });
    });
    this.backend.on('update-downloaded', (event) => void this.onDownloaded(event));
    this.backend.on('error', (error) => this.fail(error));
  }

  /** Metadata arrived: download only what verifies. */
  private onAvailable(info: UpdateInfo): void {
    if (!this.publicKey) return;
    const check = verifyUpdateInfo(info, { publicKey: this.publicKey, platform: this.options.platform, currentVersion: this.options.currentVersion });
    if (!check.ok) {
      this.verified = null;
      this.refuse(typeof info.version === 'string' ? info.version : null, check.reason);
      return;
    }
    this.verified = check.update;
    this.log.info(`update ${check.update.version} is signed; downloading`);
    this.set({ status: 'available', version: check.update.version });
    this.backend.downloadUpdate().catch((error: unknown) => this.fail(error));
  }

  /** The file is on disk: offer it only when it is the file the signature covers. */
  private async onDownloaded(event: UpdateDownloadedEvent): Promise<void> {
    const verified = this.verified;
    if (!verified || event.version !== verified.version) {
      this.discard(event.downloadedFile);
      this.refuse(event.version ?? null, 'A download arrived that does not belong to the signed update.');
      return;
    }
    const file = await verifyDownloadedFile(event.downloadedFile, verified);
    if (!file.ok) {
      this.verified = null;
      this.discard(event.downloadedFile);
      this.refuse(verified.version, file.reason);
      return;
    }
    this.log.info(`update ${verified.version} downloaded and verified`);
    this.set({ status: 'downloaded', version: verified.version });
  }

  private refuse(version: string | null, reason: string): void {
    this.log.warn(`update${version ? ` ${version}` : ''} refused: ${reason}`);
    this.set({ status: 'refused', version, reason });
  }

  /** Removes a refused download so nothing can pick it up later. */
  private discard(file: string): void {
    try {
      fs.rmSync(file, { force: true });
    } catch (error) {
      this.log.warn('a refused update could not be removed', error);
    }
  }

  private fail(error: unknown): void {
    this.log.warn('update check failed', error);
    // A failed later check must not hide an update that is already verified and ready.
    if (this.current.status === 'downloaded') return;
    this.set({ status: 'error', message: describeUpdateError(error) });
  }

  private set(state: UpdateState): void {
    if (this.current.status === 'downloaded' && state.status !== 'downloaded') return;
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** Why updates are off, or null when they can run. */
function offReason({ supported, source }: UpdateControllerOptions): string | null {
  if (!supported) return 'This build does not update itself (development build).';
  if (source.kind === 'invalid') return `The update policy file ${source.file} is invalid: ${source.reason}. Updates are off until it is fixed.`;
  if (source.kind === 'release' && !source.publicKey) return 'This build has no update signing key, so it cannot verify updates and does not update itself.';
  return null;
}

/** A short, quiet message: the first line of the error, without stack or response bodies. */
export function describeUpdateError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split('\n', 1)[0]?.trim() || 'unknown error';
  return `Couldn't update: ${firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine}`;
}
