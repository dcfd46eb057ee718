/**
 * The event bus of a multi-node deployment: every event is delivered on the node that published
 * it at once (as the in-process bus does, so one node behaves exactly as before) and published
 * once to a Redis channel, serialized once; every other node parses it once and delivers it to
 * its own sessions. A node ignores its own messages coming back from Redis.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { KEY_PREFIX } from '../scale/redis.js';
import {
  InProcessEventBus, type ControlEvent, type ControlListener, type EventBus, type EventListener, type HearthEvent,
} from './events.js';

/** The Redis pub/sub channel that carries events between nodes. */
export const EVENTS_CHANNEL = `${KEY_PREFIX}events`;

/** One message on the channel: the publishing node and either an event or a control event. */
type WireMessage = { n: string; e: HearthEvent } | { n: string; c: ControlEvent };

export class RedisEventBus implements EventBus {
  private readonly local = new InProcessEventBus();
  private closed = false;

  /**
   * @param publisher a connection for PUBLISH (shared with other commands)
   * @param subscriber a connection in subscriber mode, used only by this bus
   */
  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {
    subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.receive(message));
  }

  /** Subscribes to the events channel; resolves once messages from other nodes arrive. */
  static async start(publisher: Redis, subscriber: Redis, nodeId: string, logger: Logger): Promise<RedisEventBus> {
    const bus = new RedisEventBus(publisher, subscriber, nodeId, logger);
    await subscriber.subscribe(EVENTS_CHANNEL);
    return bus;
  }

  publish(event: HearthEvent): void {
    this.local.publish(event);
    this.send({ n: this.nodeId, e: event });
  }

  subscribe(listener: EventListener): () => void {
    return this.local.subscribe(listener);
  }

  publishControl(event: ControlEvent): void {
    this.local.publishControl(event);
    this.send({ n: this.nodeId, c: event });
  }

  subscribeControl(listener: ControlListener): () => void {
    return this.local.subscribeControl(listener);
  }

  /** Stops receiving from other nodes (the connections are closed by their owner). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriber.unsubscribe(EVENTS_CHANNEL).catch(() => undefined);
  }

  private send(message: WireMessage): void {
    if (this.closed) return;
    this.publisher.publish(EVENTS_CHANNEL, JSON.stringify(message)).catch((error: unknown) => {
      this.logger.error({ err: error }, 'publishing an event to Redis failed');
    });
  }

  private receive(raw: Buffer): void {
    if (this.closed) return;
    let message: WireMessage;
    try {
      // Only Hearth nodes write this channel, so its messages are trusted shapes, parsed once here.
      message = JSON.parse(raw.toString('utf8')) as WireMessage;
    } catch (error) {
      this.logger.error({ err: error }, 'unreadable event from Redis');
      return;
    }
    if (message.n === this.nodeId) return;
    if ('e' in message) this.local.publish(message.e);
    else this.local.publishControl(message.c);
  }
}
