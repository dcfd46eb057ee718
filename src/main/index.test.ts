/**
 * The entry point, booted against the recording fake Electron: it takes the single-instance
 * lock, registers the app:// scheme and hearth:// links, and opens the secure window — or,
 * as a second launch, hands over and quits.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FakeElectron from './test-support/fake-electron.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));
vi.mock('electron-updater', () => ({
  default: {
    autoUpdater: Object.assign(new EventEmitter(), {
      setFeedURL: vi.fn(),
      checkForUpdates: vi.fn(async () => null),
      quitAndInstall: vi.fn(),
    }),
  },
}));
vi.mock('uiohook-napi', () => ({
  uIOhook: Object.assign(new EventEmitter(), { start: vi.fn(), stop: vi.fn() }),
}));

type Fake = typeof FakeElectron;

/** Resets the fake and loads a fresh copy of the entry point, as a new process would. */
async function boot(prepare: (fake: Fake) => void = () => {}): Promise<Fake> {
  vi.resetModules();
  // The mocked module is cached across module resets: take the instance the entry point will get.
  const fake = (await import('electron')) as unknown as Fake;
  fake.resetFakeElectron();
  prepare(fake);
  await import('./index.js');
  return fake;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

beforeEach(() => {
  delete process.env.ELECTRON_RENDERER_URL;
});

describe('main entry', () => {
  it('boots the shell: app:// scheme, hearth:// links, the secure window on app://hearth', async () => {
    const fake = await boot();
    await until(() => fake.BrowserWindow.instances.length === 1);
    expect(fake.callsTo('protocol', 'registerSchemesAsPrivileged')[0]?.args[0]).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
    ]);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(fake.callsTo('app', 'setAsDefaultProtocolClient')[0]?.args[0]).toBe('hearth');
    expect(fake.callsTo('BrowserWindow', 'loadURL').map((c) => c.args[0])).toEqual(['app://hearth/index.html']);
    const window = fake.BrowserWindow.instances[0];
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String((window?.options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(fake.Tray.instances).toHaveLength(1);
    await until(() => fake.ipcMain.handlers.size > 0);
    // The log file opens asynchronously: let it, before the next boot removes the user-data directory.
    await until(() => fs.existsSync(path.join(fake.app.getPath('logs'), 'main.log')));
    fake.app.emit('before-quit');
  });

  it('as a second launch, hands over to the first instance and quits without a window', async () => {
    const fake = await boot((f) => (f.app.singleInstanceLock = false));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });
});
