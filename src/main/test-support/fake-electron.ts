/**
 * A fake `electron` module for tests: the Electron binary cannot be downloaded in CI, so tests
 * replace the module with this one (`vi.mock('electron', () => import(...fake-electron.js))`)
 * and assert on what the code under test asked Electron to do. Every call is recorded in
 * {@link calls}; objects keep the handlers they were given so tests can drive them.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One recorded call: which Electron object, which method, with which arguments. */
export interface RecordedCall {
  target: string;
  method: string;
  args: unknown[];
}

/** Every call made to the fake since the last {@link resetFakeElectron}. */
export const calls: RecordedCall[] = [];

function record(target: string, method: string, args: unknown[]): void {
  calls.push({ target, method, args });
}

/** The recorded calls to one target (and optionally one method). */
export function callsTo(target: string, method?: string): RecordedCall[] {
  return calls.filter((c) => c.target === target && (method === undefined || c.method === method));
}

/** A fake `NativeImage`: remembers where it came from. */
export class FakeNativeImage {
  constructor(readonly source: string) {}
  isEmpty(): boolean {
    return this.source === '';
  }
  setTemplateImage(_template: boolean): void {}
}

export const nativeImage = {
  createFromPath: (p: string) => new FakeNativeImage(p),
  createEmpty: () => new FakeNativeImage(''),
};

/** A fake `Session` with the permission handlers the code installed. */
export class FakeSession {
  permissionRequestHandler: ((...args: unknown[]) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  setPermissionRequestHandler(handler: ((...args: unknown[]) => void) | null): void {
    record('session', 'setPermissionRequestHandler', [handler]);
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: ((...args: unknown[]) => boolean) | null): void {
    record('session', 'setPermissionCheckHandler', [handler]);
    this.permissionCheckHandler = handler;
  }
}

/** A fake `WebFrameMain`: what an IPC handler sees as the sender frame. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

/** A fake `WebContents`: an emitter that keeps its window-open handler and sent messages. */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly session = new FakeSession();
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  mainFrame: FakeFrame = { url: 'app://hearth/index.html', parent: null };
  private destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    record('webContents', 'setWindowOpenHandler', [handler]);
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    record('webContents', 'send', [channel, ...args]);
    this.sent.push({ channel, args });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Emits `will-navigate`-style events and says whether a listener called `preventDefault`. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true), url: args[0] }, ...args);
    return prevented;
  }
}

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A fake `BrowserWindow`. */
export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  bounds: Bounds;
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  overlay: { image: FakeNativeImage | null; description: string } | null = null;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    record('BrowserWindow', 'constructor', [options]);
    this.bounds = {
      x: (options.x as number | undefined) ?? 0,
      y: (options.y as number | undefined) ?? 0,
      width: (options.width as number | undefined) ?? 800,
      height: (options.height as number | undefined) ?? 600,
    };
    this.visible = options.show !== false;
    BrowserWindow.instances.push(this);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  loadURL(url: string): Promise<void> {
    record('BrowserWindow', 'loadURL', [url]);
    this.webContents.mainFrame = { url, parent: null };
    return Promise.resolve();
  }
  show(): void {
    record('BrowserWindow', 'show', []);
    this.visible = true;
  }
  hide(): void {
    record('BrowserWindow', 'hide', []);
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    record('BrowserWindow', 'focus', []);
    this.focused = true;
  }
  restore(): void {
    record('BrowserWindow', 'restore', []);
    this.minimized = false;
  }
  minimize(): void {
    record('BrowserWindow', 'minimize', []);
    this.minimized = true;
  }
  maximize(): void {
    record('BrowserWindow', 'maximize', []);
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds(): Bounds {
    return { ...this.bounds };
  }
  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }
  setOverlayIcon(image: FakeNativeImage | null, description: string): void {
    record('BrowserWindow', 'setOverlayIcon', [image, description]);
    this.overlay = { image, description };
  }
  flashFrame(flag: boolean): void {
    record('BrowserWindow', 'flashFrame', [flag]);
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  /** Emits `close` and says whether a listener prevented it. */
  tryClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
    return !prevented;
  }
}

