/**
 * The renderer's copy of the client state, kept outside React. It subscribes to the bridge's one
 * push channel: a snapshot replaces the state, each action goes through the same pure reducer the
 * client core runs, and host events (deep links, push-to-talk…) fan out to their listeners.
 * Components read it with {@link useClientState} (useSyncExternalStore).
 */
import type { BridgeEvent, HearthBridge, HostEvent } from '../../shared/ipc/bridge.js';
import type { ClientAction, ClientState } from '../../shared/ipc/state.js';

export type Reducer = (state: ClientState, action: ClientAction) => ClientState;
type HostListener = (event: HostEvent) => void;

export class ClientStore {
  private state: ClientState | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly hostListeners = new Set<HostListener>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly bridge: HearthBridge,
    private readonly reduce: Reducer,
  ) {}

  /** Starts listening to the bridge (idempotent). */
  start(): void {
    this.unsubscribe ??= this.bridge.subscribe((event) => this.receive(event));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The state, or null until the first snapshot arrives. */
  readonly getState = (): ClientState | null => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Listens for host events (deep links, notification clicks, push-to-talk, updates). */
  onHostEvent(listener: HostListener): () => void {
    this.hostListeners.add(listener);
    return () => this.hostListeners.delete(listener);
  }

  private receive(event: BridgeEvent): void {
    switch (event.type) {
      case 'snapshot':
        this.state = event.state;
        break;
      case 'action':
        // Actions before the snapshot cannot happen by contract; ignore them defensively.
        if (!this.state) return;
        this.state = this.reduce(this.state, event.action);
        break;
      case 'host':
        for (const listener of this.hostListeners) listener(event.event);
        return;
      default:
        return missingEvent(event);
    }
    for (const listener of this.listeners) listener();
  }
}

function missingEvent(event: never): never {
  throw new Error(`Unhandled bridge event: ${JSON.stringify(event)}`);
}
