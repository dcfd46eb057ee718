/**
 * The unread-mention badge: the dock/launcher count (`app.setBadgeCount`, macOS and Unity-style
 * Linux launchers) and, on Windows where there is no count badge, an overlay dot on the taskbar
 * button with the count in its accessible description.
 */
import { app, nativeImage, type BrowserWindow } from 'electron';

export class MentionBadge {
  private count = 0;

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly window: () => BrowserWindow | null,
    /** The overlay image for Windows (a red dot). */
    private readonly overlayIcon: string,
  ) {}

  /** Shows `mentions` (0 clears the badge). Unchanged counts touch nothing. */
  set(mentions: number): void {
    const count = Math.max(0, Math.floor(mentions));
    if (count === this.count) return;
    this.count = count;
    if (this.platform === 'win32') {
      const window = this.window();
      if (!window || window.isDestroyed()) return;
      const description = count === 0 ? '' : `${count} unread mention${count === 1 ? '' : 's'}`;
      window.setOverlayIcon(count === 0 ? null : nativeImage.createFromPath(this.overlayIcon), description);
    } else {
      app.setBadgeCount(count);
    }
  }

  /** Re-applies the badge to a new window (Windows overlays belong to the window). */
  reapply(): void {
    const count = this.count;
    this.count = -1;
    this.set(count);
  }
}
