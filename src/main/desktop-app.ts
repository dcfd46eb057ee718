/**
 * The desktop shell, wired: the client core behind IPC, the window, tray, badge, notifications,
 * auto-idle, push-to-talk, voice shortcuts and updates, each following the client state. Every
 * piece is its own tested module; this file only connects them.
 */
import path from 'node:path';
import { app, powerMonitor, screen, type BrowserWindow } from 'electron';
import type { HearthClient } from '../client/client.js';
import type { ClientAction, ClientState } from '../shared/ipc/state.js';
import type { DesktopHost, HostEvent } from '../shared/ipc/bridge.js';
import type { DeepLink } from './deep-link.js';
import { BridgeIpc, trustedSender } from './ipc.js';
import { MentionBadge } from './badge.js';
import { AppTray } from './tray.js';
import { MentionNotifier, noticeFor } from './notifications.js';
import { AutoIdle } from './idle.js';
import { PushToTalkInputs, type FocusedKeySource, type HookAvailability, type InputHook } from './ptt-input.js';
import { PushToTalk } from './push-to-talk.js';
import { desktopHost } from './desktop-host.js';
import type { UpdateController } from './updater.js';
import type { SettingsStore } from './settings-store.js';
import { NO_SHORTCUTS, VoiceShortcuts } from './shortcuts.js';
import type { LinuxIntegration } from './linux-integration.js';
import { registerDeepLinkScheme } from './single-instance.js';
import { trayStatusOf } from './desktop-state.js';
import { createMainWindow, currentBounds, restoreBounds, showWindow } from './window.js';
import { uiohookKeyFromDomCode } from './keycodes.js';
import { logAdapter, type MainLogger } from './logger.js';

export interface DesktopAppOptions {
  /** Builds the client core with the shell's host capabilities. */
  createClient(host: DesktopHost): HearthClient;
  settings: SettingsStore;
  /** The global key hook (uiohook-napi), or null when its native module failed to load. */
  hook: InputHook | null;
  hookSupport: HookAvailability;
  updates: UpdateController;
  logger: MainLogger;
  /** Where the renderer is loaded from and its origin (app://hearth, or the dev server). */
  rendererUrl: string;
  appOrigin: string;
  preload: string;
  /** Tray, badge and window images (build/runtime, or resources/runtime when packaged). */
  runtimeDir: string;
  /** Launched at login: stay in the tray (or minimised, without one). */
  startHidden: boolean;
  /** Linux: the desktop entry (AppImage) and autostart files; null elsewhere. */
  linux: LinuxIntegration | null;
  /** Whether the session shows a tray now (some Linux desktops have none). */
  tray: TrayPresence;
}

/** Whether there is a tray (notification area) to hide the app in. */
export interface TrayPresence {
  readonly available: boolean;
}

/** Coalesces tray/badge refreshes: many actions can arrive in one burst. */
const TRAY_REFRESH_MS = 250;
/** Window placement is saved this long after the last move or resize. */
const BOUNDS_SAVE_MS = 500;

export class DesktopApp {
  private window: BrowserWindow | null = null;
  private quitting = false;
  private readonly ipc: BridgeIpc;
  private readonly tray: AppTray;
  private readonly badge: MentionBadge;
  private readonly notifier: MentionNotifier;
  private readonly idle: AutoIdle;
  private trayTimer: ReturnType<typeof setTimeout> | null = null;
  private applied = '';
  private readonly log: ReturnType<typeof logAdapter>;
  private readonly client: HearthClient;
  private readonly pushToTalk: PushToTalkInputs;
  private readonly shortcuts: VoiceShortcuts;

