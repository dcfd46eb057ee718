/**
 * Push-to-talk on Wayland through the desktop portal, against a real D-Bus: a private
 * `dbus-daemon` and a stand-in GlobalShortcuts portal on it. The shortcut going down and up
 * reaches the push-to-talk state (and so the renderer); without the portal, push-to-talk falls
 * back to the focused window with a notice.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushToTalk } from './push-to-talk.js';
import { PushToTalkInputs, type FocusedKeySource } from './ptt-input.js';
import { availabilityOf, choosePushToTalkSource, isWaylandSession, type PushToTalkEnvironment } from './ptt-platform.js';
import { PortalPushToTalkHook, preferredTrigger } from './portal-shortcuts.js';
import { SessionBus } from './session-bus.js';
import { FakeShortcutsPortal, hasDbusDaemon, startPrivateBus, type PrivateBus } from './test-support/private-bus.js';

const keyV = { kind: 'key' as const, code: 0x002f, label: 'V' };
const WAYLAND = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' };

/** The focused window's keys (what the fallback and binding capture listen to). */
class FocusedKeys implements FocusedKeySource {
  listener: ((input: { kind: 'key' | 'mouse'; code: number; down: boolean }) => void) | null = null;
  subscribe(onInput: NonNullable<FocusedKeys['listener']>): () => void {
    this.listener = onInput;
    return () => (this.listener = null);
  }
}

function environment(overrides: Partial<PushToTalkEnvironment>): PushToTalkEnvironment {
  return {
    platform: 'linux',
    env: WAYLAND,
    ozonePlatform: null,
    probeDisplay: async () => ({ reachable: true }),
    connectBus: async () => {
      throw new Error('no bus');
    },
    ...overrides,
  };
}

