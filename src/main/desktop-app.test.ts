import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { reduce } from '../client/state/reducer.js';
import type { HearthClient } from '../client/client.js';
import { BRIDGE_IPC, type BridgeEvent, type BridgeListener, type DesktopHost } from '../shared/ipc/bridge.js';
import type { ClientAction, ClientState } from '../shared/ipc/state.js';
import { DesktopApp, type TrayPresence } from './desktop-app.js';
import { LinuxIntegration, xdgPaths } from './linux-integration.js';
import { SettingsStore } from './settings-store.js';
import { UpdateController, type UpdaterBackend } from './updater.js';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-protocol.js';
import { CHANNEL_ID, FRIEND, GUILD_ID, ME, messageCreate, messageFrom, signedInState } from './test-support/state.js';
import { makeSignedRelease, removeRelease } from './test-support/signed-release.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

/** The client core as the shell sees it: state, actions, and the few calls the shell makes. */
class FakeClient {
  state: ClientState = signedInState();
  host: DesktopHost | null = null;
  private readonly quiet = new Set<(state: ClientState, action?: ClientAction) => void>();
  private readonly listeners = new Set<BridgeListener>();
  setSelfMute = vi.fn(async (selfMute: boolean) => this.act({ type: 'self-voice', voice: { ...this.state.selfVoice, selfMute } }));
  setSelfDeaf = vi.fn(async (selfDeaf: boolean) => this.act({ type: 'self-voice', voice: { ...this.state.selfVoice, selfDeaf } }));
  setStatus = vi.fn(async (status: 'online' | 'idle') => this.act({ type: 'self-status', status }));
  start = vi.fn(async () => {});
  close = vi.fn();
  getState = () => this.state;
  subscribe(listener: BridgeListener): () => void {
    this.listeners.add(listener);
    listener({ type: 'snapshot', state: this.state });
    return () => this.listeners.delete(listener);
  }
  subscribeQuietly(listener: (state: ClientState, action?: ClientAction) => void): () => void {
    this.quiet.add(listener);
    return () => this.quiet.delete(listener);
  }
  act(action: ClientAction): { ok: true; value: null } {
    this.state = reduce(this.state, action);
    for (const listener of this.listeners) listener({ type: 'action', action });
    for (const listener of this.quiet) listener(this.state, action);
    return { ok: true, value: null };
  }
}

class FakeHook extends EventEmitter {
  running = false;
  start(): void {
    this.running = true;
  }
  stop(): void {
    this.running = false;
  }
}

function updateController(backend: EventEmitter, supported: boolean, publicKey: string | null = null): UpdateController {
  return new UpdateController({
    backend: backend as unknown as UpdaterBackend,
    supported,
    source: { kind: 'release', publicKey },
    currentVersion: '0.1.0',
    platform: 'linux',
    log: { info: vi.fn(), warn: vi.fn() },
  });
}

async function startApp(options: { startHidden?: boolean; updates?: UpdateController; tray?: TrayPresence; linux?: LinuxIntegration } = {}) {
  const client = new FakeClient();
  const hook = new FakeHook();
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const userData = fake.app.getPath('userData');
  const desktop = new DesktopApp({
    createClient: (host) => {
      client.host = host;
      return client as unknown as HearthClient;
    },
    settings: new SettingsStore(path.join(userData, 'settings.json'), { warn: vi.fn() }),
    hook,
    hookSupport: { available: true },
    updates: options.updates ?? updateController(new EventEmitter(), false),
    logger: logger as never,
    rendererUrl: APP_ENTRY_URL,
    appOrigin: APP_ORIGIN,
    preload: '/app/dist/preload/index.cjs',
    runtimeDir: '/app/build/runtime',
    startHidden: options.startHidden ?? false,
    linux: options.linux ?? null,
    tray: options.tray ?? { available: true },
  });
  await desktop.start();
  const window = fake.BrowserWindow.instances[0];
  const tray = fake.Tray.instances[0];
  if (!window || !tray) throw new Error('window or tray missing');
  window.emit('ready-to-show');
  window.focused = true;
  const renderer = { frame: { url: APP_ENTRY_URL, parent: null }, webContents: window.webContents };
  fake.ipcMain.emit(BRIDGE_IPC.subscribe, { sender: window.webContents, senderFrame: renderer.frame });
  const pushes = () => window.webContents.sent.map((m) => m.args[0] as BridgeEvent);
  return { desktop, client, hook, window, tray, renderer, pushes };
}

