/**
 * The D-Bus session bus, for the two things Hearth asks the Linux desktop: the global-shortcuts
 * portal (push-to-talk on Wayland) and whether a tray (StatusNotifierWatcher) is there. A thin
 * layer over the maintained dbus-next fork: method calls with a timeout, and signal listeners
 * with their match rules, so callers never handle raw messages.
 */
import { Message, MessageType, sessionBus, type MessageBus } from '@jellybrick/dbus-next';

/** How long a call may take before it counts as unanswered (the bus or service is stuck). */
export const BUS_CALL_TIMEOUT_MS = 5000;

const DBUS = { name: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus' } as const;

/** Which signals a listener wants. */
export interface SignalMatch {
  interface: string;
  member: string;
  path?: string;
  sender?: string;
}

export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}

/** A connection to the session bus. */
export class SessionBus {
  private constructor(private readonly bus: MessageBus) {}

  /** Connects (to `address`, else the session bus the environment names); rejects when there is none. */
  static async connect(address?: string): Promise<SessionBus> {
    const bus = sessionBus(address ? { busAddress: address } : {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the D-Bus session bus did not answer')), BUS_CALL_TIMEOUT_MS);
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      (bus as unknown as NodeJS.EventEmitter).once('error', fail);
      bus.once('connect', () => {
        clearTimeout(timer);
        (bus as unknown as NodeJS.EventEmitter).off('error', fail);
        resolve();
      });
    }).catch((error: unknown) => {
      bus.disconnect();
      throw error;
    });
    // A bus that goes away later must not take the app down; calls then fail on their own.
    (bus as unknown as NodeJS.EventEmitter).on('error', () => {});
    return new SessionBus(bus);
  }

  /** This connection's unique name (`:1.42`). */
  get uniqueName(): string {
    return this.bus.name ?? '';
  }

  /** Calls a method and resolves with its reply's body; rejects with the D-Bus error or on timeout. */
  async call(call: MethodCall): Promise<unknown[]> {
    const message = new Message({ type: MessageType.METHOD_CALL, destination: call.destination, path: call.path, interface: call.interface, member: call.member, signature: call.signature ?? '', body: call.body ?? [] });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${call.interface}.${call.member} did not answer`)), BUS_CALL_TIMEOUT_MS);
    });
    try {
      const reply = await Promise.race([this.bus.call(message), timeout]);
      return (reply?.body as unknown[] | undefined) ?? [];
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether some connection owns a well-known name. */
  async nameHasOwner(name: string): Promise<boolean> {
    const [owned] = await this.call({ destination: DBUS.name, path: DBUS.path, interface: DBUS.iface, member: 'NameHasOwner', signature: 's', body: [name] });
    return owned === true;
  }

  /** Listens for signals; returns a function that stops listening. */
  async onSignal(match: SignalMatch, listener: (body: unknown[]) => void): Promise<() => void> {
    const rule = [`type='signal'`, `interface='${match.interface}'`, `member='${match.member}'`, match.path && `path='${match.path}'`, match.sender && `sender='${match.sender}'`]
      .filter(Boolean)
      .join(',');
    const onMessage = (message: Message) => {
      if (message.type !== MessageType.SIGNAL || message.interface !== match.interface || message.member !== match.member) return;
      if (match.path && message.path !== match.path) return;
      listener((message.body as unknown[] | undefined) ?? []);
    };
    this.bus.on('message', onMessage);
    await this.call({ destination: DBUS.name, path: DBUS.path, interface: DBUS.iface, member: 'AddMatch', signature: 's', body: [rule] });
    return () => {
      this.bus.off('message', onMessage);
      void this.call({ destination: DBUS.name, path: DBUS.path, interface: DBUS.iface, member: 'RemoveMatch', signature: 's', body: [rule] }).catch(() => {});
    };
  }

  disconnect(): void {
    this.bus.disconnect();
  }
}
