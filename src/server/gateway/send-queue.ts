/**
 * The messages of one gateway connection that wait for its socket. A connection hands messages
 * to the socket only while the socket holds little ({@link SOCKET_HIGH_WATER_BYTES}); the rest
 * wait here, as strings the connection can still drop. So when a client reads too slowly and is
 * cut, its close frame goes out right behind the little the socket holds — not behind megabytes
 * of backlog — and what waited here is exactly what its RESUME replays.
 */

/**
 * Bytes a socket may hold unsent before further messages wait in the queue: a turn's fanout to
 * a client that keeps up rarely gets near it, so mostly slow readers queue. Small, because what
 * the socket holds is lost if the socket must be destroyed (a client that reads nothing at all).
 */
export const SOCKET_HIGH_WATER_BYTES = 64 * 1024;

export class SendQueue {
  private texts: string[] = [];
  /** Index of the oldest waiting message in `texts` (shifting an array is O(n)). */
  private head = 0;
  private waitingBytes = 0;

  /** Messages waiting. */
  get length(): number {
    return this.texts.length - this.head;
  }

  /** Bytes (UTF-16 code units, close enough for a bound) waiting. */
  get bytes(): number {
    return this.waitingBytes;
  }

  push(text: string): void {
    this.texts.push(text);
    this.waitingBytes += text.length;
  }

  /** The oldest waiting message, removed; undefined when none waits. */
  shift(): string | undefined {
    if (this.head >= this.texts.length) return undefined;
    const text = this.texts[this.head] as string;
    this.head += 1;
    this.waitingBytes -= text.length;
    if (this.head === this.texts.length) this.clear();
    else if (this.head > 1024 && this.head * 2 > this.texts.length) {
      this.texts = this.texts.slice(this.head);
      this.head = 0;
    }
    return text;
  }

  /** Drops everything waiting (a cut connection: the session's replay buffer has it). */
  clear(): void {
    this.texts = [];
    this.head = 0;
    this.waitingBytes = 0;
  }
}
