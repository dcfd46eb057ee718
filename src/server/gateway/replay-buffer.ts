/**
 * The bounded replay buffer of one session: the last N dispatches it was sent, so RESUME can
 * replay exactly the gap. Sequence numbers are consecutive per session, so only the dispatch
 * references are kept (shared with every other recipient); `s` is derived from the position.
 */
import type { SerializedDispatch } from './dispatch.js';

export class ReplayBuffer {
  /** Grown on demand up to `capacity`, so an idle session holds an empty array. */
  private readonly entries: SerializedDispatch[] = [];
  /** Index in `entries` of the oldest kept dispatch once the ring is full. */
  private head = 0;
  /** Sequence number of the newest dispatch pushed (0 before any). */
  private lastSeq = 0;

  constructor(private readonly capacity: number) {}

  /** Records the dispatch sent with sequence number `seq` (must be the previous one plus one). */
  push(seq: number, dispatch: SerializedDispatch): void {
    if (seq !== this.lastSeq + 1) throw new Error(`ReplayBuffer: expected seq ${this.lastSeq + 1}, got ${seq}`);
    this.lastSeq = seq;
    if (this.entries.length < this.capacity) {
      this.entries.push(dispatch);
      return;
    }
    this.entries[this.head] = dispatch;
    this.head = (this.head + 1) % this.capacity;
  }

  /**
   * Counts `seq` as sent without keeping it (READY: it carries the session ID, so a client that
   * never got it cannot resume, and it is the largest dispatch of a session). Only while empty.
   */
  skip(seq: number): void {
    if (this.entries.length > 0 || seq !== this.lastSeq + 1) throw new Error(`ReplayBuffer: cannot skip seq ${seq}`);
    this.lastSeq = seq;
  }

  /** The newest sequence number recorded. */
  get newestSeq(): number {
    return this.lastSeq;
  }

  /** The oldest sequence number still held (newestSeq + 1 when empty). */
  get oldestSeq(): number {
    return this.lastSeq - this.entries.length + 1;
  }

  /**
   * Every dispatch after `seq`, oldest first, with its sequence number; undefined when some of
   * them were already dropped (the client must IDENTIFY again) or `seq` is in the future.
   */
  since(seq: number): { seq: number; dispatch: SerializedDispatch }[] | undefined {
    if (seq > this.lastSeq) return undefined;
    if (seq + 1 < this.oldestSeq) return undefined;
    const result: { seq: number; dispatch: SerializedDispatch }[] = [];
    for (let s = seq + 1; s <= this.lastSeq; s += 1) {
      const offset = s - this.oldestSeq;
      const dispatch = this.entries[(this.head + offset) % this.entries.length];
      if (dispatch) result.push({ seq: s, dispatch });
    }
    return result;
  }
}
