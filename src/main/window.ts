/**
 * The main window, built to Electron's security checklist: an isolated, sandboxed renderer with
 * no Node, web security on, navigation and `window.open` refused (http(s) links go to the
 * system browser), and permissions granted only to our own origin for media.
 */
import { BrowserWindow, shell, type Session, type WebContents, type WebPreferences } from 'electron';

/** Saved window placement (also the JSON shape in the settings file). */
export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** A display's usable area, as `screen.getAllDisplays()[i].workArea`. */
export interface WorkArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 940, height: 500 } as const;

/** The renderer's preferences: every item of Electron's security checklist. */
export function securePreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
    // Voice keeps working while the window is hidden in the tray.
    backgroundThrottling: false,
  };
}

/** `scheme://host[:port]`, also for custom schemes (whose WHATWG `origin` is the string "null"). */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/** Whether `url` belongs to the app's own origin. */
export function isOwnOrigin(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}

/** Opens http(s) links in the system browser; anything else (file:, javascript:, custom schemes) is dropped. */
export function openExternalSafely(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  void shell.openExternal(parsed.href);
  return true;
}

/** Refuses every navigation away from the app and every new window; http(s) targets open outside. */
export function guardNavigation(contents: WebContents, appOrigin: string): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    // Reloads of the app itself stay allowed; everything else leaves through the browser, or not at all.
    if (isOwnOrigin(url, appOrigin)) return;
    event.preventDefault();
    openExternalSafely(url);
  };
  contents.on('will-navigate', (event, url) => refuse(event, url));
  contents.on('will-redirect', (event, url) => refuse(event, url));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isOwnOrigin(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}

/**
 * Grants permission requests and checks only to our own origin, and only for media (microphone
 * and camera for voice) and sanitized clipboard writes ("Copy invite link"). Everything else —
 * geolocation, notifications from the page, clipboard reads, HID, USB... — is refused.
 */
export function guardPermissions(session: Session, appOrigin: string): void {
  const allowed = (permission: string, origin: string) =>
    (permission === 'media' || permission === 'clipboard-sanitized-write') && isOwnOrigin(origin, appOrigin);
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(allowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
}

/**
 * Puts saved bounds back when they are still on a connected display (at least 100 × 50 px of
 * the window visible); otherwise the default size, centred by Electron.
 */
export function restoreBounds(saved: WindowBounds | null, displays: readonly WorkArea[]): Partial<WindowBounds> {
  if (!saved) return { ...DEFAULT_SIZE, maximized: false };
  const width = Math.max(MIN_SIZE.width, saved.width);
  const height = Math.max(MIN_SIZE.height, saved.height);
  const visible = displays.some((d) => {
    const overlapX = Math.min(saved.x + width, d.x + d.width) - Math.max(saved.x, d.x);
    const overlapY = Math.min(saved.y + height, d.y + d.height) - Math.max(saved.y, d.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  return visible ? { x: saved.x, y: saved.y, width, height, maximized: saved.maximized } : { width, height, maximized: saved.maximized };
}

export interface MainWindowOptions {
  preload: string;
  /** What to load: `app://hearth/index.html`, or the dev server URL in development. */
  url: string;
  appOrigin: string;
  bounds: Partial<WindowBounds>;
  /** Launched at login: start hidden in the tray, or minimised where there is no tray to find it in. */
  start: 'shown' | 'hidden' | 'minimized';
  icon?: string;
}

/** Creates the main window with the secure preferences and guards, and loads the app. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { bounds } = options;
  const window = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width ?? DEFAULT_SIZE.width,
    height: bounds.height ?? DEFAULT_SIZE.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Hearth',
    backgroundColor: '#1e1f22',
    autoHideMenuBar: true,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: securePreferences(options.preload),
  });
  guardNavigation(window.webContents, options.appOrigin);
  guardPermissions(window.webContents.session, options.appOrigin);
  // Shown once painted, so the user never sees a white flash.
  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    if (options.start === 'hidden') return;
    window.show();
    if (options.start === 'minimized') window.minimize();
  });
  void window.loadURL(options.url);
  return window;
}

/** Brings the window up: restored, shown, focused. */
export function showWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** Current placement, for saving. */
export function currentBounds(window: BrowserWindow): WindowBounds {
  const { x, y, width, height } = window.getNormalBounds();
  return { x, y, width, height, maximized: window.isMaximized() };
}
