/**
 * StateMirror: the renderer's copy of the client state, kept in step with the core through the
 * bridge's push channel (a snapshot, then every action through the same reducer). Shaped for
 * React's `useSyncExternalStore`: `subscribe(onChange)` and `getState()`.
 */
import type { BridgeEvent, HearthBridge, HostEvent } from '../../shared/ipc/bridge.js';
import { missingCase } from '../../shared/missing-case.js';
import type { ClientAction, ClientState } from './types.js';
import { createInitialState, reduce } from './reducer.js';

export class StateMirror {
  private state: ClientState = createInitialState();
  private readonly changeListeners = new Set<() => void>();
  private readonly actionListeners = new Set<(action: ClientAction) => void>();
  private readonly hostListeners = new Set<(event: HostEvent) => void>();
  private readonly unsubscribe: () => void;
  private synced = false;

  constructor(bridge: Pick<HearthBridge, 'subscribe'>) {
    this.unsubscribe = bridge.subscribe((event) => this.onEvent(event));
  }

  /** The current copy (a new object after every change, so React sees the change). */
  getState = (): ClientState => this.state;

  /** True once the first snapshot arrived. */
  get isSynced(): boolean {
    return this.synced;
  }

  /** Calls `onChange` after every change; returns a function that stops it. */
  subscribe = (onChange: () => void): (() => void) => {
    this.changeListeners.add(onChange);
    return () => this.changeListeners.delete(onChange);
  };

  /** Every action after it is applied (voice signals, notifications for new messages...). */
  onAction(listener: (action: ClientAction) => void): () => void {
    this.actionListeners.add(listener);
    return () => this.actionListeners.delete(listener);
  }

  /** Events from the desktop host (push-to-talk, updates, deep links). */
  onHostEvent(listener: (event: HostEvent) => void): () => void {
    this.hostListeners.add(listener);
    return () => this.hostListeners.delete(listener);
  }

  dispose(): void {
    this.unsubscribe();
    this.changeListeners.clear();
    this.actionListeners.clear();
    this.hostListeners.clear();
  }

  private onEvent(event: BridgeEvent): void {
    switch (event.type) {
      case 'snapshot':
        this.state = event.state;
        this.synced = true;
        break;
      case 'action':
        this.state = reduce(this.state, event.action);
        for (const listener of [...this.actionListeners]) listener(event.action);
        break;
      case 'host':
        for (const listener of [...this.hostListeners]) listener(event.event);
        return;
      default:
        return missingCase(event);
    }
    for (const listener of [...this.changeListeners]) listener();
  }
}
