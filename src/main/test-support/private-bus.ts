/**
 * A private D-Bus session bus for tests (Debian's `dbus-daemon`), and a stand-in for the desktop
 * portal's GlobalShortcuts interface on it: it answers CreateSession, BindShortcuts and
 * Session.Close as xdg-desktop-portal does (Request objects with a Response signal), and lets the
 * test press and release the bound shortcut (Activated / Deactivated signals).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Message, MessageType, Variant, sessionBus, type MessageBus } from '@jellybrick/dbus-next';

/** Whether Debian's dbus-daemon is installed (the `dbus` package; `.ci/run` installs it). */
export const hasDbusDaemon = spawnSync('dbus-daemon', ['--version']).status === 0;

export interface PrivateBus {
  address: string;
  stop(): Promise<void>;
}

/** Starts a session bus of its own in a temporary directory. */
export async function startPrivateBus(): Promise<PrivateBus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bus-'));
  const socket = path.join(dir, 'bus');
  const daemon: ChildProcess = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', `--address=unix:path=${socket}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    daemon.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    daemon.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
  return {
    address,
    stop: async () => {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill();
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PORTAL = { name: 'org.freedesktop.portal.Desktop', path: '/org/freedesktop/portal/desktop' } as const;
const SHORTCUTS = 'org.freedesktop.portal.GlobalShortcuts';

/** One BindShortcuts call as the portal received it. */
export interface BoundShortcut {
  id: string;
  description: string;
  preferredTrigger: string | null;
}

/** The fake portal: what apps asked for, and controls to act as the user and the compositor. */
export class FakeShortcutsPortal {
  readonly sessions: string[] = [];
  readonly closed: string[] = [];
  readonly bindings: BoundShortcut[][] = [];
  /** The user declines the shortcut dialog (Response 1). */
  declineBinding = false;

  private constructor(private readonly bus: MessageBus) {}

  /** Owns org.freedesktop.portal.Desktop on the bus at `address` and serves GlobalShortcuts. */
  static async start(address: string, options: { withGlobalShortcuts?: boolean } = {}): Promise<FakeShortcutsPortal> {
    const bus = sessionBus({ busAddress: address });
    await new Promise<void>((resolve) => bus.once('connect', () => resolve()));
    const portal = new FakeShortcutsPortal(bus);
    bus.addMethodHandler((message) => portal.handle(message, options.withGlobalShortcuts ?? true));
    await bus.requestName(PORTAL.name, 0);
    return portal;
  }

  /** The compositor saw the bound shortcut go down (true) or up (false). */
  press(down: boolean, id = 'push-to-talk'): void {
    const session = this.sessions.at(-1);
    if (!session) throw new Error('no shortcuts session');
    const signal = Message.newSignal(PORTAL.path, SHORTCUTS, down ? 'Activated' : 'Deactivated', 'osta{sv}', [session, id, BigInt(Date.now()), {}]);
    this.bus.send(signal);
  }

  stop(): void {
    this.bus.disconnect();
  }

  private handle(message: Message, withGlobalShortcuts: boolean): boolean {
    if (message.type !== MessageType.METHOD_CALL) return false;
    const reply = (signature = '', body: unknown[] = []) => this.bus.send(Message.newMethodReturn(message, signature, body));
    if (message.interface === 'org.freedesktop.DBus.Properties' && message.member === 'Get') {
      const [iface, property] = message.body as [string, string];
      if (iface !== SHORTCUTS || property !== 'version' || !withGlobalShortcuts) {
        this.bus.send(Message.newError(message, 'org.freedesktop.DBus.Error.InvalidArgs', `No such interface “${iface}”`));
      } else reply('v', [new Variant('u', 1)]);
      return true;
    }
    if (message.interface === 'org.freedesktop.portal.Session' && message.member === 'Close') {
      this.closed.push(message.path ?? '');
      reply();
      return true;
    }
    if (message.interface !== SHORTCUTS || !withGlobalShortcuts) return false;
    const sender = (message.sender ?? '').slice(1).replace(/\./g, '_');
    if (message.member === 'CreateSession') {
      const [options] = message.body as [Record<string, Variant>];
      const request = `${PORTAL.path}/request/${sender}/${String(options.handle_token?.value)}`;
      const session = `${PORTAL.path}/session/${sender}/${String(options.session_handle_token?.value)}`;
      this.sessions.push(session);
      reply('o', [request]);
      this.respond(request, 0, { session_handle: new Variant('s', session) });
      return true;
    }
    if (message.member === 'BindShortcuts') {
      const [, shortcuts, , options] = message.body as [string, [string, Record<string, Variant>][], string, Record<string, Variant>];
      const request = `${PORTAL.path}/request/${sender}/${String(options.handle_token?.value)}`;
      this.bindings.push(shortcuts.map(([id, props]) => ({ id, description: String(props.description?.value), preferredTrigger: props.preferred_trigger ? String(props.preferred_trigger.value) : null })));
      reply('o', [request]);
      this.respond(request, this.declineBinding ? 1 : 0, { shortcuts: new Variant('a(sa{sv})', shortcuts) });
      return true;
    }
    return false;
  }

  /** The Request's Response, sent after the reply as the real portal does. */
  private respond(request: string, response: number, results: Record<string, Variant>): void {
    setImmediate(() => this.bus.send(Message.newSignal(request, 'org.freedesktop.portal.Request', 'Response', 'ua{sv}', [response, results])));
  }
}
