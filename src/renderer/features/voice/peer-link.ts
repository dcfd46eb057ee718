/**
 * One peer connection of the mesh: a simple-peer instance to one participant, its signal
 * batching, its remote audio and its speaking state. The mesh decides when links are created
 * and replaced; a link only reports what happens to it.
 */
import type { AudioOutput, RemoteAudio } from './audio-output.js';
import type { AudioTrackLike, MediaStreamLike } from './media-types.js';
import type { PeerFactory, PeerLike, PeerOptions, PeerSignal } from './peer.js';
import { SignalBatcher, type SignalEnvelope } from './signal-batcher.js';
import { SpeakingDetector, audioLevelOf, roundTripMsOf } from './speaking.js';
import type { PeerConnectionState, VoiceParticipant } from './voice-transport.js';

/** What a link reports to the mesh. */
export interface PeerLinkEvents {
  stateChanged(link: PeerLink): void;
  /** The connection failed or closed on its own; the mesh may rebuild it. */
  lost(link: PeerLink): void;
  sendSignal(sessionId: string, envelope: SignalEnvelope): void;
  /** A remote stream arrived and is attached; the mesh applies volume and deafen. */
  audioAttached(link: PeerLink): void;
  /** Bitrate and other sender settings to apply once connected. */
  connected(link: PeerLink): void;
}

export interface PeerLinkOptions {
  participant: VoiceParticipant;
  /** Names this connection; the initiator chooses it, the answerer takes it from the first envelope. */
  peerId: string;
  initiator: boolean;
  createPeer: PeerFactory;
  peerOptions: Omit<PeerOptions, 'initiator'>;
  output: AudioOutput | undefined;
  events: PeerLinkEvents;
}

export class PeerLink {
  readonly participant: VoiceParticipant;
  readonly peerId: string;
  readonly initiator: boolean;
  state: PeerConnectionState = 'connecting';
  readonly speaking = new SpeakingDetector();
  private readonly peer: PeerLike;
  private readonly batcher: SignalBatcher;
  private remote: RemoteAudio | undefined;
  private remoteTracks: AudioTrackLike[] = [];
  private closedByMesh = false;

  constructor(private readonly options: PeerLinkOptions) {
    this.participant = options.participant;
    this.peerId = options.peerId;
    this.initiator = options.initiator;
    const { events } = options;
    this.batcher = new SignalBatcher(options.peerId, (envelope) => events.sendSignal(this.participant.sessionId, envelope));
    this.peer = options.createPeer({ ...options.peerOptions, initiator: options.initiator });
    this.peer.on('signal', (signal) => this.batcher.push(signal));
    this.peer.on('connect', () => {
      this.setState('connected');
      events.connected(this);
    });
    this.peer.on('stream', (stream) => this.attach(stream));
    this.peer.on('iceStateChange', (iceState) => this.onIceState(iceState));
    // simple-peer destroys itself after an error; 'close' follows and reports the loss.
    this.peer.on('error', () => undefined);
    this.peer.on('close', () => this.onClose());
  }

  /** Signals received for this connection, in order. */
  signal(signals: readonly PeerSignal[]): void {
    for (const signal of signals) {
      if (this.peer.destroyed) return;
      this.peer.signal(signal);
    }
  }

  /** The remote audio's gain (volume, local mute, deafen); remote tracks are disabled at 0. */
  setGain(gain: number): void {
    this.remote?.setGain(gain);
    for (const track of this.remoteTracks) track.enabled = gain > 0;
  }

  /**
   * Audio levels (0–1) from one WebRTC stats read: `inbound` what the participant sends us,
   * `outbound` what this side sends (the microphone source). Undefined when not connected.
   */
  async levels(): Promise<{ inbound: number | undefined; outbound: number | undefined } | undefined> {
    if (this.state !== 'connected') return undefined;
    const report = await this.peer._pc.getStats();
    return { inbound: audioLevelOf(report, 'inbound-rtp'), outbound: audioLevelOf(report, 'media-source') };
  }

  async roundTripMs(): Promise<number | undefined> {
    if (this.state !== 'connected') return undefined;
    return roundTripMsOf(await this.peer._pc.getStats());
  }

  /** The audio senders (bitrate caps). */
  senders() {
    return this.peer._pc.getSenders().filter((sender) => sender.track === null || sender.track.kind === 'audio');
  }

  /** Tears the connection down for good (participant left, replaced, or the mesh ends). */
  close(): void {
    if (this.closedByMesh) return;
    this.closedByMesh = true;
    this.batcher.cancel();
    this.remote?.detach();
    this.remote = undefined;
    this.remoteTracks = [];
    if (!this.peer.destroyed) this.peer.destroy();
    this.setState('closed');
  }

  get closed(): boolean {
    return this.closedByMesh;
  }

  private attach(stream: MediaStreamLike): void {
    if (this.closedByMesh) return;
    this.remote?.detach();
    this.remoteTracks = stream.getAudioTracks();
    this.remote = this.options.output?.attach(this.participant.userId, stream);
    this.options.events.audioAttached(this);
  }

  private onIceState(iceState: string): void {
    if (this.closedByMesh) return;
    if (iceState === 'failed') return this.options.events.lost(this);
    // 'disconnected' often recovers by itself (ICE consent, a network blip).
    if (iceState === 'disconnected') this.setState('reconnecting');
    else if ((iceState === 'connected' || iceState === 'completed') && this.peer.connected) this.setState('connected');
  }

  private onClose(): void {
    if (this.closedByMesh) return;
    this.options.events.lost(this);
  }

  private setState(state: PeerConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.events.stateChanged(this);
  }
}
