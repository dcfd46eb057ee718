/**
 * What the voice UI shows beyond the client state: how the media connection is doing, the ping,
 * who is heard speaking, and the last refusal or device problem. Lives outside React (read with
 * `useSyncExternalStore` through `useVoiceView`); only the voice controller writes it.
 */
import type { Snowflake } from '../../../shared/snowflake.js';

/** The media side of the voice connection. */
export type VoicePhase = 'idle' | 'connecting' | 'connected';

export interface VoiceViewState {
  phase: VoicePhase;
  /** Round trip to the other participants (WebRTC `currentRoundTripTime`), null when unknown. */
  pingMs: number | null;
  /** Heard by this client's mesh (what it sends and receives), by user ID. */
  heard: Readonly<Record<Snowflake, true>>;
  /** Announced by the server (HEARTH_VOICE_SPEAKING), for channels this client is not in. */
  announced: Readonly<Record<Snowflake, true>>;
  /** A refusal or device problem to show until dismissed (or the next successful join). */
  notice: string | null;
}

export const INITIAL_VOICE_VIEW: VoiceViewState = { phase: 'idle', pingMs: null, heard: {}, announced: {}, notice: null };

/** Whether the user shows a speaking ring. */
export function isSpeaking(view: VoiceViewState, userId: Snowflake): boolean {
  return view.heard[userId] === true || view.announced[userId] === true;
}

/** Sets or clears one user's flag in a speaking record, keeping the record when nothing changes. */
export function withSpeaking(record: Readonly<Record<Snowflake, true>>, userId: Snowflake, speaking: boolean): Readonly<Record<Snowflake, true>> {
  if ((record[userId] === true) === speaking) return record;
  const next = { ...record };
  if (speaking) next[userId] = true;
  else delete next[userId];
  return next;
}

/** A tiny external store: immutable snapshots, change listeners. */
export class VoiceStore {
  private state: VoiceViewState = INITIAL_VOICE_VIEW;
  private readonly listeners = new Set<() => void>();

  getState = (): VoiceViewState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (state: VoiceViewState) => VoiceViewState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}
