/**
 * Whether the session has a tray to hide Hearth in. Windows and macOS always do. On Linux,
 * Electron's tray is a StatusNotifierItem, shown only where a StatusNotifierWatcher runs on the
 * session bus (KDE, most other desktops, GNOME with the AppIndicator extension; not plain GNOME).
 * The answer follows the watcher as it comes and goes (an extension switched on or off).
 */
import type { TrayPresence } from './desktop-app.js';
import type { SessionBus } from './session-bus.js';

const WATCHER = 'org.kde.StatusNotifierWatcher';

/** A tray that is always there (Windows, macOS). */
export const ALWAYS_TRAY: TrayPresence = { available: true };

/** Follows the StatusNotifierWatcher on the session bus; without a bus there is no tray. */
export class StatusNotifierTray implements TrayPresence {
  private present = false;

  private constructor() {}

  get available(): boolean {
    return this.present;
  }

  /** Asks the bus now and follows changes; `bus` null (no session bus) means no tray. */
  static async watch(bus: SessionBus | null): Promise<StatusNotifierTray> {
    const tray = new StatusNotifierTray();
    if (!bus) return tray;
    try {
      await bus.onSignal({ interface: 'org.freedesktop.DBus', member: 'NameOwnerChanged', path: '/org/freedesktop/DBus' }, ([name, , owner]) => {
        if (name === WATCHER) tray.present = typeof owner === 'string' && owner !== '';
      });
      tray.present = await bus.nameHasOwner(WATCHER);
    } catch {
      tray.present = false;
    }
    return tray;
  }
}
