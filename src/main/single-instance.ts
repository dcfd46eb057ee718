/**
 * One Hearth per user: a second launch hands its arguments (and so its `hearth://` link) to the
 * first instance, which comes to the front, and then quits. Also registers the `hearth://`
 * scheme with the OS and collects links from every route they arrive by.
 */
import path from 'node:path';
import { app } from 'electron';
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink, type DeepLink } from './deep-link.js';

export interface SingleInstanceHandlers {
  /** Bring the existing window to the front. */
  focus(): void;
  /** A deep link arrived (second launch, macOS `open-url`, or this launch's own arguments). */
  openLink(link: DeepLink): void;
}

/**
 * Takes the single-instance lock. Returns false when another instance holds it: this process
 * has then handed over and quits. Otherwise wires second launches to `handlers`.
 */
export function claimSingleInstance(handlers: SingleInstanceHandlers): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => {
    handlers.focus();
    const link = findDeepLink(argv);
    if (link) handlers.openLink(link);
  });
  // macOS delivers links as an event, also for the launch that started the app.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (!link) return;
    handlers.focus();
    handlers.openLink(link);
  });
  return true;
}

/**
 * Registers Hearth as the handler of `hearth://` links at every start (on Windows this writes the
 * user's registry entry, so a moved install still works). In development the scheme must launch
 * Electron with the app's path; packaged builds register the executable. The installers declare
 * the scheme too, so links work before the first start: the deb's desktop entry, the AppImage's
 * entry once it registers itself (`linux-integration.ts`), the NSIS installer's HKCU entry
 * (`build/installer.nsh`, removed again at uninstall) and the macOS Info.plist.
 */
export function registerDeepLinkScheme(argv: readonly string[] = process.argv): void {
  if (app.isPackaged) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    return;
  }
  const entry = argv[1];
  if (entry) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(entry)]);
}
