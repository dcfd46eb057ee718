/**
 * A response sent before its request's body has arrived (401 from authentication, a 429, a 404,
 * a refused body) bounds what the server reads of that body afterwards. Node would otherwise
 * read the rest of it to throw it away — all 11 MB, if that is what a caller without a token
 * chose to send. Closing at once is no better: the peer's next write would meet a reset, and
 * most HTTP clients then fail with a network error before reading the response they were sent.
 * So the server reads on (into nothing) up to {@link LINGER_BYTES}, then stops reading — the
 * sender blocks, nothing fails — and cuts the connection {@link LINGER_MS} later, once the
 * client has had time to read its answer. A body that ends sooner keeps the connection alive.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Bytes of an unwanted body read after the response before the server stops reading it. */
export const LINGER_BYTES = 256 * 1024;
/** How long a connection whose body was not wanted stays open once the server stopped reading. */
export const LINGER_MS = 2000;

/** Whether the request announced a body (a length above zero, or chunks). */
function announcesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads on into nothing up to {@link LINGER_BYTES}, then stops and destroys the socket {@link LINGER_MS} later. */
function lingerThenCut(request: IncomingMessage): void {
  let read = 0;
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read <= LINGER_BYTES) return;
    request.off('data', onData);
    request.pause();
    setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
  };
  request.on('data', onData);
  // A parser that refused the body left it paused.
  request.resume();
}

/** Installs the `onSend` hook on the whole app (every route, the 404 handler and errors). */
export function limitUnreadBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (announcesBody(request.raw) && !request.raw.complete) {
      // Fastify asks to close at once after a refused body; the linger closes instead.
      void reply.removeHeader('connection');
      lingerThenCut(request.raw);
    }
    return payload;
  });
}