beforeEach(() => {
  fake.resetFakeElectron();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('DesktopApp', () => {
  it('opens the secure window on app://, serves the bridge to it and pushes a snapshot', async () => {
    const { window, pushes, renderer } = await startApp();
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(fake.callsTo('BrowserWindow', 'loadURL').map((c) => c.args[0])).toEqual([APP_ENTRY_URL]);
    expect(pushes()[0]).toMatchObject({ type: 'snapshot' });
    const result = await fake.ipcMain.invoke(BRIDGE_IPC.invoke('setSelfMute'), renderer, true);
    expect(result).toEqual({ ok: true, value: null });
  });

  it('hands a deep link to the renderer as the join dialog and brings the window up', async () => {
    const { desktop, window, pushes } = await startApp();
    window.hide();
    desktop.openLink({ kind: 'invite', code: 'Camp42', server: 'https://other.example' });
    expect(window.visible).toBe(true);
    expect(pushes().at(-1)).toEqual({ type: 'host', event: { type: 'open-invite', code: 'Camp42', server: 'https://other.example' } });
  });

  it('notifies a mention while unfocused; clicking opens the channel', async () => {
    const { client, window, pushes } = await startApp();
    window.focused = false;
    client.act(messageCreate(messageFrom(FRIEND, `<@${ME.id}> gg`, { mentions: [ME] })));
    const [notification] = fake.Notification.instances;
    expect(notification?.options.title).toBe('Ash (#general, Campfire)');
    notification?.emit('click');
    expect(window.focused).toBe(true);
    expect(pushes().at(-1)).toEqual({ type: 'host', event: { type: 'open-channel', guildId: GUILD_ID, channelId: CHANNEL_ID } });
  });

  it('does not notify while the window is focused', async () => {
    const { client } = await startApp();
    client.act(messageCreate(messageFrom(FRIEND, `<@${ME.id}>`, { mentions: [ME] })));
    expect(fake.Notification.instances).toEqual([]);
  });

  it('updates the tray and badge as unread mentions change', async () => {
    const { client, tray } = await startApp();
    client.act(messageCreate(messageFrom(FRIEND, `<@${ME.id}>`, { mentions: [ME] })));
    await vi.advanceTimersByTimeAsync(300);
    expect(tray.toolTip).toBe('Hearth — 1 unread mention');
    expect(fake.app.badgeCount).toBe(1);
  });

  it('toggles mute and deafen from the tray, and grabs no system-wide keys by default', async () => {
    const { client, tray } = await startApp();
    client.act({ type: 'self-voice', voice: { ...client.state.selfVoice, guildId: GUILD_ID, channelId: 'voice-1' } });
    tray.menu?.item('Mute').click?.();
    expect(client.setSelfMute).toHaveBeenLastCalledWith(true);
    expect(fake.callsTo('globalShortcut', 'register')).toEqual([]);
  });

  it('registers the chosen global shortcuts only while in a voice channel', async () => {
    const { client } = await startApp();
    const desktop = { ...client.state.settings.desktop, globalMuteShortcut: 'Control+Alt+M', globalDeafenShortcut: 'F14' };
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop } });
    expect(fake.globalShortcut.registered.size).toBe(0);
    client.act({ type: 'self-voice', voice: { ...client.state.selfVoice, guildId: GUILD_ID, channelId: 'voice-1' } });
    expect([...fake.globalShortcut.registered.keys()].sort()).toEqual(['Control+Alt+M', 'F14']);
    fake.globalShortcut.press('Control+Alt+M');
    expect(client.setSelfMute).toHaveBeenLastCalledWith(true);
    fake.globalShortcut.press('F14');
    expect(client.setSelfDeaf).toHaveBeenLastCalledWith(true);
    client.act({ type: 'self-voice', voice: { ...client.state.selfVoice, guildId: null, channelId: null } });
    expect(fake.globalShortcut.registered.size).toBe(0);
  });

  it('says which chosen shortcut another application owns', async () => {
    fake.globalShortcut.refuse.add('F14');
    const { client } = await startApp();
    const desktop = { ...client.state.settings.desktop, globalDeafenShortcut: 'F14' };
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop } });
    client.act({ type: 'self-voice', voice: { ...client.state.selfVoice, guildId: GUILD_ID, channelId: 'voice-1' } });
    expect(client.host?.appInfo().desktopShell?.shortcutsTaken).toEqual(['F14']);
  });

  it('hides to the tray on close (the default) and really closes when quitting', async () => {
    const { window, client } = await startApp();
    const desktop = { ...client.state.settings.desktop, globalMuteShortcut: 'Control+Alt+M' };
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop } });
    client.act({ type: 'self-voice', voice: { ...client.state.selfVoice, guildId: GUILD_ID, channelId: 'voice-1' } });
    expect(window.tryClose()).toBe(false);
    expect(window.visible).toBe(false);
    fake.app.emit('before-quit');
    expect(window.tryClose()).toBe(true);
    expect(fake.globalShortcut.registered.size).toBe(0);
  });

  it('minimises instead of hiding where the desktop has no tray, so an app in voice is never invisible', async () => {
    const { window, client } = await startApp({ tray: { available: false } });
    client.act({ type: 'self-voice', voice: { ...client.state.selfVoice, guildId: GUILD_ID, channelId: 'voice-1' } });
    expect(window.tryClose()).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.minimized).toBe(true);
    expect(client.host?.appInfo().desktopShell).toMatchObject({ tray: false });
  });

  it('starts minimised rather than hidden at login where there is no tray', async () => {
    const { window } = await startApp({ startHidden: true, tray: { available: false } });
    expect(window.visible).toBe(true);
    expect(window.minimized).toBe(true);
  });

  it('quits on close when close-to-tray is off', async () => {
    if (process.platform === 'darwin') return;
    const { window, client } = await startApp({ tray: { available: false } });
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...client.state.settings.desktop, closeToTray: false } } });
    expect(window.tryClose()).toBe(true);
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
  });

  it('remembers where the window was moved or resized to, and its placement when closed', async () => {
    const { window } = await startApp();
    const saved = () => new SettingsStore(path.join(fake.app.getPath('userData'), 'settings.json'), { warn: vi.fn() }).windowBounds;
    window.bounds = { x: 120, y: 80, width: 1100, height: 760 };
    window.emit('move');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved()).toEqual({ x: 120, y: 80, width: 1100, height: 760, maximized: false });
    window.bounds = { x: 10, y: 20, width: 900, height: 640 };
    window.maximized = true;
    window.tryClose();
    expect(saved()).toEqual({ x: 10, y: 20, width: 900, height: 640, maximized: true });
  });

  it('quits on close when close-to-tray is off', async () => {
    if (process.platform === 'darwin') return;
    const { client, window } = await startApp();
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...client.state.settings.desktop, closeToTray: false } } });
    expect(window.tryClose()).toBe(true);
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
  });

  it('starts the global hook when push-to-talk is chosen and forwards press and release', async () => {
    const { client, hook, pushes } = await startApp();
    expect(hook.running).toBe(false);
    const binding = { kind: 'key' as const, code: 0x002f, label: 'V' };
    client.act({
      type: 'settings',
      settings: { ...client.state.settings, voice: { ...client.state.settings.voice, inputMode: 'push-to-talk', pushToTalkBinding: binding, pushToTalkReleaseDelayMs: 100 } },
    });
    expect(hook.running).toBe(true);
    hook.emit('input', { type: 4, keycode: 0x002f });
    hook.emit('input', { type: 5, keycode: 0x002f });
    expect(pushes().at(-1)).toEqual({ type: 'host', event: { type: 'push-to-talk', pressed: true } });
    await vi.advanceTimersByTimeAsync(100);
    expect(pushes().at(-1)).toEqual({ type: 'host', event: { type: 'push-to-talk', pressed: false } });
  });

  it('gives the client core the desktop capabilities', async () => {
    const { client } = await startApp();
    expect(client.host?.appInfo()).toEqual({
      version: '0.1.0',
      globalPushToTalk: { available: true },
      update: { status: 'unsupported', reason: 'This build does not update itself (development build).' },
      updateSource: 'Hearth releases (this build has no signing key)',
      desktopShell: { tray: true, appImage: false, shortcutsTaken: [] },
    });
    await expect(client.host?.openExternal?.('file:///etc/passwd')).rejects.toThrow('Only http and https');
    await client.host?.openExternal?.('https://example.org/');
    expect(fake.callsTo('shell', 'openExternal').map((c) => c.args[0])).toEqual(['https://example.org/']);
  });

  it('registers start on login (starting hidden in the tray) when turned on, and removes it when turned off', async () => {
    fake.app.isPackaged = true;
    const { client } = await startApp();
    expect(fake.callsTo('app', 'setLoginItemSettings')).toHaveLength(0);
    const desktop = client.state.settings.desktop;
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...desktop, startOnLogin: true } } });
    expect(fake.app.getLoginItemSettings().openAtLogin).toBe(true);
    expect(fake.callsTo('app', 'setLoginItemSettings').map((c) => c.args[0])).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...desktop, startOnLogin: false } } });
    expect(fake.app.getLoginItemSettings().openAtLogin).toBe(false);
  });

  it('on Linux, starts on login through an XDG autostart entry and registers the AppImage\'s desktop entry', async () => {
    fake.app.isPackaged = true;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-home-'));
    try {
      const paths = xdgPaths({ XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config') }, home);
      const linux = new LinuxIntegration({ paths, appImage: '/home/u/Hearth.AppImage', executable: '/opt/Hearth/hearth', iconSource: path.resolve('build/runtime/app.png'), run: async () => {} });
      const { client } = await startApp({ linux });
      await vi.waitFor(() => expect(fs.existsSync(paths.applications)).toBe(true));
      // With the entry in place, Electron can make it the hearth:// handler.
      await vi.waitFor(() => expect(fake.callsTo('app', 'setAsDefaultProtocolClient').map((c) => c.args[0])).toEqual(['hearth']));
      const desktop = client.state.settings.desktop;
      client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...desktop, startOnLogin: true } } });
      expect(fs.readFileSync(paths.autostart, 'utf8')).toContain('Exec=/home/u/Hearth.AppImage --hidden');
      expect(fake.callsTo('app', 'setLoginItemSettings')).toEqual([]);
      client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...desktop, startOnLogin: false, registerAppImage: false } } });
      expect(fs.existsSync(paths.autostart)).toBe(false);
      await vi.waitFor(() => expect(fs.existsSync(paths.applications)).toBe(false));
      expect(client.host?.appInfo().desktopShell).toMatchObject({ appImage: true });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('never registers a development build to start on login', async () => {
    const { client } = await startApp();
    const desktop = client.state.settings.desktop;
    client.act({ type: 'settings', settings: { ...client.state.settings, desktop: { ...desktop, startOnLogin: true } } });
    expect(fake.callsTo('app', 'setLoginItemSettings')).toHaveLength(0);
  });

  it('never points updates at the signed-in server, tells the renderer their state, and restarts into a verified one on request', async () => {
    vi.useRealTimers();
    const release = await makeSignedRelease({ version: '2.0.0' });
    try {
      const backend = Object.assign(new EventEmitter(), {
        feeds: [] as unknown[], installs: 0,
        setFeedURL(feed: unknown) { this.feeds.push(feed); },
        checkForUpdates: vi.fn(async () => null),
        downloadUpdate: vi.fn(async () => []),
        quitAndInstall() { this.installs += 1; },
      });
      const { client, pushes } = await startApp({ updates: updateController(backend, true, release.keys.publicKey) });
      client.act({ type: 'server-url', serverUrl: 'https://chat.example.org' });
      expect(backend.feeds).toEqual([]);
      expect(backend.checkForUpdates).toHaveBeenCalled();
      backend.emit('update-available', release.info);
      expect(backend.downloadUpdate).toHaveBeenCalled();
      backend.emit('update-downloaded', { ...release.info, downloadedFile: release.installer });
      await vi.waitFor(() => expect(client.host?.appInfo().update).toEqual({ status: 'downloaded', version: '2.0.0' }));
      expect(pushes()).toContainEqual({ type: 'host', event: { type: 'update', update: { status: 'downloaded', version: '2.0.0' } } });
      expect(client.host?.appInfo().updateSource).toMatch(/^Hearth releases, signing key [0-9a-f ]{19}$/);
      await client.host?.installUpdate?.();
      expect(backend.installs).toBe(1);
    } finally {
      removeRelease(release);
    }
  });

  it('goes idle after the configured minutes without input', async () => {
    const { client } = await startApp();
    fake.powerMonitor.idleSeconds = 10 * 60;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(client.setStatus).toHaveBeenCalledWith('idle');
  });
});