  constructor(private readonly options: DesktopAppOptions) {
    const { runtimeDir } = options;
    this.log = logAdapter(options.logger);
    const pressedState = new PushToTalk((pressed) => this.ipc.pushHost({ type: 'push-to-talk', pressed }));
    this.pushToTalk = new PushToTalkInputs(pressedState, options.hook, this.focusedKeys, options.hookSupport, (m, e) => this.log.warn(m, e));
    this.shortcuts = new VoiceShortcuts({ toggleMute: () => this.toggleMute(), toggleDeafen: () => this.toggleDeafen() }, (m) => this.log.warn(m));
    this.client = options.createClient(
      desktopHost(app.getVersion(), this.pushToTalk, options.updates, () => ({
        tray: options.tray.available,
        appImage: options.linux?.isAppImage ?? false,
        shortcutsTaken: [...this.shortcuts.unavailable],
      })),
    );
    this.ipc = new BridgeIpc(this.client, trustedSender(() => this.window?.webContents ?? null, options.appOrigin), this.log);
    this.tray = new AppTray(
      { normal: path.join(runtimeDir, 'tray.png'), unread: path.join(runtimeDir, 'tray-unread.png') },
      { open: () => this.show(), toggleMute: () => this.toggleMute(), toggleDeafen: () => this.toggleDeafen(), quit: () => app.quit() },
    );
    this.badge = new MentionBadge(process.platform, () => this.window, path.join(runtimeDir, 'badge.png'));
    this.notifier = new MentionNotifier((notice) => this.openChannel(notice.guildId, notice.channelId), path.join(runtimeDir, 'app.png'));
    this.idle = new AutoIdle({
      idle: powerMonitor,
      getStatus: () => this.client.getState().selfStatus,
      setStatus: (status) => void this.client.setStatus(status),
    });
  }

  /** Serves the bridge, opens the window and starts following the client state. */
  async start(): Promise<void> {
    this.ipc.register();
    this.window = this.createWindow();
    this.client.subscribeQuietly((state, action) => this.onState(state, action));
    app.on('before-quit', () => this.beforeQuit());
    // macOS: clicking the dock icon brings the hidden window back.
    app.on('activate', () => this.show());
    await this.client.start();
    this.onState(this.client.getState());
    this.options.updates.onChange((update) => this.ipc.pushHost({ type: 'update', update }));
    this.options.updates.start();
  }

  /** Points the app at the server at `url` (a no-op when it is already the one); a failure is logged and changes nothing. */
  async useServer(url: string): Promise<void> {
    const result = await this.client.setServerUrl(url);
    if (!result.ok) this.log.warn(`Could not use the server ${url}`, result.error);
  }

  /** Brings the window to the front (tray, second launch, notification click). */
  show(): void {
    if (this.window && !this.window.isDestroyed()) showWindow(this.window);
  }

  /** A deep link: show the window and open the join dialog, or the offer to switch servers (kept until the renderer listens). */
  openLink(link: DeepLink): void {
    this.show();
    this.pushKept({ type: 'open-invite', code: link.code, server: link.server });
  }

  private openChannel(guildId: string, channelId: string): void {
    this.show();
    this.pushKept({ type: 'open-channel', guildId, channelId });
  }

  private pushKept(event: HostEvent): void {
    this.ipc.pushHost(event, { keep: true });
  }

  private toggleMute(): void {
    void this.client.setSelfMute(!this.client.getState().selfVoice.selfMute);
  }

  private toggleDeafen(): void {
    void this.client.setSelfDeaf(!this.client.getState().selfVoice.selfDeaf);
  }

