import { describe, expect, it } from 'vitest';
import {
  DISCORD_EPOCH, SnowflakeGenerator, compareSnowflakes, isSnowflake, snowflakeFromTimestamp, snowflakeTimestamp,
} from './snowflake.js';

/** The parts of a snowflake in Discord's layout. */
function decode(id: string) {
  const value = BigInt(id);
  return {
    timestamp: Number((value >> 22n) + DISCORD_EPOCH),
    workerId: Number((value >> 17n) & 0x1fn),
    processId: Number((value >> 12n) & 0x1fn),
    increment: Number(value & 0xfffn),
  };
}

function expectStrictlyIncreasing(list: readonly string[]): void {
  for (let i = 1; i < list.length; i++) {
    expect(BigInt(list[i]!) > BigInt(list[i - 1]!), `id ${i} must exceed id ${i - 1}`).toBe(true);
  }
}

describe('snowflake layout', () => {
  it('reads the timestamp of a documented Discord ID', () => {
    // Discord's documentation example: 175928847299117063 → 2016-04-30T11:18:25.796Z, worker 1, process 0, increment 7.
    expect(snowflakeTimestamp('175928847299117063')).toBe(1462015105796);
    expect(decode('175928847299117063')).toEqual({ timestamp: 1462015105796, workerId: 1, processId: 0, increment: 7 });
  });

  it('uses the Discord epoch, 2015-01-01', () => {
    expect(DISCORD_EPOCH).toBe(BigInt(Date.UTC(2015, 0, 1)));
    const generator = new SnowflakeGenerator({ now: () => Date.UTC(2015, 0, 1) });
    expect(generator.next()).toBe('0');
  });

  it('puts milliseconds, worker, process and increment in their bits', () => {
    const now = Date.UTC(2026, 10, 28, 8, 0, 0, 123);
    const generator = new SnowflakeGenerator({ workerId: 31, processId: 5, now: () => now });
    expect(decode(generator.next())).toEqual({ timestamp: now, workerId: 31, processId: 5, increment: 0 });
    expect(decode(generator.next())).toEqual({ timestamp: now, workerId: 31, processId: 5, increment: 1 });
  });

  it('defaults worker and process to 0', () => {
    const generator = new SnowflakeGenerator({ now: () => 1_700_000_000_000 });
    expect(decode(generator.next())).toMatchObject({ workerId: 0, processId: 0 });
  });

  it('refuses worker and process IDs outside 0–31', () => {
    expect(() => new SnowflakeGenerator({ workerId: 32 })).toThrow(RangeError);
    expect(() => new SnowflakeGenerator({ workerId: -1 })).toThrow(/workerId/);
    expect(() => new SnowflakeGenerator({ processId: 1.5 })).toThrow(/processId/);
  });

  it('converts timestamps to the smallest snowflake of that millisecond', () => {
    const ms = Date.UTC(2024, 5, 1);
    const floor = snowflakeFromTimestamp(ms);
    expect(snowflakeTimestamp(floor)).toBe(ms);
    const made = new SnowflakeGenerator({ workerId: 1, now: () => ms }).next();
    expect(BigInt(made) >= BigInt(floor)).toBe(true);
    expect(BigInt(snowflakeFromTimestamp(ms + 1)) > BigInt(made)).toBe(true);
  });
});

describe('SnowflakeGenerator', () => {
  it('stays strictly increasing past 4096 IDs in one millisecond by borrowing the next one', () => {
    const now = 1_750_000_000_000;
    const generator = new SnowflakeGenerator({ now: () => now });
    const made = Array.from({ length: 10_000 }, () => generator.next());
    expectStrictlyIncreasing(made);
    expect(decode(made[4095]!)).toMatchObject({ timestamp: now, increment: 4095 });
    expect(decode(made[4096]!)).toMatchObject({ timestamp: now + 1, increment: 0 });
    expect(decode(made[9999]!).timestamp).toBe(now + 2);
  });

  it('stays strictly increasing when the clock steps back', () => {
    const clock = [1_750_000_010_000, 1_750_000_010_000, 1_750_000_000_000, 1_749_999_990_000, 1_750_000_000_001, 1_750_000_010_001];
    let tick = 0;
    const generator = new SnowflakeGenerator({ now: () => clock[Math.min(tick++, clock.length - 1)]! });
    const made = clock.map(() => generator.next());
    expectStrictlyIncreasing(made);
    // While the clock is behind, IDs keep the last time seen instead of going back with it.
    expect(made.slice(0, 5).map((id) => decode(id).timestamp)).toEqual(Array(5).fill(1_750_000_010_000));
    expect(decode(made[5]!)).toMatchObject({ timestamp: 1_750_000_010_001, increment: 0 });
  });

  it('resets the increment when the clock moves forward', () => {
    let now = 1_750_000_000_000;
    const generator = new SnowflakeGenerator({ now: () => now });
    generator.next();
    generator.next();
    now += 5;
    expect(decode(generator.next())).toMatchObject({ timestamp: now, increment: 0 });
  });

  it('keeps generators with different workers apart in the same millisecond', () => {
    const now = 1_750_000_000_000;
    const a = new SnowflakeGenerator({ workerId: 1, now: () => now });
    const b = new SnowflakeGenerator({ workerId: 2, now: () => now });
    const fromA = new Set(Array.from({ length: 100 }, () => a.next()));
    const fromB = Array.from({ length: 100 }, () => b.next());
    expect(fromB.some((id) => fromA.has(id))).toBe(false);
  });
});

describe('snowflake helpers', () => {
  it('recognises decimal strings that fit 64 bits', () => {
    expect(isSnowflake('0')).toBe(true);
    expect(isSnowflake('18446744073709551615')).toBe(true);
    expect(isSnowflake('18446744073709551616')).toBe(false);
    expect(isSnowflake('-1')).toBe(false);
    expect(isSnowflake('12a')).toBe(false);
    expect(isSnowflake('')).toBe(false);
    expect(isSnowflake(123)).toBe(false);
  });

  it('compares numerically, not as text', () => {
    expect(compareSnowflakes('9', '10')).toBeLessThan(0);
    expect(compareSnowflakes('175928847299117063', '175928847299117063')).toBe(0);
    expect(compareSnowflakes('175928847299117064', '175928847299117063')).toBeGreaterThan(0);
    expect(['100', '20', '3'].sort(compareSnowflakes)).toEqual(['3', '20', '100']);
  });
});
