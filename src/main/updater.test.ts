import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../shared/ipc/bridge.js';
import { UpdateController, describeUpdateError, type UpdaterBackend } from './updater.js';
import type { UpdateSource } from './update-policy.js';
import { generateSigningKeys } from './update-signing.js';
import { UpdaterSettings, makeSignedRelease, removeRelease, type SignedRelease } from './test-support/signed-release.js';

/**
 * A stand-in for electron-updater's autoUpdater: records what Hearth asks of it and emits what the
 * real one emits. `release` is what its feed serves: checking announces that release's parsed
 * metadata, downloading "downloads" its installer file (the real bytes on disk).
 */
class FakeUpdater extends UpdaterSettings {
  feeds: unknown[] = [];
  checks = 0;
  downloads = 0;
  installs: unknown[][] = [];
  release: SignedRelease | null = null;
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  async checkForUpdates(): Promise<null> {
    this.checks += 1;
    this.emit('checking-for-update');
    if (this.release) this.emit('update-available', this.release.info);
    else this.emit('update-not-available', { version: '1.0.0' });
    return null;
  }
  async downloadUpdate(): Promise<string[]> {
    this.downloads += 1;
    const release = this.release;
    if (!release) throw new Error('nothing to download');
    this.emit('download-progress', { percent: 42.4 });
    this.emit('update-downloaded', { ...release.info, downloadedFile: release.installer });
    return [release.installer];
  }
  quitAndInstall(...args: unknown[]): void {
    this.installs.push(args);
  }
}

const releases: SignedRelease[] = [];
async function release(options: Parameters<typeof makeSignedRelease>[0] = {}): Promise<SignedRelease> {
  const made = await makeSignedRelease(options);
  releases.push(made);
  return made;
}
afterEach(() => {
  for (const made of releases.splice(0)) removeRelease(made);
});

function setup(source: UpdateSource, options: { supported?: boolean; currentVersion?: string } = {}) {
  const backend = new FakeUpdater();
  const log = { info: vi.fn(), warn: vi.fn() };
  const controller = new UpdateController({
    backend: backend as unknown as UpdaterBackend,
    supported: options.supported ?? true,
    source,
    currentVersion: options.currentVersion ?? '1.0.0',
    platform: 'linux',
    intervalMs: 60_000,
    log,
  });
  const states: UpdateState[] = [];
  controller.onChange((state) => states.push(state));
  return { backend, controller, states, log };
}

/** Lets the controller's async file check finish. */
async function settle(controller: UpdateController, done: (state: UpdateState) => boolean): Promise<void> {
  await vi.waitFor(() => expect(done(controller.state)).toBe(true));
}

