/**
 * Gateway `compress=zlib-stream` with web platform APIs only: one `DecompressionStream('deflate')`
 * per connection inflates every binary frame (Discord's frames end with a Z_SYNC_FLUSH, so each
 * one decodes completely), and the text is cut into messages at the end of each top-level JSON
 * value, since the stream's output chunks need not line up with messages. Works in browsers and
 * in Node 18+ (Electron main, tests).
 */

/** Receives the binary frames of one connection; decoded messages go to the callback it was made with. */
export interface ZlibStreamInflater {
  push(chunk: Uint8Array): void;
  /** Releases the stream when the socket is gone. */
  close(): void;
}

export type InflaterFactory = (onMessage: (text: string) => void) => ZlibStreamInflater;

/** True where {@link streamInflater} can run. */
export function canInflate(): boolean {
  return typeof DecompressionStream === 'function' && typeof TextDecoderStream === 'function';
}

/** An inflater on `DecompressionStream`. Decode errors end the stream; the connection then times out and resumes. */
export const streamInflater: InflaterFactory = (onMessage) => {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.pipeThrough(new TextDecoderStream()).getReader();
  const splitter = new JsonMessageSplitter(onMessage);
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      splitter.push(value);
    }
  })().catch(() => undefined);
  return {
    push(chunk) {
      void writer.write(chunk as Uint8Array<ArrayBuffer>).catch(() => undefined);
    },
    close() {
      void writer.abort().catch(() => undefined);
      void reader.cancel().catch(() => undefined);
    },
  };
};

/** Cuts a stream of concatenated JSON objects into one string per object. */
export class JsonMessageSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where the scan stopped in `buffer`. */
  private scanned = 0;

  constructor(private readonly onMessage: (text: string) => void) {}

  push(text: string): void {
    this.buffer += text;
    let start = 0;
    for (let i = this.scanned; i < this.buffer.length; i += 1) {
      const char = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (char === '\\') this.escaped = true;
        else if (char === '"') this.inString = false;
        continue;
      }
      if (char === '"') this.inString = true;
      else if (char === '{' || char === '[') this.depth += 1;
      else if (char === '}' || char === ']') {
        this.depth -= 1;
        if (this.depth === 0) {
          this.onMessage(this.buffer.slice(start, i + 1).trim());
          start = i + 1;
        }
      }
    }
    this.buffer = this.buffer.slice(start);
    this.scanned = this.buffer.length;
  }
}
