/**
 * `compress=zlib-stream`: one deflate context per connection (created only when the client asks
 * for it), each message flushed with Z_SYNC_FLUSH so it ends in `00 00 ff ff` and the client can
 * inflate it on arrival with its own single inflate context, as Discord's clients do.
 */
import zlib from 'node:zlib';

/** Compresses messages in order; `onOutput` gets each message's complete compressed bytes. */
export class ZlibStreamCompressor {
  private readonly deflate = zlib.createDeflate({ level: zlib.constants.Z_DEFAULT_COMPRESSION });
  /** Messages waiting while an earlier one is being compressed (the stream must not interleave). */
  private readonly queue: string[] = [];
  private chunks: Buffer[] = [];
  private busy = false;
  private closed = false;
  /** Waiting for every queued message to be out (a close must not overtake the last messages). */
  private idleCallbacks: (() => void)[] = [];
  /** Bytes accepted but not yet handed to `onOutput` (counts towards the slow-reader bound). */
  pendingBytes = 0;

  constructor(private readonly onOutput: (compressed: Buffer) => void) {
    this.deflate.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    // A deflate error means the context is unusable; the connection closes on the next write.
    this.deflate.on('error', () => this.close());
  }

  /** Queues one message; its compressed form reaches `onOutput` after every earlier message. */
  write(text: string): void {
    if (this.closed) return;
    this.queue.push(text);
    this.pendingBytes += text.length;
    if (!this.busy) this.next();
  }

  /** Runs `callback` once every message written so far has reached `onOutput` (at once when none is pending). */
  whenIdle(callback: () => void): void {
    if (!this.busy || this.closed) callback();
    else this.idleCallbacks.push(callback);
  }

  /** Releases the deflate context; later writes are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.pendingBytes = 0;
    this.deflate.destroy();
    this.runIdleCallbacks();
  }

  private runIdleCallbacks(): void {
    for (const callback of this.idleCallbacks.splice(0)) callback();
  }

  private next(): void {
    const text = this.queue.shift();
    if (text === undefined || this.closed) {
      this.busy = false;
      this.runIdleCallbacks();
      return;
    }
    this.busy = true;
    this.deflate.write(text);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      if (this.closed) return;
      const output = Buffer.concat(this.chunks);
      this.chunks = [];
      this.pendingBytes -= text.length;
      this.onOutput(output);
      this.next();
    });
  }
}
