/**
 * Voice activity: transmit while the microphone level is above a threshold (−100…0 dBFS, from
 * the settings) or, in automatic mode, a margin above the measured noise floor. A hangover
 * keeps transmitting briefly after the level drops so words are not clipped. Levels come from
 * a WebAudio `AnalyserNode` in the browser (level-meter.ts) or from raw samples in tests.
 */

/** Quietest level reported (digital silence). */
export const SILENCE_DB = -100;
/** How long transmitting continues after the level falls below the threshold. */
export const VOICE_HANGOVER_MS = 300;
/** Automatic mode: speech is this far above the noise floor… */
export const AUTO_MARGIN_DB = 15;
/** …within these bounds, so a silent room does not open on breath and a noisy one still opens. */
export const AUTO_MIN_THRESHOLD_DB = -65;
export const AUTO_MAX_THRESHOLD_DB = -25;

/** The threshold setting: a level in dB, or automatic. */
export type VoiceActivityThreshold = number | 'auto';

/** RMS of samples in −1…1 as dBFS, floored at {@link SILENCE_DB}. */
export function rmsDb(samples: ArrayLike<number>): number {
  if (samples.length === 0) return SILENCE_DB;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i] as number;
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / samples.length);
  return rms <= 0 ? SILENCE_DB : Math.max(SILENCE_DB, 20 * Math.log10(rms));
}

/**
 * Tracks the noise floor: falls quickly to quieter levels, rises slowly (about 1 dB per 100
 * samples of ~20 ms), so speech does not lift it but a fan switched on does.
 */
class NoiseFloor {
  private floor: number | undefined;

  update(db: number): number {
    if (this.floor === undefined || db < this.floor) this.floor = db;
    else this.floor += Math.min(db - this.floor, 0.01 * (db - this.floor) + 0.005);
    return this.floor;
  }
}

/** Levels in, transmitting on/off out. */
export class VoiceActivityGate {
  private threshold: VoiceActivityThreshold;
  private readonly noise = new NoiseFloor();
  private floorDb = SILENCE_DB;
  private lastLoudAt = Number.NEGATIVE_INFINITY;
  private active = false;

  constructor(
    private readonly onChange: (transmitting: boolean) => void,
    threshold: VoiceActivityThreshold = 'auto',
    private readonly hangoverMs = VOICE_HANGOVER_MS,
  ) {
    this.threshold = clampThreshold(threshold);
  }

  get transmitting(): boolean {
    return this.active;
  }

  setThreshold(threshold: VoiceActivityThreshold): void {
    this.threshold = clampThreshold(threshold);
  }

  /** The threshold in force now (automatic mode: from the noise floor so far). */
  currentThresholdDb(): number {
    return this.threshold === 'auto' ? this.autoThreshold(undefined) : this.threshold;
  }

  /** One level measurement (dBFS) at `now` (ms). */
  feed(db: number, now: number): void {
    const level = Math.max(SILENCE_DB, Math.min(0, db));
    const threshold = this.threshold === 'auto' ? this.autoThreshold(level) : this.threshold;
    if (level >= threshold) this.lastLoudAt = now;
    this.set(now - this.lastLoudAt < this.hangoverMs);
  }

  /** Stops at once (mode changed, left voice). */
  reset(): void {
    this.lastLoudAt = Number.NEGATIVE_INFINITY;
    this.set(false);
  }

  private autoThreshold(level: number | undefined): number {
    // Loud frames do not teach the floor while transmitting (that would be speech).
    if (level !== undefined && !(this.active && level > this.floorDb + AUTO_MARGIN_DB)) this.floorDb = this.noise.update(level);
    return Math.min(AUTO_MAX_THRESHOLD_DB, Math.max(AUTO_MIN_THRESHOLD_DB, this.floorDb + AUTO_MARGIN_DB));
  }

  private set(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    this.onChange(active);
  }
}

function clampThreshold(threshold: VoiceActivityThreshold): VoiceActivityThreshold {
  if (threshold === 'auto') return threshold;
  if (!Number.isFinite(threshold)) return 'auto';
  return Math.max(SILENCE_DB, Math.min(0, threshold));
}
