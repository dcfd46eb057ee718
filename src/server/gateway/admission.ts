/**
 * Connections that have not identified yet cost a socket and memory with no user behind them,
 * so each client address may hold only so many at once: the upgrade beyond that is refused with
 * HTTP 429 before any WebSocket exists. (Each must also identify within `--identify-timeout`,
 * or it is closed with 4003; the gateway's sweep checks that.)
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** The client's address: the socket's peer, or — from a trusted proxy (`--trust-proxy`) — what X-Forwarded-For says, as REST's `request.ip`. */
export function clientAddressResolver(trustProxy: string | undefined): (request: IncomingMessage) => string {
  if (!trustProxy) return (request) => request.socket.remoteAddress ?? '';
  const trusted = proxyAddr.compile(trustProxy.split(',').map((entry) => entry.trim()));
  return (request) => proxyAddr(request, trusted);
}

/** Counts unidentified connections per address. */
export class UnidentifiedConnections {
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Whether `address` already holds as many unidentified connections as it may (a new one is refused). */
  full(address: string): boolean {
    return (this.perAddress.get(address) ?? 0) >= this.maxPerAddress;
  }

  /** Counts a new connection from `address`. */
  add(address: string): void {
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
  }

  /** A connection from `address` identified, resumed or closed: it no longer counts. */
  release(address: string): void {
    const count = (this.perAddress.get(address) ?? 0) - 1;
    if (count > 0) this.perAddress.set(address, count);
    else this.perAddress.delete(address);
  }
}
