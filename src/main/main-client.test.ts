/**
 * Main owns the client core: the renderer reaches a real Hearth server only through the IPC
 * bridge, its session token is kept with safeStorage, and a reloaded renderer gets a fresh
 * snapshot. Real server, real WebSocket (`ws`), real files; Electron is the recording fake.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import yaml from 'js-yaml';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { HearthClient } from '../client/client.js';
import type { WebSocketConstructor } from '../client/gateway-connection.js';
import { BRIDGE_IPC, type BridgeEvent, type BridgeResult } from '../shared/ipc/bridge.js';
import { guessPasswords, startTestServer, type TestServer } from '../server/test-support/server.js';
import { DesktopApp } from './desktop-app.js';
import { SettingsStore } from './settings-store.js';
import { TokenStore } from './token-store.js';
import { UpdateController, type UpdaterBackend } from './updater.js';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-protocol.js';
import { UpdaterSettings, makeSignedRelease, removeRelease, type SignedRelease } from './test-support/signed-release.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

let server: TestServer;
let clients: HearthClient[] = [];

beforeEach(async () => {
  fake.resetFakeElectron();
  server = await startTestServer();
});

afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  await server.close();
});

async function launch(options: { updates?: UpdateController; fetchImpl?: typeof fetch } = {}) {
  const { updates, fetchImpl } = options;
  const userData = fake.app.getPath('userData');
  const log = { warn: vi.fn() };
  const settings = new SettingsStore(path.join(userData, 'settings.json'), log);
  const tokens = new TokenStore(path.join(userData, 'session.bin'), log);
  const desktop = new DesktopApp({
    createClient: (host) => {
      const client = new HearthClient({
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        storage: settings.clientStorage(tokens),
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
        platform: 'desktop',
        version: '0.1.0',
        host,
      });
      clients.push(client);
      return client;
    },
    settings,
    hook: null,
    hookSupport: { available: false, reason: 'test' },
    updates: updates ?? new UpdateController({
      backend: new EventEmitter() as unknown as UpdaterBackend,
      supported: false,
      source: { kind: 'release', publicKey: null },
      currentVersion: '0.1.0',
      platform: 'linux',
      log: { info: vi.fn(), warn: vi.fn() },
    }),
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() } as never,
    rendererUrl: APP_ENTRY_URL,
    appOrigin: APP_ORIGIN,
    preload: 'preload.cjs',
    runtimeDir: 'runtime',
    startHidden: false,
    linux: null,
    tray: { available: true },
  });
  await desktop.start();
  const window = fake.BrowserWindow.instances.at(-1);
  if (!window) throw new Error('no window');
  const sender = { frame: { url: APP_ENTRY_URL, parent: null }, webContents: window.webContents };
  const call = async <T>(method: Parameters<typeof BRIDGE_IPC.invoke>[0], ...args: unknown[]) =>
    (await fake.ipcMain.invoke(BRIDGE_IPC.invoke(method), sender, ...args)) as BridgeResult<T>;
  const subscribe = () => fake.ipcMain.emit(BRIDGE_IPC.subscribe, { sender: window.webContents, senderFrame: sender.frame });
  const pushes = () => window.webContents.sent.map((m) => m.args[0] as BridgeEvent);
  return { call, subscribe, pushes, userData, window };
}

const isReady = (p: BridgeEvent) => p.type === 'action' && p.action.type === 'connection' && p.action.connection.status === 'ready';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(check()).toBe(true);
}

describe('main process and the client core', () => {
  it('serves a real session over IPC and keeps the token only encrypted', async () => {
    const app = await launch();
    app.subscribe();
    expect(await app.call('setServerUrl', server.url)).toMatchObject({ ok: true });
    const registered = await app.call<{ username: string }>('register', { username: 'ember', password: 'correct horse battery' });
    expect(registered).toMatchObject({ ok: true, value: { username: 'ember' } });
    await until(() => app.pushes().some(isReady));

    const guild = await app.call<{ id: string; name: string }>('createGuild', { name: 'Campfire' });
    expect(guild).toMatchObject({ ok: true, value: { name: 'Campfire' } });
    await until(() => app.pushes().some((p) => p.type === 'action' && p.action.type === 'dispatch' && p.action.t === 'GUILD_CREATE'));

    const files = fs.readdirSync(app.userData);
    expect(files).toContain('session.bin');
    const settingsText = fs.readFileSync(path.join(app.userData, 'settings.json'), 'utf8');
    expect(settingsText).toContain(server.url);
    expect(settingsText).not.toMatch(/"token"/);
    expect(fs.readFileSync(path.join(app.userData, 'session.bin')).subarray(0, 8).toString()).toBe('FAKEENC:');
  });

  it('keeps the device token in settings.json and signs in as a known device while the account is throttled', async () => {
    const logins: Headers[] = [];
    const app = await launch({ fetchImpl: (input, init) => {
      if (String(input).endsWith('/auth/login')) logins.push(new Headers(init?.headers));
      return fetch(input, init);
    } });
    app.subscribe();
    await app.call('setServerUrl', server.url);
    await app.call('register', { username: 'cinder', password: 'correct horse battery' });
    await until(() => app.pushes().some(isReady));
    expect(await app.call('logout')).toMatchObject({ ok: true });
    const settings = JSON.parse(fs.readFileSync(path.join(app.userData, 'settings.json'), 'utf8')) as { client: { devices?: string } };
    expect(Object.keys(JSON.parse(settings.client.devices ?? '{}') as object)).toEqual([server.url]);
    await guessPasswords(server.server, 'cinder', 10);
    expect(await app.call('login', { login: 'cinder', password: 'correct horse battery' })).toMatchObject({ ok: true, value: { username: 'cinder' } });
    // One request, carrying the device token: no 429 to wait out.
    expect(logins).toHaveLength(1);
    expect(logins[0]?.get('x-hearth-device')).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
  });

  it('gives a reloaded renderer a fresh snapshot with everything it had', async () => {
    const app = await launch();
    app.subscribe();
    await app.call('setServerUrl', server.url);
    await app.call('register', { username: 'ash', password: 'correct horse battery' });
    await until(() => app.pushes().some(isReady));
    await app.call('createGuild', { name: 'Lodge' });
    await until(() => app.pushes().some((p) => p.type === 'action' && p.action.type === 'dispatch' && p.action.t === 'GUILD_CREATE'));

    app.window.webContents.sent.length = 0;
    app.subscribe(); // the page reloaded and subscribed again
    const [snapshot] = app.pushes();
    expect(snapshot?.type).toBe('snapshot');
    if (snapshot?.type !== 'snapshot') return;
    expect(snapshot.state.user?.username).toBe('ash');
    expect(Object.values(snapshot.state.guilds).map((g) => g.name)).toEqual(['Lodge']);
  });
});

/**
 * An updater that really fetches over HTTP, as electron-updater's generic provider does: the
 * build-time feed unless `setFeedURL` names another, `latest-linux.yml` first, then the file.
 */
