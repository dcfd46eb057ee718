/**
 * A response sent before its request's body has arrived (401 from authentication, a 429, a 404,
 * a refused body) closes the connection after it. Otherwise Node would keep the connection and
 * read the rest of the body to throw it away — all 11 MB of it, if that is what a caller without
 * a token chose to send. Browsers and bots open a new connection for their next request.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Whether the request announced a body (a length above zero, or chunks). */
function announcesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Installs the `onSend` hook on the whole app (every route, the 404 handler and errors). */
export function closeConnectionsWithUnreadBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (announcesBody(request.raw) && !request.raw.complete) void reply.header('connection', 'close');
    return payload;
  });
}
