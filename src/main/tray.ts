/**
 * The tray icon: a menu (open, mute, deafen, quit), an unread indicator on the icon and a
 * tooltip that counts mentions. It follows the client state through {@link AppTray.update}.
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';

/** What the tray shows. */
export interface TrayStatus {
  /** Any unread message in any guild. */
  unread: boolean;
  /** Unread mentions across guilds. */
  mentions: number;
  muted: boolean;
  deafened: boolean;
}

/** What the menu does; main wires these to the window and the voice code. */
export interface TrayActions {
  open(): void;
  toggleMute(): void;
  toggleDeafen(): void;
  quit(): void;
}

/** Icon files: the plain mark and the mark with an unread dot. */
export interface TrayIcons {
  normal: string;
  unread: string;
}

export class AppTray {
  private readonly tray: Tray;
  private status: TrayStatus = { unread: false, mentions: 0, muted: false, deafened: false };

  constructor(
    private readonly icons: TrayIcons,
    private readonly actions: TrayActions,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(icons.normal));
    // Windows and most Linux trays open the app on click; macOS shows the menu instead.
    this.tray.on('click', () => actions.open());
    this.render(true);
  }

  /** Shows a new status; does nothing when nothing visible changed. */
  update(status: TrayStatus): void {
    const previous = this.status;
    if (
      previous.unread === status.unread && previous.mentions === status.mentions
      && previous.muted === status.muted && previous.deafened === status.deafened
    ) return;
    this.status = { ...status };
    this.render(previous.unread !== status.unread || previous.mentions > 0 !== status.mentions > 0);
  }

  destroy(): void {
    this.tray.destroy();
  }

  private render(iconChanged: boolean): void {
    const { unread, mentions, muted, deafened } = this.status;
    if (iconChanged) this.tray.setImage(nativeImage.createFromPath(unread || mentions > 0 ? this.icons.unread : this.icons.normal));
    this.tray.setToolTip(trayTooltip(this.status));
    const template: MenuItemConstructorOptions[] = [
      { label: 'Open Hearth', click: () => this.actions.open() },
      { type: 'separator' },
      { label: 'Mute', type: 'checkbox', checked: muted || deafened, click: () => this.actions.toggleMute() },
      { label: 'Deafen', type: 'checkbox', checked: deafened, click: () => this.actions.toggleDeafen() },
      { type: 'separator' },
      { label: 'Quit Hearth', click: () => this.actions.quit() },
    ];
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }
}

/** "Hearth", "Hearth — 3 unread mentions" or "Hearth — unread messages". */
export function trayTooltip({ unread, mentions }: Pick<TrayStatus, 'unread' | 'mentions'>): string {
  if (mentions > 0) return `Hearth — ${mentions} unread mention${mentions === 1 ? '' : 's'}`;
  return unread ? 'Hearth — unread messages' : 'Hearth';
}