class HttpFeedUpdater extends UpdaterSettings {
  private info: Record<string, unknown> | null = null;
  constructor(private feed: string, private readonly downloads: string) {
    super();
  }
  setFeedURL(options: { url: string }): void {
    this.feed = options.url;
  }
  async checkForUpdates(): Promise<null> {
    this.emit('checking-for-update');
    const response = await fetch(new URL('latest-linux.yml', this.feed));
    if (!response.ok) throw new Error(`HttpError: ${response.status}`);
    this.info = yaml.load(await response.text()) as Record<string, unknown>;
    this.emit('update-available', this.info);
    return null;
  }
  async downloadUpdate(): Promise<string[]> {
    const url = (this.info?.files as { url: string }[])[0]?.url ?? '';
    const file = path.join(this.downloads, url);
    fs.writeFileSync(file, Buffer.from(await (await fetch(new URL(url, this.feed))).arrayBuffer()));
    this.emit('update-downloaded', { ...this.info, downloadedFile: file });
    return [file];
  }
  quitAndInstall(): void {}
}

/** Serves a directory over HTTP and counts the requests. */
async function serveDirectory(dir: string): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    const file = path.join(dir, path.basename(request.url ?? ''));
    if (!fs.existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('updates and the chat server', () => {
  let release: SignedRelease;
  let chat: TestServer;
  let downloads: string;
  beforeEach(async () => {
    release = await makeSignedRelease({ version: '0.2.0' });
    // A chat server that hosts an update feed: a signed one, even.
    chat = await startTestServer({ updatesDir: release.dir });
    downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-downloads-'));
  });
  afterEach(async () => {
    await chat.close();
    removeRelease(release);
    fs.rmSync(downloads, { recursive: true, force: true });
  });

  it('never contacts the signed-in server for updates: they come from the release channel only', async () => {
    const chatRequests: string[] = [];
    chat.server.app.server.on('request', (request: http.IncomingMessage) => chatRequests.push(request.url ?? ''));
    const channel = await serveDirectory(release.dir);
    try {
      const backend = new HttpFeedUpdater(channel.url, downloads);
      const updates = new UpdateController({
        backend: backend as unknown as UpdaterBackend,
        supported: true,
        source: { kind: 'release', publicKey: release.keys.publicKey },
        currentVersion: '0.1.0',
        platform: 'linux',
        log: { info: vi.fn(), warn: vi.fn() },
      });
      const app = await launch({ updates });
      app.subscribe();
      expect(await app.call('setServerUrl', chat.url)).toMatchObject({ ok: true });
      await app.call('register', { username: 'cinder', password: 'correct horse battery' });
      await until(() => app.pushes().some(isReady));
      await until(() => updates.state.status === 'downloaded');
      expect(chatRequests.length).toBeGreaterThan(0);
      expect(chatRequests.filter((url) => url.startsWith('/updates/'))).toEqual([]);
      expect(channel.requests).toEqual(['/latest-linux.yml', `/${path.basename(release.installer)}`]);
      expect(app.pushes()).toContainEqual({ type: 'host', event: { type: 'update', update: { status: 'downloaded', version: '0.2.0' } } });
    } finally {
      await channel.close();
    }
  });
});
