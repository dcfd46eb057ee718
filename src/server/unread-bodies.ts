/**
 * A response sent before its request's body has arrived (401 from authentication, a 429, a 404,
 * a refused body) bounds what the server reads of that body afterwards. Node would otherwise
 * read the rest of it to throw it away — all 11 MB, if that is what a caller without a token
 * chose to send. Closing at once is no better: the peer's next write would meet a reset, and
 * most HTTP clients then report a network failure instead of the response they were sent. So
 * the server reads on (and discards) up to {@link LINGER_BYTES}, time for the client to read
 * its answer and stop, then cuts the connection; a body that ends sooner keeps it alive.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Bytes of an unwanted body read after the response before the connection is cut. */
export const LINGER_BYTES = 1024 * 1024;

/** Whether the request announced a body (a length above zero, or chunks). */
function announcesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads on (into nothing) and destroys the request's socket once {@link LINGER_BYTES} more have arrived, unless the body ends first. */
function cutAfterLinger(request: IncomingMessage): void {
  let read = 0;
  request.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) request.socket.destroy();
  });
  // A parser that refused the body left it paused.
  request.resume();
}

/** Installs the `onSend` hook on the whole app (every route, the 404 handler and errors). */
export function limitUnreadBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (announcesBody(request.raw) && !request.raw.complete) {
      // Fastify asks to close at once after a refused body; the linger below closes instead.
      void reply.removeHeader('connection');
      cutAfterLinger(request.raw);
    }
    return payload;
  });
}
