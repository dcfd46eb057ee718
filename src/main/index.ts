/**
 * Electron main entry: single instance, the app:// scheme, then the desktop shell once Electron
 * is ready. Thin by design: every behaviour lives in a tested module.
 */
import path from 'node:path';
import { app, Menu, systemPreferences } from 'electron';
import electronUpdater from 'electron-updater';
import WebSocket from 'ws';
import { HearthClient } from '../client/client.js';
import type { WebSocketConstructor } from '../client/gateway-connection.js';
import { fetchUploadTransport } from '../client/rest-upload.js';
import { APP_ENTRY_URL, APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.js';
import { findDeepLink, type DeepLink } from './deep-link.js';
import { DesktopApp } from './desktop-app.js';
import { serverUrlFromArgs } from './launch-args.js';
import { createMainLogger } from './logger.js';
import type { InputHook } from './ptt-input.js';
import { availabilityOf, choosePushToTalkSource } from './ptt-platform.js';
import { PortalPushToTalkHook } from './portal-shortcuts.js';
import { SessionBus } from './session-bus.js';
import { ALWAYS_TRAY, StatusNotifierTray } from './tray-presence.js';
import { LinuxIntegration, xdgPaths } from './linux-integration.js';
import { probeXDisplay } from './x-display.js';
import { SettingsStore } from './settings-store.js';
import { claimSingleInstance, registerDeepLinkScheme } from './single-instance.js';
import { TokenStore } from './token-store.js';
import { UpdateController } from './updater.js';
import { loadUpdateSource, updatePolicyFiles } from './update-policy.js';
import { RELEASE_PUBLIC_KEY } from './release-key.js';
import { originOf } from './window.js';

const here = import.meta.dirname;
/** electron-vite's dev server, when running `electron-vite dev`. */
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

/** Loads the native key hook; null when its binary cannot load here (push-to-talk then uses the focused window). */
async function loadHook(): Promise<InputHook | null> {
  try {
    const module = await import('uiohook-napi');
    // Named export when Node's CJS detection finds it, else through the CommonJS default.
    return module.uIOhook ?? module.default.uIOhook;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  await app.whenReady();
  const logger = createMainLogger(app.getPath('logs'), !app.isPackaged);
  const userData = app.getPath('userData');
  const settings = new SettingsStore(path.join(userData, 'settings.json'), { warn: (m) => logger.warn(m) });
  const tokens = new TokenStore(path.join(userData, 'session.bin'), { warn: (m) => logger.warn(m) });
  const runtimeDir = app.isPackaged ? path.join(process.resourcesPath, 'runtime') : path.join(app.getAppPath(), 'build', 'runtime');

  if (!devServerUrl) serveRenderer(path.join(here, '../renderer'));
  // Windows and Linux get no menu bar (and so no reload/devtools accelerators); macOS keeps its standard menu.
  if (process.platform !== 'darwin') Menu.setApplicationMenu(null);

  const updates = new UpdateController({
    backend: electronUpdater.autoUpdater,
    supported: app.isPackaged,
    source: loadUpdateSource(updatePolicyFiles(process.platform, process.env, userData), RELEASE_PUBLIC_KEY),
    currentVersion: app.getVersion(),
    platform: process.platform,
    log: { info: (m) => logger.info(m), warn: (m, error) => logger.warn({ err: error }, m) },
  });
  // Linux asks its desktop through the session bus: the shortcuts portal and the tray.
  const linux = process.platform === 'linux';
  const bus = linux ? await SessionBus.connect(process.env.DBUS_SESSION_BUS_ADDRESS).catch(() => null) : null;
  const pushToTalkSource = await choosePushToTalkSource({
    platform: process.platform,
    env: process.env,
    ozonePlatform: app.commandLine.getSwitchValue('ozone-platform') || null,
    ...(process.platform === 'darwin' ? { accessibilityTrusted: systemPreferences.isTrustedAccessibilityClient(false) } : {}),
    probeDisplay: (display) => probeXDisplay(display),
    connectBus: async () => {
      if (!bus) throw new Error('no session bus');
      return bus;
    },
  });
  logger.info(`push-to-talk input: ${pushToTalkSource.kind}`);
  const hook: InputHook | null =
    pushToTalkSource.kind === 'portal'
      ? new PortalPushToTalkHook(pushToTalkSource.bus, (m, error) => logger.warn({ err: error }, m))
      : pushToTalkSource.kind === 'hook'
        ? await loadHook()
        : null;
  const desktop = new DesktopApp({
    createClient: (host) =>
      new HearthClient({
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        storage: settings.clientStorage(tokens),
        platform: 'desktop',
        version: app.getVersion(),
        uploadTransport: fetchUploadTransport(),
        host,
        gatewayProperties: { os: process.platform, browser: 'Hearth Desktop', device: 'Hearth' },
      }),
    settings,
    hook,
    hookSupport: availabilityOf(pushToTalkSource),
    updates,
    logger,
    rendererUrl: devServerUrl ?? APP_ENTRY_URL,
    appOrigin: (devServerUrl && originOf(devServerUrl)) || APP_ORIGIN,
    preload: path.join(here, '../preload/index.cjs'),
    runtimeDir,
    // Windows and Linux login items pass --hidden; macOS reports the login launch instead.
    startHidden: process.argv.includes('--hidden') || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin),
    linux: linux
      ? new LinuxIntegration({
          paths: xdgPaths(process.env),
          appImage: app.isPackaged ? (process.env.APPIMAGE ?? null) : null,
          executable: process.execPath,
          iconSource: path.join(runtimeDir, 'app.png'),
        })
      : null,
    tray: linux ? await StatusNotifierTray.watch(bus) : ALWAYS_TRAY,
  });
  await desktop.start();
  shell = desktop;
  // `npm start` opens the app on the server it started.
  const launchServer = serverUrlFromArgs(process.argv);
  if (launchServer) await desktop.useServer(launchServer);
  const launchLink = findDeepLink(process.argv);
  if (launchLink) desktop.openLink(launchLink);
  for (const link of earlyLinks.splice(0)) desktop.openLink(link);
}

/** The running shell; links that arrive before it is up wait in {@link earlyLinks}. */
let shell: DesktopApp | null = null;
const earlyLinks: DeepLink[] = [];

registerAppScheme();
// Windows attributes notifications and taskbar badges by this ID (electron-builder's appId).
if (process.platform === 'win32') app.setAppUserModelId('org.hearth.desktop');
const primary = claimSingleInstance({
  focus: () => shell?.show(),
  openLink: (link) => (shell ? shell.openLink(link) : earlyLinks.push(link)),
});
if (primary) {
  registerDeepLinkScheme();
  main().catch((error: unknown) => {
    // Nothing can be shown without the shell; say why on stderr and leave with a failure code.
    console.error('Hearth failed to start:', error);
    app.exit(1);
  });
}
