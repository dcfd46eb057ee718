import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../../shared/ipc/state.js';
import { message, user } from '../../test-support/harness.js';
import { toClientMessage } from '../../../client/state/windows.js';
import { buildRows } from './rows.js';

const BOB = user('2', 'Bob');
const CAT = user('3', 'Cat');

function sent(id: number, author = BOB, timestamp = '2026-03-02T10:00:00'): ClientMessage {
  // Local times (no zone): the separators follow the reader's calendar day.
  return toClientMessage(message(id, author, `m${id}`, new Date(timestamp).toISOString()));
}

function shape(messages: ClientMessage[], firstUnreadId?: string): string[] {
  return buildRows(messages, { hasMoreBefore: false, firstUnreadId }).map((row) => {
    switch (row.kind) {
      case 'message':
        return `${row.message.content}${row.grouped ? ' (grouped)' : ''}`;
      case 'date':
        return `date${row.unread ? ' (new)' : ''}`;
      default:
        return row.kind;
    }
  });
}

describe('buildRows', () => {
  it('starts each local day with a date separator and groups one author within 7 minutes', () => {
    const messages = [
      sent(1, BOB, '2026-03-02T10:00:00'),
      sent(2, BOB, '2026-03-02T10:06:59'),
      sent(3, BOB, '2026-03-02T10:14:00'),
      sent(4, CAT, '2026-03-02T10:14:30'),
      sent(5, CAT, '2026-03-02T23:59:00'),
      sent(6, CAT, '2026-03-03T00:01:00'),
    ];
    expect(shape(messages)).toEqual(['channel-start', 'date', 'm1', 'm2 (grouped)', 'm3', 'm4', 'm5', 'date', 'm6']);
  });

  it('gives the same rows when built again over a window that grew (times are parsed once per message)', () => {
    const messages = [sent(1, BOB, '2026-03-02T10:00:00'), sent(2, BOB, '2026-03-02T10:01:00')];
    const first = shape(messages);
    const grown = [...messages, sent(3, BOB, '2026-03-02T10:02:00'), sent(4, BOB, '2026-03-04T09:00:00')];
    expect(shape(grown).slice(0, first.length)).toEqual(first);
    expect(shape(grown).slice(first.length)).toEqual(['m3 (grouped)', 'date', 'm4']);
  });

  it('draws the new-messages divider above the first unread, or marks that day\'s separator', () => {
    const messages = [sent(1), sent(2, BOB, '2026-03-02T10:01:00'), sent(3, BOB, '2026-03-03T10:00:00')];
    expect(shape(messages, messages[1]?.id)).toEqual(['channel-start', 'date', 'm1', 'unread-divider', 'm2', 'date', 'm3']);
    expect(shape(messages, messages[2]?.id)).toEqual(['channel-start', 'date', 'm1', 'm2 (grouped)', 'date (new)', 'm3']);
  });
});