  private createWindow(): BrowserWindow {
    const { settings } = this.options;
    const window = createMainWindow({
      preload: this.options.preload,
      url: this.options.rendererUrl,
      appOrigin: this.options.appOrigin,
      bounds: restoreBounds(settings.windowBounds, screen.getAllDisplays().map((d) => d.workArea)),
      start: this.options.startHidden ? (this.options.tray.available ? 'hidden' : 'minimized') : 'shown',
      icon: path.join(this.options.runtimeDir, 'app.png'),
    });
    let saveTimer: ReturnType<typeof setTimeout> | null = null;
    const saveSoon = () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => !window.isDestroyed() && (settings.windowBounds = currentBounds(window)), BOUNDS_SAVE_MS);
    };
    for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', saveSoon);
    window.on('close', (event) => {
      settings.windowBounds = currentBounds(window);
      const closeToTray = this.client.getState().settings.desktop.closeToTray;
      if (this.quitting || (!closeToTray && process.platform !== 'darwin')) return;
      event.preventDefault();
      // Without a tray a hidden window could not be found again while Hearth stays in voice:
      // it goes to the taskbar instead (macOS always keeps the dock icon).
      if (process.platform === 'darwin' || this.options.tray.available) window.hide();
      else window.minimize();
    });
    window.on('closed', () => {
      if (saveTimer) clearTimeout(saveTimer);
      this.window = null;
      if (!this.quitting) app.quit();
    });
    window.on('focus', () => this.badge.reapply());
    return window;
  }

  /** Key events of the focused window: push-to-talk's input where the global hook cannot work. */
  private readonly focusedKeys: FocusedKeySource = {
    subscribe: (onInput, onBlur) => {
      const window = this.window;
      if (!window) return () => {};
      const onKey = (_event: unknown, input: { type: string; code: string }) => {
        if (input.type !== 'keyDown' && input.type !== 'keyUp') return;
        const code = uiohookKeyFromDomCode(input.code);
        if (code !== null) onInput({ kind: 'key', code, down: input.type === 'keyDown' });
      };
      window.webContents.on('before-input-event', onKey);
      window.on('blur', onBlur);
      return () => {
        window.webContents.off('before-input-event', onKey);
        window.off('blur', onBlur);
      };
    },
  };

  private onState(state: ClientState, action?: ClientAction): void {
    if (action?.type === 'dispatch' && action.t === 'MESSAGE_CREATE') {
      const notice = noticeFor(state, action.d, this.window?.isFocused() ?? false);
      if (notice) {
        this.notifier.show(notice);
        this.window?.flashFrame(true);
      }
    }
    if (!action || action.type === 'settings') this.applySettings(state);
    // Global voice shortcuts exist only while in a voice channel.
    const { desktop } = state.settings;
    if (!this.quitting) this.shortcuts.apply(state.selfVoice.channelId ? { toggleMute: desktop.globalMuteShortcut, toggleDeafen: desktop.globalDeafenShortcut } : NO_SHORTCUTS);
    this.trayTimer ??= setTimeout(() => {
      this.trayTimer = null;
      const status = trayStatusOf(this.client.getState());
      this.tray.update(status);
      this.badge.set(status.mentions);
    }, TRAY_REFRESH_MS);
  }

  /** Applies the settings the shell owns: push-to-talk, auto-idle, start on login. */
  private applySettings(state: ClientState): void {
    const { voice, desktop } = state.settings;
    const key = JSON.stringify([voice.inputMode, voice.pushToTalkBinding, voice.pushToTalkReleaseDelayMs, desktop]);
    if (key === this.applied) return;
    this.applied = key;
    this.pushToTalk.configure({
      enabled: voice.inputMode === 'push-to-talk',
      binding: voice.pushToTalkBinding,
      releaseDelayMs: voice.pushToTalkReleaseDelayMs,
    });
    this.idle.setMinutes(desktop.idleAfterMinutes);
    this.applyStartOnLogin(desktop.startOnLogin);
    const { linux } = this.options;
    if (linux?.isAppImage) {
      linux
        .applyAppImageEntry(desktop.registerAppImage)
        // Now that hearth.desktop exists, Electron can make it the hearth:// handler.
        .then((changed) => changed && desktop.registerAppImage && registerDeepLinkScheme())
        .catch((error: unknown) => this.log.warn('the AppImage desktop entry could not be written', error));
    }
  }

  /** Start on login: Electron's login items on Windows and macOS, an XDG autostart entry on Linux. */
  private applyStartOnLogin(enabled: boolean): void {
    // Registering a development build (the bare Electron binary) to start at login would be wrong.
    if (!app.isPackaged) return;
    const { linux } = this.options;
    try {
      if (linux) {
        if (linux.startsOnLogin !== enabled) linux.setStartOnLogin(enabled);
      } else if (app.getLoginItemSettings().openAtLogin !== enabled) {
        app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
      }
    } catch (error) {
      this.log.warn('start on login could not be changed', error);
    }
  }

  private beforeQuit(): void {
    this.quitting = true;
    if (this.window && !this.window.isDestroyed()) this.options.settings.windowBounds = currentBounds(this.window);
    this.idle.dispose();
    this.pushToTalk.dispose();
    this.options.updates.stop();
    this.shortcuts.dispose();
    this.client.close();
    this.ipc.dispose();
    this.tray.destroy();
  }
}
