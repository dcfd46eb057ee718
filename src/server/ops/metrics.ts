/**
 * Prometheus metrics of one node (`GET /metrics`, prom-client's text format). Each server has
 * its own registry, so several nodes in one process (tests) never mix their numbers.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

/** Seconds; fanout and queries are usually well under a millisecond to tens of milliseconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** What the gateway reports about itself when scraped. */
export interface GatewayGauges {
  sessionCount(): number;
  connectionCount(): number;
}

export class ServerMetrics {
  readonly registry = new Registry();
  /** Events fanned out to sessions, one per recipient (rate() of it is dispatches per second). */
  readonly dispatches: Counter<'event'>;
  /** Time from an event reaching this node's gateway to its last recipient's write. */
  readonly fanoutSeconds: Histogram;
  /** Time of each store call, by method. */
  readonly dbSeconds: Histogram<'method'>;
  /** scrypt evaluations (sign-ins, registrations, password changes, decoys): what login throttling bounds. */
  readonly passwordHashes: Counter;
  private gateway: GatewayGauges | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.dispatches = new Counter({
      name: 'hearth_gateway_dispatches_total', help: 'Events fanned out to gateway sessions (one per recipient session)', labelNames: ['event'], registers: [this.registry],
    });
    this.fanoutSeconds = new Histogram({
      name: 'hearth_gateway_fanout_seconds', help: 'Time to deliver one event to every recipient session on this node', buckets: LATENCY_BUCKETS, registers: [this.registry],
    });
    this.dbSeconds = new Histogram({
      name: 'hearth_db_query_seconds', help: 'Duration of store (database) calls', labelNames: ['method'], buckets: LATENCY_BUCKETS, registers: [this.registry],
    });
    this.passwordHashes = new Counter({
      name: 'hearth_password_hashes_total', help: 'Password hashes computed (each costs about half a second of one thread-pool thread)', registers: [this.registry],
    });
    const gauges = () => this.gateway;
    new Gauge({
      name: 'hearth_gateway_sessions', help: 'Gateway sessions held by this node (connected or resumable)', registers: [this.registry],
      collect() {
        this.set(gauges()?.sessionCount() ?? 0);
      },
    });
    new Gauge({
      name: 'hearth_gateway_connections', help: 'Open gateway WebSocket connections on this node', registers: [this.registry],
      collect() {
        this.set(gauges()?.connectionCount() ?? 0);
      },
    });
  }

  /** Where the session and connection gauges read from. */
  watchGateway(gateway: GatewayGauges): void {
    this.gateway = gateway;
  }

  /** The Prometheus text exposition and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * The store with every method timed into `hearth_db_query_seconds` (label: method name). A
 * proxy, so the store's interface and implementations stay unaware of metrics.
 */
export function timedStore(store: Store, metrics: ServerMetrics): Store {
  const timed = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close' || typeof property !== 'string') return value;
      let wrapper = timed.get(property);
      if (!wrapper) {
        const method = value as (...args: unknown[]) => unknown;
        const histogram = metrics.dbSeconds.labels(property);
        wrapper = (...args: unknown[]) => {
          const end = histogram.startTimer();
          const result = method.apply(target, args);
          if (result instanceof Promise) return result.finally(end);
          end();
          return result;
        };
        timed.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