class FakeApp extends EventEmitter {
  /** Electron's command-line switches of this launch (`app.commandLine`). */
  readonly switches = new Map<string, string>();
  readonly commandLine = {
    getSwitchValue: (name: string): string => this.switches.get(name) ?? '',
    hasSwitch: (name: string): boolean => this.switches.has(name),
  };
  singleInstanceLock = true;
  isPackaged = false;
  badgeCount = 0;
  loginItemSettings = { openAtLogin: false, wasOpenedAtLogin: false };
  private userDataDir: string | null = null;

  /** A temporary user-data directory, made on first use and removed by {@link resetFakeElectron}. */
  get userData(): string {
    this.userDataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-userdata-'));
    return this.userDataDir;
  }

  removeUserData(): void {
    if (this.userDataDir) fs.rmSync(this.userDataDir, { recursive: true, force: true });
    this.userDataDir = null;
  }

  requestSingleInstanceLock(): boolean {
    record('app', 'requestSingleInstanceLock', []);
    return this.singleInstanceLock;
  }
  quit(): void {
    record('app', 'quit', []);
  }
  exit(code?: number): void {
    record('app', 'exit', [code]);
  }
  focus(options?: unknown): void {
    record('app', 'focus', [options]);
  }
  setBadgeCount(count: number): boolean {
    record('app', 'setBadgeCount', [count]);
    this.badgeCount = count;
    return true;
  }
  getBadgeCount(): number {
    return this.badgeCount;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    record('app', 'setLoginItemSettings', [settings]);
    this.loginItemSettings = { ...this.loginItemSettings, ...settings };
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    return { ...this.loginItemSettings };
  }
  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    record('app', 'setAsDefaultProtocolClient', args);
    return true;
  }
  getPath(name: string): string {
    return name === 'userData' ? this.userData : path.join(this.userData, name);
  }
  getAppPath(): string {
    return process.cwd();
  }
  getVersion(): string {
    return '0.1.0';
  }
  getName(): string {
    return 'Hearth';
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

export let app = new FakeApp();

/** A fake `ipcMain` keeping each `handle` handler so tests can invoke it with any sender. */
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    record('ipcMain', 'handle', [channel]);
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    record('ipcMain', 'removeHandler', [channel]);
    this.handlers.delete(channel);
  }
  /** Calls a registered handler as Electron would for an `ipcRenderer.invoke` from `sender`. */
  async invoke(channel: string, sender: { frame: FakeFrame | null; webContents: FakeWebContents }, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: sender.frame, sender: sender.webContents }, ...args);
  }
}
export let ipcMain = new FakeIpcMain();

/** A fake `ipcRenderer` (preload side). */
class FakeIpcRenderer extends EventEmitter {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    record('ipcRenderer', 'invoke', [channel, ...args]);
    return Promise.resolve({ ok: true, value: null });
  }
  send(channel: string, ...args: unknown[]): void {
    record('ipcRenderer', 'send', [channel, ...args]);
  }
}
export let ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    record('contextBridge', 'exposeInMainWorld', [key, api]);
    this.exposed.set(key, api);
  },
};

export const shell = {
  openExternal(url: string): Promise<void> {
    record('shell', 'openExternal', [url]);
    return Promise.resolve();
  },
};

