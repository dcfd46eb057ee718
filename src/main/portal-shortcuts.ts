/**
 * Global push-to-talk on Wayland, through the XDG desktop portal's GlobalShortcuts interface
 * (`org.freedesktop.portal.GlobalShortcuts`, KDE Plasma 6, GNOME 48 and later). Wayland does not
 * let an app see keys pressed in other windows; the portal lets it register a named shortcut the
 * user confirms (and may rebind) in the desktop's own dialog, and reports the shortcut going down
 * (`Activated`) and up (`Deactivated`) — both, which push-to-talk needs.
 *
 * It stands in for the key hook: it emits the hook's `input` events for the bound key or button,
 * so the push-to-talk code does not know which one it has. It cannot capture arbitrary keys, so
 * bindings are captured in the focused window; if the portal refuses or disappears, it emits
 * `unavailable` with the reason and push-to-talk falls back to the focused window.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Variant } from '@jellybrick/dbus-next';
import { domCodeFromUiohookKey } from '../shared/keycodes.js';
import type { PushToTalkBinding } from '../shared/ipc/settings.js';
import type { HookEvent, InputHook } from './ptt-input.js';
import type { SessionBus } from './session-bus.js';

const PORTAL = { destination: 'org.freedesktop.portal.Desktop', path: '/org/freedesktop/portal/desktop' } as const;
const SHORTCUTS = 'org.freedesktop.portal.GlobalShortcuts';
/** The one shortcut Hearth registers. */
export const PUSH_TO_TALK_SHORTCUT = 'push-to-talk';
/** The user may take a while in the portal's dialog; a portal silent for this long is broken. */
const RESPONSE_TIMEOUT_MS = 5 * 60 * 1000;

/** libuiohook event types the hook reports (see `ptt-input.ts`). */
const KEY_PRESSED = 4;
const KEY_RELEASED = 5;
const MOUSE_PRESSED = 7;
const MOUSE_RELEASED = 8;

/** Whether the session's portal offers GlobalShortcuts; the reason when not. */
export async function probeShortcutsPortal(bus: SessionBus): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const [version] = await bus.call({ ...PORTAL, interface: 'org.freedesktop.DBus.Properties', member: 'Get', signature: 'ss', body: [SHORTCUTS, 'version'] });
    const value = version instanceof Variant ? version.value : version;
    return typeof value === 'number' && value >= 1 ? { ok: true } : { ok: false, reason: 'The desktop portal has no usable global-shortcuts interface.' };
  } catch {
    return { ok: false, reason: 'This desktop has no global-shortcuts portal (org.freedesktop.portal.GlobalShortcuts).' };
  }
}

/** The XDG shortcuts-spec trigger for a binding (the portal's suggestion to the user), if there is one. */
export function preferredTrigger(binding: PushToTalkBinding | null): string | null {
  if (!binding || binding.kind !== 'key') return null;
  const dom = domCodeFromUiohookKey(binding.code);
  if (!dom) return null;
  if (/^Key[A-Z]$/.test(dom)) return dom.slice(3).toLowerCase();
  if (/^Digit\d$/.test(dom)) return dom.slice(5);
  if (/^F\d{1,2}$/.test(dom)) return dom;
  const keysyms: Record<string, string> = {
    Space: 'space', CapsLock: 'Caps_Lock', Tab: 'Tab', Backquote: 'grave', ScrollLock: 'Scroll_Lock', Pause: 'Pause',
    Insert: 'Insert', Home: 'Home', End: 'End', PageUp: 'Prior', PageDown: 'Next',
    ControlLeft: 'Control_L', ControlRight: 'Control_R', AltLeft: 'Alt_L', AltRight: 'Alt_R', ShiftLeft: 'Shift_L', ShiftRight: 'Shift_R',
  };
  return keysyms[dom] ?? null;
}

/** Push-to-talk through the portal, shaped as the key hook. */
export class PortalPushToTalkHook extends EventEmitter implements InputHook {
  /** The portal reports only its own shortcut: bindings are captured in the focused window. */
  readonly capturesKeys = false;
  private binding: PushToTalkBinding | null = null;
  private session: string | null = null;
  /** Bumped by every start and stop, so a slow start that was stopped meanwhile gives up. */
  private generation = 0;
  private listening: Promise<void> | null = null;

