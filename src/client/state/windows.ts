/**
 * Message windows: one contiguous run of a channel's history, oldest first, with optimistic
 * (pending/failed) messages after it. Pure functions used by the reducer.
 */
import { compareSnowflakes, type Snowflake } from '../../shared/snowflake.js';
import type { Message } from '../../shared/protocol/entities.js';
import type { ClientMessage, HistoryDirection, MessageWindow } from './types.js';

/** A window with nothing loaded yet. */
export function emptyWindow(): MessageWindow {
  return { messages: [], hasMoreBefore: true, hasMoreAfter: false, loadingBefore: false, loadingAfter: false };
}

/** A server message as the client holds it (its nonce kept only when it is a string). */
export function toClientMessage(message: Message): ClientMessage {
  const { nonce, ...rest } = message;
  return typeof nonce === 'string' ? { ...rest, nonce, delivery: 'sent' } : { ...rest, delivery: 'sent' };
}

function isOptimistic(message: ClientMessage): boolean {
  return message.delivery !== 'sent';
}

/** Splits a window's messages into the confirmed run and the optimistic tail. */
function split(window: MessageWindow): { sent: ClientMessage[]; optimistic: ClientMessage[] } {
  return { sent: window.messages.filter((m) => !isOptimistic(m)), optimistic: window.messages.filter(isOptimistic) };
}

/** Merges confirmed messages by ID (incoming wins), sorted oldest first. */
function mergeSent(existing: readonly ClientMessage[], incoming: readonly ClientMessage[]): ClientMessage[] {
  const byId = new Map<Snowflake, ClientMessage>();
  for (const message of existing) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => compareSnowflakes(a.id, b.id));
}

/** Optimistic messages that the incoming (confirmed) messages do not settle. */
function unsettled(optimistic: readonly ClientMessage[], incoming: readonly ClientMessage[]): ClientMessage[] {
  const nonces = new Set(incoming.map((m) => m.nonce).filter((n): n is string => n !== undefined));
  return optimistic.filter((m) => m.nonce === undefined || !nonces.has(m.nonce));
}

/**
 * Adds a confirmed message (MESSAGE_CREATE or a send's response): it replaces the optimistic
 * message with the same nonce, and joins the run unless the window does not reach the present.
 */
export function insertMessage(window: MessageWindow, message: Message): MessageWindow {
  const incoming = toClientMessage(message);
  const appended = appendNewest(window, incoming);
  if (appended) return appended;
  const { sent, optimistic } = split(window);
  const tail = unsettled(optimistic, [incoming]);
  const known = sent.some((m) => m.id === incoming.id);
  if (window.hasMoreAfter && !known) return { ...window, messages: [...sent, ...tail] };
  return { ...window, messages: [...mergeSent(sent, [incoming]), ...tail] };
}

/**
 * The live case, once per MESSAGE_CREATE: a message newer than every confirmed one in a window
 * that reaches the present goes after them, before the optimistic tail (minus the message it
 * settles). One copy of the array instead of a merge and sort, so a channel holding thousands
 * of messages takes each new one in linear time. Undefined when the general path is needed.
 */
function appendNewest(window: MessageWindow, incoming: ClientMessage): MessageWindow | undefined {
  if (window.hasMoreAfter) return undefined;
  let tailStart = window.messages.length;
  while (tailStart > 0 && isOptimistic(window.messages[tailStart - 1] as ClientMessage)) tailStart -= 1;
  const newest = window.messages[tailStart - 1];
  if (newest && compareSnowflakes(incoming.id, newest.id) <= 0) return undefined;
  const sent = window.messages.slice(0, tailStart);
  const tail = unsettled(window.messages.slice(tailStart), [incoming]);
  sent.push(incoming, ...tail);
  return { ...window, messages: sent };
}

/** Applies a MESSAGE_UPDATE (fields merged over the held message) when the message is held. */
export function updateMessage(window: MessageWindow, message: Partial<Message> & { id: Snowflake }): MessageWindow {
  let changed = false;
  const messages = window.messages.map((m) => {
    if (m.id !== message.id || isOptimistic(m)) return m;
    changed = true;
    return { ...m, ...stripNonce(message), delivery: 'sent' as const };
  });
  return changed ? { ...window, messages } : window;
}

function stripNonce(message: Partial<Message>): Partial<ClientMessage> {
  const { nonce: _nonce, ...rest } = message;
  return rest;
}

/** Removes a message by ID (or an optimistic one by nonce, which is its ID until confirmed). */
export function removeMessage(window: MessageWindow, messageId: Snowflake): MessageWindow {
  const messages = window.messages.filter((m) => m.id !== messageId);
  return messages.length === window.messages.length ? window : { ...window, messages };
}

/** Changes the held message with this ID, if any. */
export function mapMessage(window: MessageWindow, messageId: Snowflake, change: (m: ClientMessage) => ClientMessage): MessageWindow {
  let changed = false;
  const messages = window.messages.map((m) => {
    if (m.id !== messageId) return m;
    changed = true;
    return change(m);
  });
  return changed ? { ...window, messages } : window;
}

/** Merges a page from REST (newest first, as the API returns it) into the window. */
export function mergePage(
  window: MessageWindow,
  direction: HistoryDirection,
  page: readonly Message[],
  limit: number,
  anchorId?: Snowflake,
): MessageWindow {
  const incoming = page.map(toClientMessage);
  const { sent, optimistic } = split(window);
  const tail = unsettled(optimistic, incoming);
  const full = page.length >= limit;
  switch (direction) {
    case 'latest':
      return { ...window, messages: [...mergeSent([], incoming), ...tail], hasMoreBefore: full, hasMoreAfter: false, loadingBefore: false, loadingAfter: false };
    case 'before':
      return { ...window, messages: [...mergeSent(sent, incoming), ...tail], hasMoreBefore: full, loadingBefore: false };
    case 'after':
      return { ...window, messages: [...mergeSent(sent, incoming), ...tail], hasMoreAfter: window.hasMoreAfter && full, loadingAfter: false };
    case 'around': {
      const half = Math.floor(limit / 2);
      const older = anchorId ? incoming.filter((m) => compareSnowflakes(m.id, anchorId) < 0).length : 0;
      const newer = anchorId ? incoming.filter((m) => compareSnowflakes(m.id, anchorId) > 0).length : 0;
      return {
        ...window,
        messages: [...mergeSent([], incoming), ...tail],
        hasMoreBefore: older >= half,
        hasMoreAfter: newer >= half,
        loadingBefore: false,
        loadingAfter: false,
      };
    }
  }
}

/** The newest confirmed message of the window, if any. */
export function newestSent(window: MessageWindow): ClientMessage | undefined {
  for (let i = window.messages.length - 1; i >= 0; i -= 1) {
    const message = window.messages[i];
    if (message && message.delivery === 'sent') return message;
  }
  return undefined;
}

/** The oldest confirmed message of the window, if any. */
export function oldestSent(window: MessageWindow): ClientMessage | undefined {
  return window.messages.find((m) => m.delivery === 'sent');
}
