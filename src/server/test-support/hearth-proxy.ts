/**
 * A proxy in front of a test server, for client tests that need a bad network: it forwards HTTP
 * and gateway WebSockets, and on demand cuts every gateway socket (as a dropped connection),
 * refuses new ones (offline), swallows server payloads of given opcodes (e.g. HEARTBEAT_ACK, to
 * make a zombie connection), or answers requests with a 429 before the server sees them.
 *
 * Start it first, then start the server with `publicUrl: proxy.url` so the gateway URLs the
 * server hands out point at the proxy too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface HearthProxy {
  /** e.g. http://127.0.0.1:41235 */
  readonly url: string;
  /** Where to forward (the real server's base URL). */
  target: string;
  /** Server → client gateway payloads with these opcodes are dropped. */
  readonly dropServerOps: Set<number>;
  /** Refuses gateway upgrades while true (the client sees a failed connection). */
  offline: boolean;
  /** Closes every gateway socket abruptly on both sides (code 1006 for the client). */
  cutGateway(): void;
  /** The next `count` requests matching `match` get a 429 with `retry_after` seconds. */
  injectRateLimit(count: number, retryAfterSeconds: number, match: (method: string, path: string) => boolean): void;
  /**
   * The next `count` requests matching `match` reach the server, but their responses are lost
   * (the client's connection is destroyed): what a client sees when the network fails mid-request.
   */
  loseResponses(count: number, match: (method: string, path: string) => boolean): void;
  /** Requests seen, as `METHOD /path`, in order. */
  readonly requests: string[];
  /** Gateway connections opened through the proxy so far. */
  readonly gatewayConnections: number;
  close(): Promise<void>;
}

interface Injection {
  remaining: number;
  match: (method: string, path: string) => boolean;
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']);

export async function startHearthProxy(): Promise<HearthProxy> {
  const pairs = new Set<[WebSocket, WebSocket]>();
  const injections: (Injection & { retryAfter: number })[] = [];
  const losses: Injection[] = [];
  const requests: string[] = [];
  let connections = 0;
  const wss = new WebSocketServer({ noServer: true });

  const server = http.createServer((request, response) => {
    void forward(request, response);
  });

  async function forward(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    requests.push(`${method} ${path.split('?')[0]}`);
    const injection = injections.find((i) => i.remaining > 0 && i.match(method, path));
    if (injection) {
      injection.remaining -= 1;
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(Math.ceil(injection.retryAfter)) });
      response.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: injection.retryAfter, global: false }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!HOP_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
    }
    try {
      const upstream = await fetch(`${proxy.target}${path}`, {
        method,
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      const loss = losses.find((l) => l.remaining > 0 && l.match(method, path));
      if (loss) {
        loss.remaining -= 1;
        request.socket.destroy();
        return;
      }
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name) && name !== 'content-encoding') out[name] = value;
      });
      response.writeHead(upstream.status, out);
      response.end(body);
    } catch {
      response.writeHead(502).end();
    }
  }

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (proxy.offline) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => {
      connections += 1;
      const upstream = new WebSocket(`${proxy.target.replace(/^http/, 'ws')}${request.url ?? '/gateway'}`);
      const pair: [WebSocket, WebSocket] = [client, upstream];
      pairs.add(pair);
      const early: RawData[] = [];
      client.on('message', (data, isBinary) => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
        else early.push(data);
      });
      upstream.on('open', () => {
        for (const data of early.splice(0)) upstream.send(data, { binary: false });
      });
      upstream.on('message', (data, isBinary) => {
        if (!isBinary && proxy.dropServerOps.size > 0) {
          const op = (JSON.parse(data.toString()) as { op?: number }).op;
          if (op !== undefined && proxy.dropServerOps.has(op)) return;
        }
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
      });
      const closeOther = (other: WebSocket, code: number, reason: Buffer): void => {
        pairs.delete(pair);
        if (other.readyState !== WebSocket.OPEN) {
          other.terminate();
          return;
        }
        if (code === 1000 || (code >= 3000 && code <= 4999)) other.close(code, reason.toString());
        else other.terminate();
      };
      client.on('close', (code, reason) => closeOther(upstream, code, reason));
      upstream.on('close', (code, reason) => closeOther(client, code, reason));
      client.on('error', () => upstream.terminate());
      upstream.on('error', () => client.terminate());
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: HearthProxy = {
    url: `http://127.0.0.1:${port}`,
    target: '',
    dropServerOps: new Set(),
    offline: false,
    requests,
    get gatewayConnections() {
      return connections;
    },
    cutGateway() {
      for (const [client, upstream] of [...pairs]) {
        client.terminate();
        upstream.terminate();
      }
      pairs.clear();
    },
    injectRateLimit(count, retryAfterSeconds, match) {
      injections.push({ remaining: count, retryAfter: retryAfterSeconds, match });
    },
    loseResponses(count, match) {
      losses.push({ remaining: count, match });
    },
    async close() {
      proxy.cutGateway();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