  constructor(
    private readonly bus: SessionBus,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {
    super();
  }

  /** The binding whose key or button the portal's shortcut stands for (its suggested trigger too). */
  setBinding(binding: PushToTalkBinding | null): void {
    const changed = binding?.kind !== this.binding?.kind || binding?.code !== this.binding?.code;
    this.binding = binding;
    // A new binding needs a new shortcut: ask the portal again if one is registered.
    if (changed && this.session) {
      this.stop();
      this.start();
    }
  }

  /** Calls `listener` with the reason when the portal refuses or stops answering. */
  onUnavailable(listener: (reason: string) => void): void {
    this.on('unavailable', listener);
  }

  /** Registers the shortcut (the portal may ask the user to confirm it); failures emit `unavailable`. */
  start(): void {
    const generation = ++this.generation;
    void this.open(generation).catch((error: unknown) => {
      if (generation !== this.generation) return;
      this.log('the global-shortcuts portal failed', error);
      this.emit('unavailable', 'The desktop’s global-shortcuts portal stopped answering.');
    });
  }

  /** Releases the shortcut (push-to-talk off, binding capture, quitting). */
  stop(): void {
    this.generation += 1;
    const session = this.session;
    this.session = null;
    if (session) void this.bus.call({ destination: PORTAL.destination, path: session, interface: 'org.freedesktop.portal.Session', member: 'Close' }).catch(() => {});
  }

  private async open(generation: number): Promise<void> {
    this.listening ??= this.listen();
    await this.listening;
    const created = await this.request('CreateSession', 'a{sv}', (token) => [{ handle_token: new Variant('s', token), session_handle_token: new Variant('s', newToken()) }]);
    const handle = created.results.session_handle;
    const session = String(handle instanceof Variant ? handle.value : handle);
    if (generation !== this.generation) {
      void this.bus.call({ destination: PORTAL.destination, path: session, interface: 'org.freedesktop.portal.Session', member: 'Close' }).catch(() => {});
      return;
    }
    if (created.response !== 0 || !session) {
      this.emit('unavailable', 'The desktop did not open a global-shortcuts session.');
      return;
    }
    this.session = session;
    const trigger = preferredTrigger(this.binding);
    const shortcut: [string, Record<string, Variant>] = [
      PUSH_TO_TALK_SHORTCUT,
      { description: new Variant('s', 'Push to talk (Hearth)'), ...(trigger ? { preferred_trigger: new Variant('s', trigger) } : {}) },
    ];
    const bound = await this.request('BindShortcuts', 'oa(sa{sv})sa{sv}', (token) => [session, [shortcut], '', { handle_token: new Variant('s', token) }]);
    if (generation !== this.generation) return;
    if (bound.response !== 0) {
      this.stop();
      this.emit('unavailable', 'The push-to-talk shortcut was not allowed in the desktop’s shortcut dialog.');
    }
  }

  /** Follows the portal's Activated/Deactivated signals for our session and shortcut. */
  private async listen(): Promise<void> {
    for (const [member, down] of [['Activated', true], ['Deactivated', false]] as const) {
      await this.bus.onSignal({ interface: SHORTCUTS, member, path: PORTAL.path }, ([session, id]) => {
        if (session === this.session && id === PUSH_TO_TALK_SHORTCUT) this.deliver(down);
      });
    }
  }

  private deliver(down: boolean): void {
    const binding = this.binding;
    if (!binding) return;
    const event: HookEvent =
      binding.kind === 'key' ? { type: down ? KEY_PRESSED : KEY_RELEASED, keycode: binding.code } : { type: down ? MOUSE_PRESSED : MOUSE_RELEASED, button: binding.code };
    this.emit('input', event);
  }

  /** Calls a portal method that answers through a Request object's Response signal. */
  private async request(member: string, signature: string, body: (token: string) => unknown[]): Promise<{ response: number; results: Record<string, unknown> }> {
    const token = newToken();
    const requestPath = `${PORTAL.path}/request/${this.bus.uniqueName.slice(1).replace(/\./g, '_')}/${token}`;
    let settle!: (value: { response: number; results: Record<string, unknown> }) => void;
    const answered = new Promise<{ response: number; results: Record<string, unknown> }>((resolve) => (settle = resolve));
    // Listen before calling: the Response may follow the reply at once.
    const stop = await this.bus.onSignal({ interface: 'org.freedesktop.portal.Request', member: 'Response', path: requestPath }, ([response, results]) =>
      settle({ response: Number(response), results: (results ?? {}) as Record<string, unknown> }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await this.bus.call({ ...PORTAL, interface: SHORTCUTS, member, signature, body: body(token) });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the portal did not answer ${member}`)), RESPONSE_TIMEOUT_MS);
      });
      return await Promise.race([answered, timeout]);
    } finally {
      clearTimeout(timer);
      stop();
    }
  }
}

function newToken(): string {
  return `hearth_${randomBytes(8).toString('hex')}`;
}
