/**
 * Hearth's place in a Linux desktop, written as freedesktop files in the user's home:
 * - an AppImage has no installer, so on first run it registers its own desktop entry (and icon)
 *   in `$XDG_DATA_HOME/applications`, which makes `hearth://` links, the launcher and the dock
 *   icon work; the user can turn that off, which removes the files again;
 * - start on login is an XDG autostart entry in `$XDG_CONFIG_HOME/autostart`, because
 *   Electron's `setLoginItemSettings` does nothing on Linux.
 * The entry's fields are the ones electron-builder writes for the deb (electron-builder.yml, kept
 * equal by a test), and its name is `hearth.desktop`: Electron's Wayland app_id and X11 WM_CLASS
 * come from that name (package.json's desktopName), which is how the desktop ties windows to it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './json-file.js';

/** package.json's desktopName: the entry's file name and, without `.desktop`, Electron's app_id. */
export const DESKTOP_FILE = 'hearth.desktop';
/** The icon name the entry uses (`hicolor` theme). */
const ICON_NAME = 'hearth';
/** Marks entries Hearth wrote, so it never removes a file someone else put there. */
const MARKER = 'X-Hearth-Generated';

/** The desktop entry's fields, as electron-builder.yml gives them for the packaged app. */
export const DESKTOP_ENTRY_FIELDS = {
  Name: 'Hearth',
  GenericName: 'Chat and voice',
  Comment: 'Chat and voice for communities',
  Categories: 'Network;InstantMessaging;Chat;',
  Keywords: 'chat;voice;discord;community;',
  StartupWMClass: DESKTOP_FILE.replace(/\.desktop$/, ''),
  MimeType: 'x-scheme-handler/hearth;',
} as const;

/** Where the files go, from the XDG base directory variables. */
export interface XdgPaths {
  applications: string;
  icon: string;
  autostart: string;
}

export function xdgPaths(env: Readonly<Record<string, string | undefined>>, home = os.homedir()): XdgPaths {
  const data = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const config = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return {
    applications: path.join(data, 'applications', DESKTOP_FILE),
    icon: path.join(data, 'icons', 'hicolor', '256x256', 'apps', `${ICON_NAME}.png`),
    autostart: path.join(config, 'autostart', DESKTOP_FILE),
  };
}

/** Quotes one argument of an Exec line as the desktop entry spec says. */
export function execArgument(arg: string): string {
  if (!/[\s"'\\`$<>~|&;*?#()]/.test(arg) && arg !== '') return arg;
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/** A desktop entry launching `executable` with `args` (field codes such as %U pass through). */
export function desktopEntry(executable: string, args: readonly string[], extra: Readonly<Record<string, string>> = {}): string {
  const exec = [execArgument(executable), ...args.map((a) => (/^%[fFuU]$/.test(a) ? a : execArgument(a)))].join(' ');
  const fields: Record<string, string> = { Type: 'Application', ...DESKTOP_ENTRY_FIELDS, Exec: exec, Icon: ICON_NAME, Terminal: 'false', ...extra, [MARKER]: 'true' };
  return `[Desktop Entry]\n${Object.entries(fields).map(([key, value]) => `${key}=${value}`).join('\n')}\n`;
}

/** Runs a desktop helper (update-desktop-database, xdg-mime) if it is installed; never fails. */
export type RunHelper = (command: string, args: string[]) => Promise<void>;

export const runHelper: RunHelper = (command, args) =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000 }, () => resolve());
  });

export interface LinuxIntegrationOptions {
  paths: XdgPaths;
  /** The running AppImage (`$APPIMAGE`), or null when Hearth was installed another way. */
  appImage: string | null;
  /** The executable to start at login when not an AppImage (the deb's /opt/Hearth/hearth). */
  executable: string;
  /** The icon to install with the AppImage's entry (build/runtime/app.png, 256 px). */
  iconSource: string;
  run?: RunHelper;
}

/** Writes and removes Hearth's desktop entry (AppImage) and autostart entry. */
export class LinuxIntegration {
  private readonly run: RunHelper;

  constructor(private readonly options: LinuxIntegrationOptions) {
    this.run = options.run ?? runHelper;
  }

  /** True when running as an AppImage (the only install that needs to register itself). */
  get isAppImage(): boolean {
    return this.options.appImage !== null;
  }

  /**
   * Registers the AppImage's entry (wanted) or removes it (not wanted). Rewrites it when the
   * AppImage moved. Returns whether anything changed. Does nothing outside an AppImage.
   */
  async applyAppImageEntry(wanted: boolean): Promise<boolean> {
    const { appImage, paths, iconSource } = this.options;
    if (!appImage) return false;
    const entry = desktopEntry(appImage, ['%U']);
    const current = readIfOurs(paths.applications);
    if (wanted) {
      if (current === entry && fs.existsSync(paths.icon)) return false;
      if (current === null && fs.existsSync(paths.applications)) return false; // someone else's entry: leave it
      fs.mkdirSync(path.dirname(paths.icon), { recursive: true });
      fs.copyFileSync(iconSource, paths.icon);
      writeFileAtomic(paths.applications, entry);
      fs.chmodSync(paths.applications, 0o644);
    } else {
      if (current === null) return false;
      fs.rmSync(paths.applications, { force: true });
      fs.rmSync(paths.icon, { force: true });
    }
    await this.refreshDesktopDatabase();
    return true;
  }

  /** Whether Hearth starts on login (its autostart entry exists). */
  get startsOnLogin(): boolean {
    return readIfOurs(this.options.paths.autostart) !== null;
  }

  /** Writes or removes the XDG autostart entry; the login start passes --hidden (starts in the tray). */
  setStartOnLogin(enabled: boolean): void {
    const file = this.options.paths.autostart;
    if (!enabled) {
      if (readIfOurs(file) !== null) fs.rmSync(file, { force: true });
      return;
    }
    const executable = this.options.appImage ?? this.options.executable;
    writeFileAtomic(file, desktopEntry(executable, ['--hidden'], { 'X-GNOME-Autostart-enabled': 'true' }));
    fs.chmodSync(file, 0o644);
  }

  private async refreshDesktopDatabase(): Promise<void> {
    const dir = path.dirname(this.options.paths.applications);
    await this.run('update-desktop-database', [dir]);
    if (fs.existsSync(this.options.paths.applications)) await this.run('xdg-mime', ['default', DESKTOP_FILE, 'x-scheme-handler/hearth']);
  }
}

/** The file's text when Hearth wrote it, else null (missing, unreadable or not ours). */
function readIfOurs(file: string): string | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.includes(`\n${MARKER}=true`) ? text : null;
  } catch {
    return null;
  }
}
