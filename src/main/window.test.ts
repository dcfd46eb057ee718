import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { createMainWindow, restoreBounds, isOwnOrigin } from './window.js';
import { APP_ENTRY_URL, APP_ORIGIN, CONTENT_SECURITY_POLICY, rendererResponse } from './app-protocol.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

beforeEach(() => fake.resetFakeElectron());

function openWindow() {
  const window = createMainWindow({ preload: '/app/dist/preload/index.cjs', url: APP_ENTRY_URL, appOrigin: APP_ORIGIN, bounds: {}, start: 'shown' }) as unknown as fake.BrowserWindow;
  return { window, contents: window.webContents };
}

describe('main window', () => {
  it('is created with the secure preferences', () => {
    const { window } = openWindow();
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(window.options.webPreferences).not.toHaveProperty('enableRemoteModule');
    expect(fake.callsTo('BrowserWindow', 'loadURL').map((c) => c.args[0])).toEqual(['app://hearth/index.html']);
  });

  it('shows only once painted, maximized when it was', () => {
    const window = createMainWindow({ preload: 'p', url: APP_ENTRY_URL, appOrigin: APP_ORIGIN, bounds: { width: 1000, height: 700, maximized: true }, start: 'shown' }) as unknown as fake.BrowserWindow;
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.maximized).toBe(true);
    expect(window.visible).toBe(true);
  });

  it('stays in the tray when launched hidden', () => {
    const window = createMainWindow({ preload: 'p', url: APP_ENTRY_URL, appOrigin: APP_ORIGIN, bounds: {}, start: 'hidden' }) as unknown as fake.BrowserWindow;
    window.emit('ready-to-show');
    expect(window.visible).toBe(false);
  });

  it('starts minimised, on the taskbar, where there is no tray to start in', () => {
    const window = createMainWindow({ preload: 'p', url: APP_ENTRY_URL, appOrigin: APP_ORIGIN, bounds: {}, start: 'minimized' }) as unknown as fake.BrowserWindow;
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    expect(window.minimized).toBe(true);
  });

  it('refuses navigation away from the app and opens http(s) targets in the browser', () => {
    const { contents } = openWindow();
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.emitPreventable('will-redirect', 'javascript:alert(1)')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'app://hearth/index.html')).toBe(false);
    expect(fake.callsTo('shell', 'openExternal').map((c) => c.args[0])).toEqual(['https://evil.example/phish']);
  });

  it('refuses window.open, sending only http(s) links to the system browser', () => {
    const { contents } = openWindow();
    const open = contents.windowOpenHandler;
    expect(open?.({ url: 'https://example.org/a?b=c' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'http://example.org/' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'smb://attacker/share' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'app://hearth/index.html' })).toEqual({ action: 'deny' });
    expect(fake.callsTo('shell', 'openExternal').map((c) => c.args[0])).toEqual(['https://example.org/a?b=c', 'http://example.org/']);
  });

  it('refuses webviews and foreign sub-frames', () => {
    const { contents } = openWindow();
    expect(contents.emitPreventable('will-attach-webview')).toBe(true);
    let prevented = false;
    contents.emit('will-frame-navigate', { isMainFrame: false, url: 'https://ads.example/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('grants only media (and sanitized clipboard writes) to our own origin', () => {
    const { contents } = openWindow();
    const request = contents.session.permissionRequestHandler;
    const check = contents.session.permissionCheckHandler;
    const ask = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      request?.(contents, permission, (value: boolean) => (granted = value), { requestingUrl });
      return granted;
    };
    expect(ask('media', 'app://hearth/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'app://hearth/index.html')).toBe(true);
    expect(ask('media', 'https://evil.example/')).toBe(false);
    expect(ask('geolocation', 'app://hearth/index.html')).toBe(false);
    expect(ask('notifications', 'app://hearth/index.html')).toBe(false);
    expect(ask('clipboard-read', 'app://hearth/index.html')).toBe(false);
    expect(check?.(contents, 'media', 'app://hearth', {})).toBe(true);
    expect(check?.(contents, 'media', 'https://evil.example', {})).toBe(false);
    expect(check?.(contents, 'hid', 'app://hearth', {})).toBe(false);
  });
});

describe('restoreBounds', () => {
  const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('restores a placement that is on a connected display', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, displays)).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: false });
  });

  it('keeps the size but lets the window centre when its display is gone', () => {
    expect(restoreBounds({ x: 3000, y: 200, width: 1200, height: 800, maximized: true }, displays)).toEqual({ width: 1200, height: 800, maximized: true });
  });

  it('uses the default size the first time and never goes below the minimum', () => {
    expect(restoreBounds(null, displays)).toEqual({ width: 1280, height: 800, maximized: false });
    expect(restoreBounds({ x: 0, y: 0, width: 10, height: 10, maximized: false }, displays)).toMatchObject({ width: 940, height: 500 });
  });
});

describe('app:// protocol', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-app-'));
  const dir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Hearth</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'hearth-secret.txt'), 'secret');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('serves renderer files with their type and the strict CSP', async () => {
    const response = await rendererResponse(dir, 'app://hearth/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves index.html for the root and client-side routes', async () => {
    for (const url of ['app://hearth/', 'app://hearth/channels/1/2']) {
      expect(await (await rendererResponse(dir, url)).text()).toContain('<title>Hearth</title>');
    }
  });

  it('refuses paths outside the renderer directory, other hosts and missing files', async () => {
    for (const url of [
      'app://hearth/../hearth-secret.txt',
      'app://hearth/%2e%2e/hearth-secret.txt',
      'app://hearth/..%2fhearth-secret.txt',
      'app://other/index.html',
      'app://hearth/assets/missing.js',
      'app://hearth/%E0%A4%A.js',
    ]) {
      expect((await rendererResponse(dir, url)).status, url).toBe(404);
    }
  });

  it('knows its own origin', () => {
    expect(isOwnOrigin('app://hearth/index.html', APP_ORIGIN)).toBe(true);
    expect(isOwnOrigin('app://hearth.evil/index.html', APP_ORIGIN)).toBe(false);
    expect(isOwnOrigin('not a url', APP_ORIGIN)).toBe(false);
  });
});
