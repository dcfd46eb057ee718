/**
 * The media side of a voice connection as the UI sees it. {@link VoiceMesh} (one WebRTC peer
 * per participant) implements it today; an SFU client for large channels can implement the
 * same interface and the voice UI does not change.
 */
import type { Snowflake } from '../../../shared/snowflake.js';

/** Another session in the voice channel (from the guild's voice states). */
export interface VoiceParticipant {
  sessionId: string;
  userId: Snowflake;
}

/** How media to one participant is doing. */
export type PeerConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** What a transport tells the UI (one payload per event). */
export interface VoiceTransportEvents extends Record<string, unknown> {
  /** Someone started or stopped being heard; `userId` is the local user for what this client sends. */
  speaking: { userId: Snowflake; speaking: boolean };
  /** Media to a participant changed state (a peer created, connected, lost, torn down). */
  peerState: { participant: VoiceParticipant; state: PeerConnectionState };
}

/** The voice transport (mesh or SFU). Every method is safe to call in any state. */
export interface VoiceTransport {
  /** The other sessions in the channel now; peers are created and torn down to match. */
  setParticipants(participants: readonly VoiceParticipant[]): void;
  /** A signal relayed by the server (`HEARTH_VOICE_SIGNAL`). */
  handleSignal(fromSessionId: string, fromUserId: Snowflake, signal: unknown): void;
  /** Whether the input mode wants to transmit now (push-to-talk held, or voice detected). */
  setTransmitting(transmitting: boolean): void;
  setSelfMuted(muted: boolean): void;
  /** Deafen: all incoming audio silenced; also mutes the microphone. */
  setSelfDeafened(deafened: boolean): void;
  /** Server mute or missing SPEAK (`mute`/`suppress` in the own voice state): nothing is sent. */
  setServerMuted(muted: boolean): void;
  /** Playback volume of one user, 0–200 %. */
  setUserVolume(userId: Snowflake, percent: number): void;
  /** Local mute of one user (only this client stops hearing them). */
  setUserMuted(userId: Snowflake, muted: boolean): void;
  /** The channel's bitrate in bits per second (Opus). */
  setBitrate(bitsPerSecond: number): void;
  /** Rebuilds media that is not connected (after a gateway resume or an ICE failure). */
  reconnect(): void;
  /** Round-trip time to the participants in ms (the median of connected peers), or null. */
  pingMs(): Promise<number | null>;
  /** Whether the local user is being heard now. */
  readonly transmitting: boolean;
  on<E extends keyof VoiceTransportEvents>(event: E, listener: (payload: VoiceTransportEvents[E]) => void): () => void;
  /** Leaves: every peer closed, the local track left to its owner. */
  destroy(): void;
}
