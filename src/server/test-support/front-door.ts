/**
 * A load balancer in front of several test nodes, doing what docs/deployment.md's nginx config
 * does: `/node/<n>/…` goes to node n (so `resume_gateway_url` reaches the node that holds the
 * session) with the prefix stripped, and to another live node when node n does not answer;
 * anything else goes to the first live node. HTTP requests are proxied; WebSocket upgrades are
 * piped as raw TCP after the rewritten request head.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface FrontDoor {
  /** e.g. http://127.0.0.1:41236 */
  readonly url: string;
  /** The public URL of node `index` behind this door (pass it as the node's `publicUrl`). */
  nodeUrl(index: number): string;
  /** Sets where node `index` listens (its real base URL, e.g. http://127.0.0.1:41237). */
  setNode(index: number, target: string): void;
  close(): Promise<void>;
}

interface Route {
  /** Node indexes to try, in order. */
  order: number[];
  path: string;
}

export async function startFrontDoor(): Promise<FrontDoor> {
  const nodes = new Map<number, URL>();
  const route = (rawPath: string): Route => {
    const match = /^\/node\/(\d+)(\/.*)?$/.exec(rawPath);
    const all = [...nodes.keys()].sort((a, b) => a - b);
    if (!match) return { order: all, path: rawPath };
    const index = Number(match[1]);
    return { order: [index, ...all.filter((n) => n !== index)], path: match[2] ?? '/' };
  };

  const server = http.createServer((request, response) => {
    const { order, path } = route(request.url ?? '/');
    // The body is read first so a request can be sent again to the next node.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => attempt(0));
    const attempt = (position: number): void => {
      const target = nodes.get(order[position] ?? -1);
      if (!target) {
        response.writeHead(502).end();
        return;
      }
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: request.method, path, headers: request.headers },
        (reply) => {
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(response);
        },
      );
      // Like nginx's proxy_next_upstream: a node that refuses the connection is skipped.
      upstream.once('error', () => (response.headersSent ? response.destroy() : attempt(position + 1)));
      upstream.end(Buffer.concat(chunks));
    };
  });

  server.on('upgrade', (request: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const { order, path } = route(request.url ?? '/');
    const headLines = [`${request.method} ${path} HTTP/1.1`];
    for (let i = 0; i < request.rawHeaders.length; i += 2) headLines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
    const requestHead = `${headLines.join('\r\n')}\r\n\r\n`;
    client.on('error', () => undefined);
    const attempt = (position: number): void => {
      const target = nodes.get(order[position] ?? -1);
      if (!target) {
        client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect(Number(target.port), target.hostname);
      upstream.once('error', () => attempt(position + 1));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        upstream.write(requestHead);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
    };
    attempt(0);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    nodeUrl: (index) => `${url}/node/${index}`,
    setNode(index, target) {
      nodes.set(index, new URL(target));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