/** A fake `Tray`. */
export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  image: FakeNativeImage;
  toolTip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    record('Tray', 'constructor', [image]);
    this.image = image;
    Tray.instances.push(this);
  }
  setImage(image: FakeNativeImage): void {
    record('Tray', 'setImage', [image]);
    this.image = image;
  }
  setToolTip(text: string): void {
    record('Tray', 'setToolTip', [text]);
    this.toolTip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    record('Tray', 'setContextMenu', [menu]);
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** One menu item as given to `Menu.buildFromTemplate`. */
export interface FakeMenuItem {
  label?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
  /** The item with this label (throws when missing, so tests read clearly). */
  item(label: string): FakeMenuItem {
    const found = this.items.find((i) => i.label === label);
    if (!found) throw new Error(`No menu item '${label}' in [${this.items.map((i) => i.label).join(', ')}]`);
    return found;
  }
}

export const Menu = {
  buildFromTemplate: (template: FakeMenuItem[]) => new FakeMenu(template),
  setApplicationMenu: (menu: FakeMenu | null) => record('Menu', 'setApplicationMenu', [menu]),
};

/** A fake `Notification`. */
export class Notification extends EventEmitter {
  static instances: Notification[] = [];
  static supported = true;
  shown = false;
  constructor(readonly options: { title: string; body?: string; silent?: boolean }) {
    super();
    record('Notification', 'constructor', [options]);
    Notification.instances.push(this);
  }
  static isSupported(): boolean {
    return Notification.supported;
  }
  show(): void {
    record('Notification', 'show', []);
    this.shown = true;
  }
  close(): void {
    record('Notification', 'close', []);
  }
}

class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  getSystemIdleTime(): number {
    return this.idleSeconds;
  }
}
export let powerMonitor = new FakePowerMonitor();

/**
 * A fake `safeStorage`: "encrypts" by XOR so the bytes on disk differ from the plain text (tests
 * check the token never appears in the file) and decrypt reverses it.
 */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): string {
    return this.backend;
  },
  encryptString(plain: string): Buffer {
    record('safeStorage', 'encryptString', ['<redacted>']);
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('FAKEENC:'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
  },
  decryptString(encrypted: Buffer): string {
    record('safeStorage', 'decryptString', []);
    const prefix = Buffer.from('FAKEENC:');
    if (!encrypted.subarray(0, prefix.length).equals(prefix)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(encrypted.subarray(prefix.length).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

/** A fake `globalShortcut` that keeps callbacks so tests can "press" an accelerator. */
export const globalShortcut = {
  registered: new Map<string, () => void>(),
  refuse: new Set<string>(),
  register(accelerator: string, callback: () => void): boolean {
    record('globalShortcut', 'register', [accelerator]);
    if (this.refuse.has(accelerator) || this.registered.has(accelerator)) return false;
    this.registered.set(accelerator, callback);
    return true;
  },
  unregister(accelerator: string): void {
    record('globalShortcut', 'unregister', [accelerator]);
    this.registered.delete(accelerator);
  },
  isRegistered(accelerator: string): boolean {
    return this.registered.has(accelerator);
  },
  unregisterAll(): void {
    record('globalShortcut', 'unregisterAll', []);
    this.registered.clear();
  },
  press(accelerator: string): void {
    const callback = this.registered.get(accelerator);
    if (!callback) throw new Error(`No global shortcut ${accelerator}`);
    callback();
  },
};

export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays() {
    return this.displays;
  },
};

export const protocol = {
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    record('protocol', 'registerSchemesAsPrivileged', [schemes]);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    record('protocol', 'handle', [scheme]);
    this.handlers.set(scheme, handler);
  },
};

export const systemPreferences = {
  trustedAccessibility: true,
  isTrustedAccessibilityClient(prompt: boolean): boolean {
    record('systemPreferences', 'isTrustedAccessibilityClient', [prompt]);
    return this.trustedAccessibility;
  },
};

/** Puts every fake object back to its initial state (call in `beforeEach`). */
export function resetFakeElectron(): void {
  calls.length = 0;
  BrowserWindow.instances = [];
  Tray.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  app.removeUserData();
  app = new FakeApp();
  ipcMain = new FakeIpcMain();
  ipcRenderer = new FakeIpcRenderer();
  powerMonitor = new FakePowerMonitor();
  contextBridge.exposed.clear();
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  globalShortcut.registered.clear();
  globalShortcut.refuse.clear();
  screen.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  protocol.handlers.clear();
  systemPreferences.trustedAccessibility = true;
}

const fakeElectron = {
  get app() {
    return app;
  },
  get ipcMain() {
    return ipcMain;
  },
  get ipcRenderer() {
    return ipcRenderer;
  },
  get powerMonitor() {
    return powerMonitor;
  },
  BrowserWindow,
  Tray,
  Menu,
  Notification,
  nativeImage,
  contextBridge,
  shell,
  safeStorage,
  globalShortcut,
  screen,
  protocol,
  systemPreferences,
};
export default fakeElectron;
