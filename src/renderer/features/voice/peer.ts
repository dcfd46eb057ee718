/**
 * What VoiceMesh needs of one WebRTC peer: simple-peer's surface, declared here so the mesh
 * takes a factory (simple-peer's browser bundle in the renderer, `simple-peer` with
 * `@roamhq/wrtc` in Node tests) instead of importing a build of simple-peer itself.
 */
import type { IceServerConfig, MediaStreamLike, PeerConnectionLike } from './media-types.js';

/** simple-peer's signal object: an offer, an answer or an ICE candidate (opaque to Hearth). */
export type PeerSignal = Record<string, unknown>;

/** simple-peer's constructor options that the mesh uses. */
export interface PeerOptions {
  initiator: boolean;
  /** The local microphone stream (one audio track). */
  streams: MediaStreamLike[];
  config: { iceServers: IceServerConfig[] };
  trickle: true;
  /** Rewrites local SDP (Opus bitrate). */
  sdpTransform: (sdp: string) => string;
  /** simple-peer's `wrtc` option (Node: `@roamhq/wrtc`); absent in the browser. */
  wrtc?: unknown;
}

/** Events a peer emits, as simple-peer names them. */
export interface PeerEvents {
  signal: (signal: PeerSignal) => void;
  connect: () => void;
  stream: (stream: MediaStreamLike) => void;
  close: () => void;
  error: (error: Error & { code?: string }) => void;
  iceStateChange: (iceConnectionState: string, iceGatheringState: string) => void;
}

/** One simple-peer instance. */
export interface PeerLike {
  signal(signal: PeerSignal): void;
  destroy(): void;
  on<E extends keyof PeerEvents>(event: E, listener: PeerEvents[E]): unknown;
  readonly destroyed: boolean;
  readonly connected: boolean;
  /** simple-peer keeps its `RTCPeerConnection` here (stats, bitrate). */
  readonly _pc: PeerConnectionLike;
}

/** Builds a peer (e.g. `(options) => new SimplePeer(options)`). */
export type PeerFactory = (options: PeerOptions) => PeerLike;
