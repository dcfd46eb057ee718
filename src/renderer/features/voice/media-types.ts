/**
 * The small slice of WebRTC and media APIs the voice core uses, typed structurally. Chromium's
 * objects satisfy them, and so do `@roamhq/wrtc`'s in Node, so the same VoiceMesh runs in the
 * renderer and in Node integration tests (whose type-check has no DOM library).
 */

/** A local or remote audio track (`MediaStreamTrack`). */
export interface AudioTrackLike {
  readonly id: string;
  readonly kind: string;
  /** false: the track sends silence frames only (nothing of the microphone leaves the machine). */
  enabled: boolean;
  stop(): void;
}

/** A `MediaStream` holding tracks. */
export interface MediaStreamLike {
  readonly id: string;
  getAudioTracks(): AudioTrackLike[];
  getTracks(): AudioTrackLike[];
}

/** One entry of an `RTCStatsReport`, with the fields the voice core reads. */
export interface StatsEntry {
  type: string;
  kind?: string;
  audioLevel?: number;
  totalAudioEnergy?: number;
  totalSamplesDuration?: number;
  bytesReceived?: number;
  bytesSent?: number;
  state?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
}

/** `RTCStatsReport`: a map-like of entries. */
export interface StatsReportLike {
  forEach(callback: (entry: StatsEntry) => void): void;
}

/** `RTCRtpSendParameters` as far as bitrate goes. */
export interface SendParametersLike {
  encodings: { maxBitrate?: number }[];
}

export interface RtpSenderLike {
  readonly track: AudioTrackLike | null;
  getParameters(): SendParametersLike;
  setParameters(parameters: SendParametersLike): Promise<void>;
}

/** The `RTCPeerConnection` underneath a peer. */
export interface PeerConnectionLike {
  readonly iceConnectionState: string;
  readonly connectionState?: string;
  getStats(): Promise<StatsReportLike>;
  getSenders(): RtpSenderLike[];
}

/** STUN/TURN servers for `RTCPeerConnection` (the server hands them out in READY). */
export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}
