/**
 * Speaking indicators from audio levels. WebRTC reports `audioLevel` (0–1, linear) for what a
 * track carries: `inbound-rtp` for what a participant sends us, `media-source` for what we send.
 * A level above the threshold means speaking; the state holds for a short hangover so a ring
 * does not flicker between words.
 */
import type { StatsReportLike } from './media-types.js';

/** ~−36 dBFS: above room noise after noise suppression, below quiet speech. */
export const SPEAKING_LEVEL = 0.016;
/** How long speaking lasts after the level drops. */
export const SPEAKING_HANGOVER_MS = 300;

/** The audio level of the first stats entry of `type` that carries one, or undefined. */
export function audioLevelOf(report: StatsReportLike, type: 'inbound-rtp' | 'media-source'): number | undefined {
  let level: number | undefined;
  report.forEach((entry) => {
    if (level === undefined && entry.type === type && (entry.kind ?? 'audio') === 'audio' && typeof entry.audioLevel === 'number') {
      level = entry.audioLevel;
    }
  });
  return level;
}

/** Round-trip time of the nominated, succeeded ICE candidate pair, in ms. */
export function roundTripMsOf(report: StatsReportLike): number | undefined {
  let rtt: number | undefined;
  report.forEach((entry) => {
    if (entry.type === 'candidate-pair' && entry.state === 'succeeded' && entry.nominated && typeof entry.currentRoundTripTime === 'number') {
      rtt = entry.currentRoundTripTime * 1000;
    }
  });
  return rtt;
}

/** Turns a stream of levels into speaking on/off with a hangover. */
export class SpeakingDetector {
  private lastLoudAt = Number.NEGATIVE_INFINITY;
  speaking = false;

  constructor(
    private readonly threshold = SPEAKING_LEVEL,
    private readonly hangoverMs = SPEAKING_HANGOVER_MS,
  ) {}

  /** Feeds one level sample; returns true when `speaking` changed. */
  update(level: number, now: number): boolean {
    if (level >= this.threshold) this.lastLoudAt = now;
    const speaking = now - this.lastLoudAt < this.hangoverMs;
    if (speaking === this.speaking) return false;
    this.speaking = speaking;
    return true;
  }

  /** Forces silence (the source went away or stopped transmitting); true when it changed. */
  reset(): boolean {
    this.lastLoudAt = Number.NEGATIVE_INFINITY;
    if (!this.speaking) return false;
    this.speaking = false;
    return true;
  }
}
