/**
 * Snowflake IDs in Discord's layout: 42 bits of milliseconds since the Discord epoch, 5 bits
 * worker, 5 bits process, 12 bits increment. Serialized as decimal strings in JSON.
 */

/** Discord's epoch, 2015-01-01T00:00:00.000Z. */
export const DISCORD_EPOCH = 1420070400000n;

/** A snowflake ID as it travels in JSON: a decimal string. */
export type Snowflake = string;

const MAX_INCREMENT = 0xfffn;

/** Options for a {@link SnowflakeGenerator}. */
export interface SnowflakeOptions {
  /** 0–31; unique per node in a multi-node deployment. */
  workerId?: number;
  /** 0–31. */
  processId?: number;
  /** Clock source in milliseconds since the Unix epoch (tests inject a fake clock). */
  now?: () => number;
}

/**
 * Generates snowflakes that strictly increase within one generator: when 4096 IDs are taken in
 * one millisecond, or the clock steps back, it borrows the next millisecond instead of repeating.
 */
export class SnowflakeGenerator {
  private readonly workerBits: bigint;
  private readonly now: () => number;
  private lastTimestamp = -1n;
  private increment = 0n;

  constructor(options: SnowflakeOptions = {}) {
    const workerId = options.workerId ?? 0;
    const processId = options.processId ?? 0;
    for (const [name, value] of [['workerId', workerId], ['processId', processId]] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 31) {
        throw new RangeError(`${name} must be an integer from 0 to 31, got ${value}`);
      }
    }
    this.workerBits = (BigInt(workerId) << 17n) | (BigInt(processId) << 12n);
    this.now = options.now ?? Date.now;
  }

  /** The next ID, strictly greater than every earlier one from this generator. */
  next(): Snowflake {
    let timestamp = BigInt(this.now()) - DISCORD_EPOCH;
    if (timestamp <= this.lastTimestamp) {
      timestamp = this.lastTimestamp;
      this.increment += 1n;
      if (this.increment > MAX_INCREMENT) {
        timestamp += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastTimestamp = timestamp;
    return ((timestamp << 22n) | this.workerBits | this.increment).toString();
  }
}

/** Milliseconds since the Unix epoch at which the snowflake was made. */
export function snowflakeTimestamp(id: Snowflake): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake made at or after `unixMs` (for time-based range queries). */
export function snowflakeFromTimestamp(unixMs: number): Snowflake {
  return ((BigInt(unixMs) - DISCORD_EPOCH) << 22n).toString();
}

/** True when `value` is a decimal string that fits a snowflake (unsigned 64-bit). */
export function isSnowflake(value: unknown): value is Snowflake {
  return typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) < 1n << 64n;
}

/** Orders two snowflakes numerically (they are strings, so `<` would compare text). */
export function compareSnowflakes(a: Snowflake, b: Snowflake): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
