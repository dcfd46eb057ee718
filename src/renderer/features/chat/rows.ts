/**
 * The message list's rows: messages with date separators, the "new messages" divider and
 * grouping of consecutive messages by one author, as Discord lays them out. Pure, so the
 * virtualized list only measures and renders.
 */
import type { ClientMessage } from '../../../shared/ipc/state.js';
import { MessageType } from '../../../shared/protocol/entities.js';
import { dayLabel } from '../../app/format.js';

export type MessageRow =
  | { kind: 'message'; key: string; message: ClientMessage; grouped: boolean }
  /** `unread`: the first unread message opens this day, so the separator is also the divider. */
  | { kind: 'date'; key: string; label: string; unread: boolean }
  | { kind: 'unread-divider'; key: string }
  /** Top of the channel: no older messages exist. */
  | { kind: 'channel-start'; key: string }
  /** Top of the loaded run while older pages exist (shows loading placeholders). */
  | { kind: 'loading-older'; key: string };

/** Messages more than this far apart start a new group (Discord uses 7 minutes). */
const GROUP_WINDOW_MS = 7 * 60 * 1000;

/**
 * Each message's time and local calendar day (ms), parsed once per message object. The rows are
 * rebuilt over the whole window for every new message: parsing every timestamp again made that
 * the largest per-message cost in a channel holding thousands of messages.
 */
const parsedTimes = new WeakMap<ClientMessage, { time: number; day: number }>();

function timesOf(message: ClientMessage): { time: number; day: number } {
  let parsed = parsedTimes.get(message);
  if (!parsed) {
    const date = new Date(message.timestamp);
    parsed = { time: date.getTime(), day: new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() };
    parsedTimes.set(message, parsed);
  }
  return parsed;
}

function startsGroup(previous: ClientMessage | undefined, message: ClientMessage): boolean {
  if (!previous) return true;
  if (previous.author.id !== message.author.id) return true;
  if (message.type === MessageType.REPLY || message.message_reference?.message_id) return true;
  return timesOf(message).time - timesOf(previous).time > GROUP_WINDOW_MS;
}

/** Optimistic messages key by nonce so confirming one does not remount its row. */
export function rowKey(message: ClientMessage): string {
  return `m:${message.nonce ?? message.id}`;
}

export interface RowOptions {
  hasMoreBefore: boolean;
  /** The first unread message: the divider goes above it. */
  firstUnreadId?: string | undefined;
}

export function buildRows(messages: readonly ClientMessage[], options: RowOptions): MessageRow[] {
  const rows: MessageRow[] = [
    options.hasMoreBefore ? { kind: 'loading-older', key: 'loading-older' } : { kind: 'channel-start', key: 'channel-start' },
  ];
  let previous: ClientMessage | undefined;
  for (const message of messages) {
    let grouped = !startsGroup(previous, message);
    const firstUnread = message.id === options.firstUnreadId;
    const newDay = !previous || timesOf(previous).day !== timesOf(message).day;
    if (newDay) {
      // One red line with the date, as Discord draws it, rather than two lines a few pixels apart.
      rows.push({ kind: 'date', key: `d:${message.timestamp.slice(0, 10)}:${message.id}`, label: dayLabel(message.timestamp), unread: firstUnread });
      grouped = false;
    } else if (firstUnread) {
      rows.push({ kind: 'unread-divider', key: 'unread-divider' });
      grouped = false;
    }
    rows.push({ kind: 'message', key: rowKey(message), message, grouped });
    previous = message;
  }
  return rows;
}
