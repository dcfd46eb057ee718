/**
 * Auto-idle: after the configured minutes without keyboard or mouse input anywhere on the system
 * (`powerMonitor.getSystemIdleTime`), an online user becomes idle, and back online on activity.
 * A status the user chose (dnd, invisible, or idle by hand) is never overridden.
 */
import type { Status } from '../shared/protocol/entities.js';

/** The part of Electron's `powerMonitor` used here. */
export interface IdleSource {
  getSystemIdleTime(): number;
  on(event: 'lock-screen' | 'unlock-screen' | 'suspend' | 'resume', listener: () => void): unknown;
}

export interface AutoIdleOptions {
  idle: IdleSource;
  /** The user's current status. */
  getStatus(): Status;
  setStatus(status: 'online' | 'idle'): void;
  /** How often to look at the system idle time. */
  pollMs?: number;
}

/** Fifteen seconds: the status follows activity quickly without busy polling. */
export const IDLE_POLL_MS = 15_000;

export class AutoIdle {
  private minutes = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** True while the idle status is ours, so we know to undo it (and only it). */
  private autoIdled = false;
  private locked = false;

  constructor(private readonly options: AutoIdleOptions) {
    // A locked screen or a sleeping machine means the user is away, whatever the idle counter says.
    options.idle.on('lock-screen', () => this.away());
    options.idle.on('suspend', () => this.away());
    options.idle.on('unlock-screen', () => this.back());
    options.idle.on('resume', () => this.back());
  }

  /** Minutes without input before going idle; 0 turns auto-idle off (and undoes an auto idle). */
  setMinutes(minutes: number): void {
    this.minutes = Math.max(0, minutes);
    if (this.minutes === 0) {
      this.stopPolling();
      this.returnOnline();
    } else if (!this.timer) {
      this.timer = setInterval(() => this.poll(), this.options.pollMs ?? IDLE_POLL_MS);
      this.timer.unref?.();
    }
  }

  /** Looks at the idle time once (the interval calls this). */
  poll(): void {
    if (this.minutes === 0 || this.locked) return;
    const idleSeconds = this.options.idle.getSystemIdleTime();
    if (idleSeconds >= this.minutes * 60) this.goIdle();
    else this.returnOnline();
  }

  /** Stops watching; an idle status we set is undone so it is not remembered into the next run. */
  dispose(): void {
    this.stopPolling();
    this.returnOnline();
  }

  private away(): void {
    this.locked = true;
    if (this.minutes > 0) this.goIdle();
  }

  private back(): void {
    this.locked = false;
    this.poll();
  }

  private goIdle(): void {
    if (this.autoIdled || this.options.getStatus() !== 'online') return;
    this.autoIdled = true;
    this.options.setStatus('idle');
  }

  private returnOnline(): void {
    if (!this.autoIdled) return;
    this.autoIdled = false;
    // The user may have picked another status while away: only undo the idle we set.
    if (this.options.getStatus() === 'idle') this.options.setStatus('online');
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
