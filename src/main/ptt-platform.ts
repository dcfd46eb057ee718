/**
 * Which global push-to-talk input this session can really have, decided honestly before anything
 * is started:
 * - Windows: the key hook;
 * - macOS: the key hook, once Hearth is trusted for accessibility;
 * - Linux, Wayland session (XDG_SESSION_TYPE, or Electron running as a Wayland client, which it
 *   does by default when WAYLAND_DISPLAY is set unless `--ozone-platform=x11`): the desktop
 *   portal's global shortcut, when the portal offers one. An X11 hook there would only see keys
 *   pressed in X11 windows, so it is not offered as "global";
 * - Linux, X11 session: the key hook, once the X display answers (a set but unreachable DISPLAY
 *   would block or abort the hook's thread).
 * Anything else: focused-window push-to-talk, and the reason, shown in the voice settings.
 */
import { FOCUSED_FALLBACK, type HookAvailability } from './ptt-input.js';
import { probeShortcutsPortal } from './portal-shortcuts.js';
import type { SessionBus } from './session-bus.js';
import type { DisplayProbe } from './x-display.js';

export type PushToTalkSource =
  | { kind: 'hook' }
  | { kind: 'portal'; bus: SessionBus }
  | { kind: 'none'; reason: string };

export interface PushToTalkEnvironment {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Electron's `--ozone-platform` switch, if given (`x11`, `wayland`). */
  ozonePlatform: string | null;
  /** macOS: whether Hearth is trusted for accessibility (keyboard monitoring needs it). */
  accessibilityTrusted?: boolean;
  probeDisplay(display: string | undefined): Promise<DisplayProbe>;
  connectBus(): Promise<SessionBus>;
}

/** Whether this Linux session is a Wayland one, from the session type and the platform Electron uses. */
export function isWaylandSession(env: Readonly<Record<string, string | undefined>>, ozonePlatform: string | null): boolean {
  if (env.XDG_SESSION_TYPE === 'wayland') return true;
  if (env.XDG_SESSION_TYPE === 'x11') return false;
  // No session type: Electron itself runs on Wayland when it finds a compositor and is not told x11.
  return ozonePlatform === 'wayland' || (ozonePlatform !== 'x11' && Boolean(env.WAYLAND_DISPLAY));
}

/** Decides the push-to-talk source; never throws. */
export async function choosePushToTalkSource(environment: PushToTalkEnvironment): Promise<PushToTalkSource> {
  const { platform, env } = environment;
  if (platform === 'darwin' && environment.accessibilityTrusted === false) {
    return none('Allow Hearth in System Settings → Privacy & Security → Accessibility to use push-to-talk in other apps, then restart Hearth.');
  }
  if (platform !== 'linux') return { kind: 'hook' };
  if (isWaylandSession(env, environment.ozonePlatform)) {
    let bus: SessionBus;
    try {
      bus = await environment.connectBus();
    } catch {
      return none('On Wayland, global push-to-talk needs the desktop portal, and no D-Bus session bus was found.');
    }
    const portal = await probeShortcutsPortal(bus);
    if (portal.ok) return { kind: 'portal', bus };
    return none(`${portal.reason} On Wayland only the portal can tell Hearth about keys pressed in other windows.`);
  }
  const display = await environment.probeDisplay(env.DISPLAY);
  return display.reachable ? { kind: 'hook' } : none(`Global push-to-talk needs an X server, but ${display.reason}.`);
}

/** The settings' view of a source. */
export function availabilityOf(source: PushToTalkSource): HookAvailability {
  return source.kind === 'none' ? { available: false, reason: source.reason } : { available: true };
}

function none(reason: string): PushToTalkSource {
  return { kind: 'none', reason: `${reason} ${FOCUSED_FALLBACK}` };
}