describe('session detection', () => {
  it('takes the session type first, then where Electron runs', () => {
    expect(isWaylandSession({ XDG_SESSION_TYPE: 'wayland' }, null)).toBe(true);
    expect(isWaylandSession({ XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0' }, null)).toBe(false);
    expect(isWaylandSession({ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, null)).toBe(true);
    expect(isWaylandSession({ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, 'x11')).toBe(false);
    expect(isWaylandSession({ DISPLAY: ':0' }, 'wayland')).toBe(true);
    expect(isWaylandSession({ DISPLAY: ':0' }, null)).toBe(false);
  });

  it('does not call the X11 hook global on Wayland just because XWayland set DISPLAY', async () => {
    const probeDisplay = vi.fn(async () => ({ reachable: true as const }));
    const source = await choosePushToTalkSource(environment({ probeDisplay }));
    expect(source.kind).toBe('none');
    expect(availabilityOf(source)).toEqual({
      available: false,
      reason: 'On Wayland, global push-to-talk needs the desktop portal, and no D-Bus session bus was found. Push-to-talk works while the Hearth window is focused.',
    });
    expect(probeDisplay).not.toHaveBeenCalled();
  });

  it('uses the key hook on X11 only when the display answers', async () => {
    expect(await choosePushToTalkSource(environment({ env: { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' } }))).toEqual({ kind: 'hook' });
    const unreachable = await choosePushToTalkSource(
      environment({ env: { XDG_SESSION_TYPE: 'x11', DISPLAY: ':97' }, probeDisplay: async () => ({ reachable: false, reason: 'the X display :97 could not be reached (ENOENT)' }) }),
    );
    expect(availabilityOf(unreachable)).toEqual({
      available: false,
      reason: 'Global push-to-talk needs an X server, but the X display :97 could not be reached (ENOENT). Push-to-talk works while the Hearth window is focused.',
    });
  });

  it('needs the accessibility permission on macOS and nothing on Windows', async () => {
    expect(availabilityOf(await choosePushToTalkSource(environment({ platform: 'darwin', accessibilityTrusted: false })))).toMatchObject({ available: false, reason: expect.stringContaining('Accessibility') });
    expect(await choosePushToTalkSource(environment({ platform: 'darwin', accessibilityTrusted: true }))).toEqual({ kind: 'hook' });
    expect(await choosePushToTalkSource(environment({ platform: 'win32' }))).toEqual({ kind: 'hook' });
  });

  it('suggests the binding to the portal as an XDG shortcut trigger', () => {
    expect(preferredTrigger(keyV)).toBe('v');
    expect(preferredTrigger({ kind: 'key', code: 0x005b, label: 'F13' })).toBe('F13');
    expect(preferredTrigger({ kind: 'key', code: 0x0029, label: '`' })).toBe('grave');
    expect(preferredTrigger({ kind: 'mouse', code: 4, label: 'Mouse 4' })).toBeNull();
  });
});

describe.skipIf(!hasDbusDaemon && !process.env.CI)('the GlobalShortcuts portal on a real D-Bus', () => {
  let bus: PrivateBus;
  const connections: SessionBus[] = [];
  const portals: FakeShortcutsPortal[] = [];
  beforeEach(async () => {
    bus = await startPrivateBus();
  });
  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.disconnect();
    for (const portal of portals.splice(0)) portal.stop();
    await bus.stop();
  });

  async function connect(): Promise<SessionBus> {
    const connection = await SessionBus.connect(bus.address);
    connections.push(connection);
    return connection;
  }

  async function portal(options: { withGlobalShortcuts?: boolean } = {}): Promise<FakeShortcutsPortal> {
    const started = await FakeShortcutsPortal.start(bus.address, options);
    portals.push(started);
    return started;
  }

  /** The app's push-to-talk over the portal: pressed changes, as the renderer would hear them. */
  async function appOnWayland() {
    const source = await choosePushToTalkSource(environment({ connectBus: connect }));
    if (source.kind !== 'portal') throw new Error(`expected the portal, got ${JSON.stringify(availabilityOf(source))}`);
    const pressed: boolean[] = [];
    const focused = new FocusedKeys();
    const hook = new PortalPushToTalkHook(source.bus);
    const inputs = new PushToTalkInputs(new PushToTalk((p) => pressed.push(p)), hook, focused, availabilityOf(source));
    return { pressed, focused, inputs };
  }

  it('registers the push-to-talk shortcut and hears it go down and up', async () => {
    const fake = await portal();
    const { pressed, inputs } = await appOnWayland();
    expect(inputs.status).toEqual({ available: true });
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    await vi.waitFor(() => expect(fake.bindings).toEqual([[{ id: 'push-to-talk', description: 'Push to talk (Hearth)', preferredTrigger: 'v' }]]));
    fake.press(true);
    await vi.waitFor(() => expect(pressed).toEqual([true]));
    fake.press(false);
    await vi.waitFor(() => expect(pressed).toEqual([true, false]));
    // Another app's shortcut on the same portal is not ours.
    fake.press(true, 'someone-else');
    // Voice activity: the shortcut is released to the desktop (session closed).
    inputs.configure({ enabled: false, binding: keyV, releaseDelayMs: 0 });
    await vi.waitFor(() => expect(fake.closed).toEqual([fake.sessions[0]]));
    expect(pressed).toEqual([true, false]);
  });

  it('captures a new binding in the focused window, then registers it with the portal', async () => {
    const fake = await portal();
    const { focused, inputs } = await appOnWayland();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    await vi.waitFor(() => expect(fake.bindings).toHaveLength(1));
    const captured = inputs.captureBinding();
    await vi.waitFor(() => expect(fake.closed).toHaveLength(1));
    focused.listener?.({ kind: 'key', code: 0x005b, down: true });
    const binding = await captured;
    expect(binding).toEqual({ kind: 'key', code: 0x005b, label: 'F13' });
    inputs.configure({ enabled: true, binding, releaseDelayMs: 0 });
    await vi.waitFor(() => expect(fake.bindings.at(-1)).toEqual([{ id: 'push-to-talk', description: 'Push to talk (Hearth)', preferredTrigger: 'F13' }]));
  });

  it('falls back to the focused window, and says so, when the user declines the shortcut', async () => {
    const fake = await portal();
    fake.declineBinding = true;
    const { focused, inputs, pressed } = await appOnWayland();
    inputs.configure({ enabled: true, binding: keyV, releaseDelayMs: 0 });
    await vi.waitFor(() => expect(inputs.status).toEqual({
      available: false,
      reason: 'The push-to-talk shortcut was not allowed in the desktop’s shortcut dialog. Push-to-talk works while the Hearth window is focused.',
    }));
    focused.listener?.({ kind: 'key', code: keyV.code, down: true });
    expect(pressed).toEqual([true]);
  });

  it('reports a desktop whose portal lacks GlobalShortcuts, and one with no portal at all', async () => {
    await portal({ withGlobalShortcuts: false });
    const without = await choosePushToTalkSource(environment({ connectBus: connect }));
    expect(availabilityOf(without)).toMatchObject({ available: false, reason: expect.stringContaining('no global-shortcuts portal') });
    portals.splice(0).forEach((p) => p.stop());
    const none = await choosePushToTalkSource(environment({ connectBus: connect }));
    expect(none.kind).toBe('none');
  });
});