describe('UpdateController: what gets installed', () => {
  it('accepts a signed update: verifies, downloads, verifies the file, and installs only when the user restarts', async () => {
    const signed = await release();
    const { backend, controller, states } = setup({ kind: 'release', publicKey: signed.keys.publicKey });
    // Hearth drives downloads and installs itself, after its checks; nothing installs on quit by itself.
    expect([backend.autoDownload, backend.autoInstallOnAppQuit, backend.allowDowngrade, backend.disableWebInstaller]).toEqual([false, false, false, true]);
    // The build-time feed (app-update.yml) stays in force: no feed is set.
    expect(backend.feeds).toEqual([]);
    backend.release = signed;
    controller.start();
    await settle(controller, (s) => s.status === 'downloaded');
    controller.stop();
    expect(states).toEqual([
      { status: 'checking' },
      { status: 'available', version: '2.0.0' },
      { status: 'downloading', version: '2.0.0', percent: 42 },
      { status: 'downloaded', version: '2.0.0' },
    ]);
    expect(backend.installs).toEqual([]);
    controller.restartToInstall();
    expect(backend.installs).toEqual([[false, true]]);
  });

  it('refuses an unsigned update and never downloads it', async () => {
    const unsigned = await release({ unsigned: true });
    const { backend, controller } = setup({ kind: 'release', publicKey: unsigned.keys.publicKey });
    backend.release = unsigned;
    await controller.check();
    expect(controller.state).toEqual({ status: 'refused', version: '2.0.0', reason: 'The update is not signed.' });
    expect(backend.downloads).toBe(0);
    expect(() => controller.restartToInstall()).toThrow('No verified update');
    expect(backend.installs).toEqual([]);
  });

  it('refuses an update signed with another key', async () => {
    const impostor = generateSigningKeys();
    const signed = await release({ signWith: impostor.privateKey });
    const { backend, controller } = setup({ kind: 'release', publicKey: signed.keys.publicKey });
    backend.release = signed;
    await controller.check();
    expect(controller.state).toEqual({ status: 'refused', version: '2.0.0', reason: 'The update’s signature does not match the signing key Hearth trusts.' });
    expect(backend.downloads).toBe(0);
  });

  it('refuses metadata changed after signing (another file hash slipped in)', async () => {
    const signed = await release();
    const { backend, controller } = setup({ kind: 'release', publicKey: signed.keys.publicKey });
    const files = signed.info.files as { sha512: string }[];
    signed.info = { ...signed.info, files: [{ ...files[0], sha512: Buffer.alloc(64, 1).toString('base64') }] };
    backend.release = signed;
    await controller.check();
    expect(controller.state).toMatchObject({ status: 'refused', reason: 'The update’s signature does not match the signing key Hearth trusts.' });
    expect(backend.downloads).toBe(0);
  });

  it('refuses a tampered file after download, deletes it, and cannot install it', async () => {
    const signed = await release();
    const { backend, controller } = setup({ kind: 'release', publicKey: signed.keys.publicKey });
    const bytes = fs.readFileSync(signed.installer);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    fs.writeFileSync(signed.installer, bytes);
    backend.release = signed;
    await controller.check();
    await settle(controller, (s) => s.status === 'refused');
    expect(controller.state).toEqual({ status: 'refused', version: '2.0.0', reason: 'The downloaded file does not match the signed update: it was changed after signing.' });
    expect(fs.existsSync(signed.installer)).toBe(false);
    expect(() => controller.restartToInstall()).toThrow('No verified update');
    expect(backend.installs).toEqual([]);
  });

  it('refuses a signed downgrade and a signed re-release of the running version', async () => {
    const older = await release({ version: '0.9.0' });
    const { backend, controller } = setup({ kind: 'release', publicKey: older.keys.publicKey });
    backend.release = older;
    await controller.check();
    expect(controller.state).toEqual({ status: 'refused', version: '0.9.0', reason: 'The update offers version 0.9.0, which is not newer than this one (1.0.0).' });
    const same = await release({ version: '1.0.0' });
    const second = setup({ kind: 'release', publicKey: same.keys.publicKey });
    second.backend.release = same;
    await second.controller.check();
    expect(second.controller.state).toMatchObject({ status: 'refused', version: '1.0.0' });
    expect(backend.downloads + second.backend.downloads).toBe(0);
  });

  it('refuses metadata signed for another platform', async () => {
    const windows = await release({ platform: 'win32' });
    const { backend, controller } = setup({ kind: 'release', publicKey: windows.keys.publicKey });
    backend.release = windows;
    await controller.check();
    expect(controller.state).toMatchObject({ status: 'refused', reason: 'The update’s signature does not match the signing key Hearth trusts.' });
  });

  it('uses an operator feed only with its pinned key', async () => {
    const signed = await release();
    const { backend, controller } = setup({ kind: 'operator', feedUrl: 'https://updates.example.org/hearth/', publicKey: signed.keys.publicKey, file: '/etc/hearth/update-policy.json' });
    expect(backend.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.org/hearth/' }]);
    expect(controller.sourceDescription).toMatch(/^https:\/\/updates\.example\.org\/hearth\/, signing key [0-9a-f ]{19}, set by \/etc\/hearth\/update-policy\.json$/);
    backend.release = signed;
    await controller.check();
    await settle(controller, (s) => s.status === 'downloaded');
  });
});

describe('UpdateController: when updates are off', () => {
  it('is off in development builds and never touches electron-updater', () => {
    const { backend, controller } = setup({ kind: 'release', publicKey: generateSigningKeys().publicKey }, { supported: false });
    controller.start();
    expect(controller.state).toEqual({ status: 'unsupported', reason: 'This build does not update itself (development build).' });
    expect(backend.checks).toBe(0);
    expect(backend.listenerCount('update-available')).toBe(0);
  });

  it('is off, and says why, in a build without a release key', () => {
    const { backend, controller } = setup({ kind: 'release', publicKey: null });
    controller.start();
    expect(controller.state).toEqual({ status: 'unsupported', reason: 'This build has no update signing key, so it cannot verify updates and does not update itself.' });
    expect(backend.checks).toBe(0);
  });

  it('is off, rather than falling back to another feed, when the policy file is invalid', () => {
    const { backend, controller } = setup({ kind: 'invalid', file: '/etc/hearth/update-policy.json', reason: 'feedUrl must be an https:// address' });
    controller.start();
    expect(controller.state).toEqual({
      status: 'unsupported',
      reason: 'The update policy file /etc/hearth/update-policy.json is invalid: feedUrl must be an https:// address. Updates are off until it is fixed.',
    });
    expect(backend.feeds).toEqual([]);
    expect(backend.checks).toBe(0);
  });
});

describe('UpdateController: checks and errors', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks at start and then every interval, but not while an update is ready', async () => {
    const signed = await release();
    const { backend, controller } = setup({ kind: 'release', publicKey: signed.keys.publicKey });
    controller.start();
    expect(backend.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(backend.checks).toBe(2);
    backend.release = signed;
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(controller.state.status).toBe('downloaded'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(backend.checks).toBe(3);
    controller.stop();
  });

  it('logs errors and shows them quietly without throwing, then recovers on the next check', async () => {
    const { backend, controller, states, log } = setup({ kind: 'release', publicKey: generateSigningKeys().publicKey });
    const check = vi.spyOn(backend, 'checkForUpdates').mockRejectedValueOnce(new Error('net::ERR_INTERNET_DISCONNECTED\n    at stack'));
    controller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ status: 'error', message: "Couldn't update: net::ERR_INTERNET_DISCONNECTED" });
    expect(log.warn).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledTimes(2);
    expect(states.at(-1)).toEqual({ status: 'idle' });
    controller.stop();
  });

  it('keeps a verified, downloaded update when a later error arrives', async () => {
    vi.useRealTimers();
    const signed = await release();
    const { backend, controller } = setup({ kind: 'release', publicKey: signed.keys.publicKey });
    backend.release = signed;
    await controller.check();
    await settle(controller, (s) => s.status === 'downloaded');
    backend.emit('error', new Error('ENOTFOUND updates.example.org'));
    expect(controller.state).toEqual({ status: 'downloaded', version: '2.0.0' });
  });
});

describe('describeUpdateError', () => {
  it('keeps one short line', () => {
    expect(describeUpdateError(new Error(`${'x'.repeat(300)}\nbody`))).toHaveLength("Couldn't update: ".length + 160);
    expect(describeUpdateError('plain')).toBe("Couldn't update: plain");
  });
});
