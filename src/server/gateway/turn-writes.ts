/**
 * Coalesces what the gateway writes to each socket within one event-loop turn. The first write
 * of a turn corks the socket; one check-phase callback (`setImmediate`, after the turn's I/O and
 * timers) uncorks every corked socket, so the messages a client gets in one turn (a burst of
 * presence updates, several messages from one fanout) leave as one `writev` system call instead
 * of one each. Nothing waits for a later turn, so latency is unchanged.
 */
import type { Writable } from 'node:stream';

const corked = new Set<Writable>();
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** Whether the socket's writes are being held for the end of this turn (it saw a message this turn). */
export function isHeldThisTurn(socket: Writable): boolean {
  return corked.has(socket);
}

/** Holds the socket's writes until the end of the current event-loop turn. */
export function holdUntilTurnEnds(socket: Writable): void {
  if (corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}
