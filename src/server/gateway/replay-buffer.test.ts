import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer.js';
import type { SerializedDispatch } from './dispatch.js';

const dispatch = (n: number): SerializedDispatch => ({ t: 'MESSAGE_DELETE', json: `{"n":${n}}` });

function filled(capacity: number, count: number): ReplayBuffer {
  const buffer = new ReplayBuffer(capacity);
  for (let seq = 1; seq <= count; seq += 1) buffer.push(seq, dispatch(seq));
  return buffer;
}

describe('ReplayBuffer', () => {
  it('replays the dispatches after the given seq, oldest first', () => {
    const replayed = filled(10, 6).since(3);
    expect(replayed?.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(replayed?.map((e) => e.dispatch.json)).toEqual(['{"n":4}', '{"n":5}', '{"n":6}']);
  });

  it('replays nothing when the client is up to date', () => {
    expect(filled(10, 6).since(6)).toEqual([]);
  });

  it('keeps only the newest `capacity` dispatches once it wraps around', () => {
    const buffer = filled(4, 11);
    expect(buffer.oldestSeq).toBe(8);
    expect(buffer.since(7)?.map((e) => e.seq)).toEqual([8, 9, 10, 11]);
    expect(buffer.since(9)?.map((e) => e.dispatch.json)).toEqual(['{"n":10}', '{"n":11}']);
  });

  it('refuses a seq whose successors were dropped, and a seq from the future', () => {
    const buffer = filled(4, 11);
    expect(buffer.since(6)).toBeUndefined();
    expect(buffer.since(0)).toBeUndefined();
    expect(buffer.since(12)).toBeUndefined();
  });

  it('counts a skipped first dispatch without replaying it', () => {
    const buffer = new ReplayBuffer(4);
    buffer.skip(1);
    buffer.push(2, dispatch(2));
    expect(buffer.since(1)?.map((e) => e.seq)).toEqual([2]);
    expect(buffer.since(0)).toBeUndefined();
    expect(() => buffer.skip(3)).toThrow(/cannot skip/);
  });

  it('accepts only consecutive sequence numbers', () => {
    const buffer = filled(4, 2);
    expect(() => buffer.push(4, dispatch(4))).toThrow(/expected seq 3/);
  });
});
