/**
 * Where remote audio is played. The mesh hands each participant's stream to an
 * {@link AudioOutput} and sets its gain (per-user volume, local mute, deafen). The renderer uses
 * {@link WebAudioOutput}-style graphs (a GainNode per user, output device via `setSinkId`);
 * Node tests pass a recording implementation.
 */
import type { Snowflake } from '../../../shared/snowflake.js';
import type { MediaStreamLike } from './media-types.js';

/** One participant's audio being played. */
export interface RemoteAudio {
  /** Linear gain: 0 silent, 1 as received, 2 = 200 %. */
  setGain(gain: number): void;
  /** Stops playing and releases the nodes. */
  detach(): void;
}

export interface AudioOutput {
  attach(userId: Snowflake, stream: MediaStreamLike): RemoteAudio;
}

/** Per-user volume (0–200 %) to gain, clamped; NaN counts as 100 %. */
export function volumeToGain(percent: number): number {
  if (!Number.isFinite(percent)) return 1;
  return Math.min(200, Math.max(0, percent)) / 100;
}
