/**
 * Sending messages: optimistic first, then in order through REST. Every send carries the
 * client's nonce with `enforce_nonce`, so a retry after a lost response returns the stored
 * message instead of creating a second one. While the gateway is not connected, sends wait in
 * order and go out after the reconnect.
 */
import type { Snowflake } from '../shared/snowflake.js';
import type { Channel, CurrentUser } from '../shared/protocol/entities.js';
import type { BridgeFile, SendMessageInput } from '../shared/ipc/bridge.js';
import type { ClientAction, ClientMessage, ClientState } from './state/types.js';
import type { HearthApi } from './hearth-api.js';
import { RestError } from './rest-client.js';

export interface OutboxEntry {
  channelId: Snowflake;
  nonce: string;
  content: string;
  replyTo?: Snowflake;
  files?: BridgeFile[];
  /** Times the server was unreachable for this entry (it fails after a few reconnect rounds). */
  unreachable?: number;
}

/** Reconnect rounds a message waits through before it is shown as failed. */
const MAX_UNREACHABLE_ROUNDS = 3;

export interface OutboxHost {
  api(): HearthApi | undefined;
  state(): ClientState;
  dispatch(action: ClientAction): void;
  /** True while the gateway session is ready (sends go out only then). */
  online(): boolean;
  /** The server could not be reached: check the gateway connection (it reconnects if it is dead). */
  connectionSuspect(): void;
}

export class MessageOutbox {
  private readonly queue: OutboxEntry[] = [];
  /** Entries of failed messages, kept for a retry (their files are not in the state). */
  private readonly failed = new Map<string, OutboxEntry>();
  private running = false;

  constructor(private readonly host: OutboxHost) {}

  /** Queues a message whose optimistic copy is already in the state, and sends when possible. */
  enqueue(entry: OutboxEntry): void {
    this.queue.push(entry);
    this.wake();
  }

  /** Puts a failed message back in the queue, with the same nonce. Returns false if unknown. */
  retry(channelId: Snowflake, nonce: string): boolean {
    const entry = this.failed.get(key(channelId, nonce));
    if (!entry) return false;
    this.failed.delete(key(channelId, nonce));
    this.host.dispatch({ type: 'message/retrying', channelId, nonce });
    this.enqueue({ ...entry, unreachable: 0 });
    return true;
  }

  /** Forgets a failed message. Returns false if unknown. */
  discard(channelId: Snowflake, nonce: string): boolean {
    if (!this.failed.delete(key(channelId, nonce))) return false;
    this.host.dispatch({ type: 'message/discarded', channelId, nonce });
    return true;
  }

  /** Number of messages waiting to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued, in order, while online (call after READY/RESUMED). */
  wake(): void {
    if (this.running) return;
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.queue.length > 0 && this.host.online()) this.wake();
    });
  }

  /** Drops everything (sign-out). */
  clear(): void {
    this.queue.length = 0;
    this.failed.clear();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.host.online()) {
      const entry = this.queue[0]!;
      const api = this.host.api();
      if (!api) return;
      const outcome = await this.send(api, entry);
      if (outcome === 'wait') return;
      this.queue.shift();
    }
  }

  private async send(api: HearthApi, entry: OutboxEntry): Promise<'done' | 'wait'> {
    try {
      const message = await api.createMessage(
        entry.channelId,
        {
          content: entry.content,
          nonce: entry.nonce,
          enforce_nonce: true,
          ...(entry.replyTo ? { message_reference: { message_id: entry.replyTo, fail_if_not_exists: false } } : {}),
        },
        entry.files,
        (loaded, total) => this.host.dispatch({ type: 'message/upload-progress', channelId: entry.channelId, nonce: entry.nonce, loaded, total }),
      );
      this.host.dispatch({ type: 'message/confirmed', message: { ...message, nonce: entry.nonce } });
      return 'done';
    } catch (error) {
      const restError = error instanceof RestError ? error : new RestError(0, 0, String(error));
      // The server is unreachable: keep it queued and let the gateway find out whether the
      // connection is gone; the send resumes after the reconnect, with the same nonce.
      entry.unreachable = (entry.unreachable ?? 0) + 1;
      if (restError.status === 0 && entry.unreachable <= MAX_UNREACHABLE_ROUNDS) {
        this.host.connectionSuspect();
        return 'wait';
      }
      this.failed.set(key(entry.channelId, entry.nonce), entry);
      this.host.dispatch({ type: 'message/failed', channelId: entry.channelId, nonce: entry.nonce, error: restError.toBridgeError() });
      return 'done';
    }
  }
}

function key(channelId: Snowflake, nonce: string): string {
  return `${channelId}:${nonce}`;
}

/** The message shown at once while a send is on its way: its nonce is its ID until confirmed. */
export function optimisticMessage(options: {
  channel: Channel;
  author: CurrentUser;
  nonce: string;
  content: string;
  input: SendMessageInput;
  referenced: ClientMessage | undefined;
  now: number;
}): ClientMessage {
  const { channel, author, nonce, content, input, referenced } = options;
  const files = input.files ?? [];
  return {
    id: nonce,
    channel_id: channel.id,
    guild_id: channel.guild_id,
    author,
    content,
    timestamp: new Date(options.now).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: input.replyTo ? 19 : 0,
    flags: 0,
    nonce,
    delivery: 'pending',
    ...(input.replyTo ? { message_reference: { message_id: input.replyTo, channel_id: channel.id, guild_id: channel.guild_id } } : {}),
    ...(referenced ? { referenced_message: referenced } : {}),
    ...(files.length > 0
      ? {
          localFiles: files.map((f) => ({ name: f.name, type: f.type, size: f.bytes.byteLength })),
          upload: { loaded: 0, total: files.reduce((sum, f) => sum + f.bytes.byteLength, 0) },
        }
      : {}),
  };
}
