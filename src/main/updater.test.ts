import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../shared/ipc/bridge.js';
import { UpdateController, describeUpdateError, type UpdaterBackend } from './updater.js';

/** A stand-in for electron-updater's autoUpdater: emits what the real one emits. */
class FakeUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: unknown[] = [];
  checks = 0;
  installs: unknown[][] = [];
  nextCheck: () => Promise<unknown> = () => Promise.resolve(null);
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    return this.nextCheck();
  }
  quitAndInstall(...args: unknown[]): void {
    this.installs.push(args);
  }
}

function setup(options: { supported?: boolean; feedUrl?: string | null } = { feedUrl: 'https://chat.example.org/updates/' }) {
  const backend = new FakeUpdater();
  const log = { info: vi.fn(), warn: vi.fn() };
  const controller = new UpdateController({
    backend: backend as unknown as UpdaterBackend,
    supported: options.supported ?? true,
    feedUrl: options.feedUrl ?? null,
    intervalMs: 60_000,
    log,
  });
  const states: UpdateState[] = [];
  controller.onChange((state) => states.push(state));
  return { backend, controller, states, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('UpdateController', () => {
  it('downloads in the background from the configured generic feed', () => {
    const { backend } = setup();
    expect(backend.autoDownload).toBe(true);
    expect(backend.autoInstallOnAppQuit).toBe(true);
    expect(backend.feeds).toEqual([{ provider: 'generic', url: 'https://chat.example.org/updates/' }]);
  });

  it('goes available → downloading → downloaded → restart on request', () => {
    const { backend, controller, states } = setup();
    controller.start();
    backend.emit('checking-for-update');
    backend.emit('update-available', { version: '1.4.0' });
    backend.emit('download-progress', { percent: 42.4 });
    expect(() => controller.restartToInstall()).toThrow('No update has been downloaded');
    expect(backend.installs).toEqual([]);
    backend.emit('update-downloaded', { version: '1.4.0' });
    expect(states).toEqual([
      { status: 'checking' },
      { status: 'available', version: '1.4.0' },
      { status: 'downloading', version: '1.4.0', percent: 42 },
      { status: 'downloaded', version: '1.4.0' },
    ]);
    controller.restartToInstall();
    expect(backend.installs).toEqual([[false, true]]);
  });

  it('checks at start and then every interval, but not while an update is ready', async () => {
    const { backend, controller } = setup();
    controller.start();
    expect(backend.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(backend.checks).toBe(2);
    backend.emit('update-downloaded', { version: '2.0.0' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(backend.checks).toBe(2);
    controller.stop();
  });

  it('logs errors and shows them quietly without throwing, then recovers on the next check', async () => {
    const { backend, controller, states, log } = setup();
    backend.nextCheck = () => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED\n    at stack'));
    controller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ status: 'error', message: "Couldn't update: net::ERR_INTERNET_DISCONNECTED" });
    expect(log.warn).toHaveBeenCalled();
    backend.nextCheck = () => Promise.resolve(null);
    await vi.advanceTimersByTimeAsync(60_000);
    backend.emit('update-not-available', { version: '0.1.0' });
    expect(states.at(-1)).toEqual({ status: 'idle' });
    controller.stop();
  });

  it('keeps a downloaded update when a later error arrives', () => {
    const { backend, controller } = setup();
    backend.emit('update-downloaded', { version: '1.4.0' });
    backend.emit('error', new Error('ENOTFOUND updates.example.org'));
    expect(controller.state).toEqual({ status: 'downloaded', version: '1.4.0' });
  });

  it('is unsupported in development builds and never touches electron-updater', () => {
    const { backend, controller } = setup({ supported: false });
    controller.start();
    expect(controller.state).toEqual({ status: 'unsupported' });
    expect(backend.checks).toBe(0);
    expect(backend.listenerCount('error')).toBe(0);
  });

  it('switches feed when settings change and checks it', () => {
    const { backend, controller } = setup();
    controller.start();
    controller.setFeedUrl('https://mirror.example.org/hearth/');
    expect(backend.feeds.at(-1)).toEqual({ provider: 'generic', url: 'https://mirror.example.org/hearth/' });
    expect(backend.checks).toBe(2);
    controller.stop();
  });

  it('does not check without a feed, and starts checking once one is set', () => {
    const { backend, controller } = setup({ feedUrl: null });
    controller.start();
    expect(backend.checks).toBe(0);
    controller.setFeedUrl('https://chat.example.org/updates/', true);
    expect(backend.checks).toBe(1);
    controller.stop();
  });
});

describe('UpdateController with a feed from the Hearth server', () => {
  it('treats a server without a feed (404) as no update, quietly', () => {
    const { backend, controller, log } = setup({ feedUrl: null });
    controller.setFeedUrl('https://chat.example.org/updates/', true);
    const notFound = Object.assign(new Error('Cannot find latest-linux.yml in the latest release artifacts: HttpError: 404'), { statusCode: 404 });
    backend.emit('error', notFound);
    expect(controller.state).toEqual({ status: 'idle' });
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('still reports other errors from that feed', () => {
    const { backend, controller } = setup({ feedUrl: null });
    controller.setFeedUrl('https://chat.example.org/updates/', true);
    backend.emit('error', new Error('sha512 checksum mismatch'));
    expect(controller.state).toEqual({ status: 'error', message: "Couldn't update: sha512 checksum mismatch" });
  });
});

describe('describeUpdateError', () => {
  it('keeps one short line', () => {
    expect(describeUpdateError(new Error(`${'x'.repeat(300)}\nbody`))).toHaveLength("Couldn't update: ".length + 160);
    expect(describeUpdateError('plain')).toBe("Couldn't update: plain");
  });
});
