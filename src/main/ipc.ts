/**
 * Serves the `HearthBridge` over IPC: one `invoke` channel per method of {@link BRIDGE_METHODS},
 * one push channel. Every handler first checks that the call comes from the main frame of our
 * window on our own origin; anything else (an iframe, a page that navigated elsewhere, another
 * window) is refused and logged.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  BRIDGE_IPC, BRIDGE_METHODS, type BridgeEvent, type BridgeMethodName, type BridgeResult, type HearthBridge, type HostEvent,
} from '../shared/ipc/bridge.js';
import { Errors } from '../shared/errors.js';
import { isOwnOrigin } from './window.js';

/** Decides whether an IPC message comes from a frame we trust. */
export type SenderCheck = (event: IpcMainEvent | IpcMainInvokeEvent) => boolean;

export interface IpcLog {
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, error: unknown): void;
}

/** Trusts only the top frame of `contents()` whose document is on `appOrigin`. */
export function trustedSender(contents: () => WebContents | null, appOrigin: string): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    const expected = contents();
    return Boolean(frame && expected && event.sender === expected && frame.parent === null && isOwnOrigin(frame.url, appOrigin));
  };
}

const REFUSED: BridgeResult<never> = {
  ok: false,
  error: { code: Errors.MISSING_ACCESS.code, status: Errors.MISSING_ACCESS.status, message: 'Refused: this call did not come from the Hearth window.' },
};

const FAILED: BridgeResult<never> = {
  ok: false,
  error: { code: Errors.INTERNAL.code, status: Errors.INTERNAL.status, message: 'Something went wrong in Hearth. Try again.' },
};

/** The bridge served over IPC to the renderer(s). */
export class BridgeIpc {
  /** Subscribed renderers and how to stop pushing to each. */
  private readonly subscribers = new Map<WebContents, () => void>();
  /** One-shot host events that arrived while no renderer listened (a deep link at cold start). */
  private pending: HostEvent[] = [];

  constructor(
    private readonly bridge: HearthBridge,
    private readonly isTrusted: SenderCheck,
    private readonly log: IpcLog,
  ) {}

  /** Installs the handlers (once per process). */
  register(): void {
    for (const method of BRIDGE_METHODS) {
      ipcMain.handle(BRIDGE_IPC.invoke(method), (event, ...args: unknown[]) => this.call(event, method, args));
    }
    ipcMain.on(BRIDGE_IPC.subscribe, (event) => this.subscribe(event));
    ipcMain.on(BRIDGE_IPC.unsubscribe, (event) => {
      if (this.isTrusted(event)) this.unsubscribe(event.sender);
    });
  }

  /**
   * Sends a host event (push-to-talk, deep link, update...) to every subscribed renderer. With
   * `keep`, an event nobody hears yet is delivered to the next renderer that subscribes.
   */
  pushHost(event: HostEvent, options: { keep?: boolean } = {}): void {
    if (this.subscribers.size === 0) {
      if (options.keep) this.pending.push(event);
      return;
    }
    const message: BridgeEvent = { type: 'host', event };
    for (const contents of this.subscribers.keys()) send(contents, message);
  }

  /** Removes the handlers and stops every push (app quitting). */
  dispose(): void {
    for (const method of BRIDGE_METHODS) ipcMain.removeHandler(BRIDGE_IPC.invoke(method));
    ipcMain.removeAllListeners(BRIDGE_IPC.subscribe);
    ipcMain.removeAllListeners(BRIDGE_IPC.unsubscribe);
    for (const contents of [...this.subscribers.keys()]) this.unsubscribe(contents);
  }

  private async call(event: IpcMainInvokeEvent, method: BridgeMethodName, args: unknown[]): Promise<BridgeResult<unknown>> {
    if (!this.isTrusted(event)) {
      this.log.warn('refused bridge call from an untrusted frame', { method, url: event.senderFrame?.url ?? null });
      return REFUSED;
    }
    try {
      const fn = this.bridge[method] as (...values: unknown[]) => Promise<BridgeResult<unknown>>;
      return await fn.apply(this.bridge, args);
    } catch (error) {
      // Bridge methods report failures as results; a throw is a bug, logged without its arguments (they may hold passwords).
      this.log.error(`bridge method ${method} threw`, error);
      return FAILED;
    }
  }

  /** (Re)subscribes a renderer: a fresh snapshot first, so a reloaded page starts complete. */
  private subscribe(event: IpcMainEvent): void {
    if (!this.isTrusted(event)) {
      this.log.warn('refused bridge subscription from an untrusted frame', { url: event.senderFrame?.url ?? null });
      return;
    }
    const contents = event.sender;
    const isNew = !this.subscribers.has(contents);
    this.unsubscribe(contents);
    const stop = this.bridge.subscribe((message) => send(contents, message));
    this.subscribers.set(contents, stop);
    if (isNew) contents.once('destroyed', () => this.unsubscribe(contents));
    const pending = this.pending;
    this.pending = [];
    for (const hostEvent of pending) send(contents, { type: 'host', event: hostEvent });
  }

  private unsubscribe(contents: WebContents): void {
    const stop = this.subscribers.get(contents);
    if (!stop) return;
    this.subscribers.delete(contents);
    stop();
  }
}

function send(contents: WebContents, message: BridgeEvent): void {
  if (!contents.isDestroyed()) contents.send(BRIDGE_IPC.event, message);
}
