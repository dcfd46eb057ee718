/**
 * VoiceMesh: the voice transport for small channels — one WebRTC peer (simple-peer) per other
 * participant, everyone sending their one microphone track to everyone.
 *
 * - No glare: of each pair, the session with the lower ID initiates (sends the offer); the
 *   other answers whatever connection the initiator names (see signal-batcher.ts).
 * - Peers follow the participant list (from voice states): new ones get a link, leavers' links
 *   close. A link that fails (ICE failure, closed) is rebuilt after a short delay while the
 *   participant is still there; {@link VoiceMesh.reconnect} rebuilds every link not connected.
 * - Nothing is sent while not transmitting: the track is disabled (WebRTC then sends no audio
 *   of the microphone), not just turned down.
 *
 * Dependencies are injected (peer factory, signal sender, the local track, an audio output), so
 * the same code runs in Chromium and in Node with `@roamhq/wrtc`.
 */
import type { Snowflake } from '../../../shared/snowflake.js';
import { TypedEmitter } from '../../../client/emitter.js';
import { volumeToGain, type AudioOutput } from './audio-output.js';
import type { AudioTrackLike, IceServerConfig, MediaStreamLike } from './media-types.js';
import { DEFAULT_BITRATE, capSenderBitrate, clampBitrate, withOpusBitrate } from './opus.js';
import type { PeerFactory } from './peer.js';
import { PeerLink, type PeerLinkEvents } from './peer-link.js';
import { parseSignalEnvelope, type SignalEnvelope } from './signal-batcher.js';
import { SpeakingDetector } from './speaking.js';
import type { VoiceParticipant, VoiceTransport, VoiceTransportEvents } from './voice-transport.js';

export interface VoiceMeshOptions {
  /** This client's gateway session (decides who initiates each pair). */
  selfSessionId: string;
  selfUserId: Snowflake;
  /** The local stream with the microphone (or test source) track; the mesh never stops it. */
  localStream: MediaStreamLike;
  createPeer: PeerFactory;
  /** Sends op 40 to one session (e.g. `bridge.sendVoiceSignal`). */
  sendSignal: (sessionId: string, signal: SignalEnvelope) => void;
  iceServers?: IceServerConfig[];
  /** The channel's bitrate (bits/s); default 64 kbps. */
  bitrate?: number;
  /** Plays remote audio; without one, nothing is played (tests, or a UI that plays elsewhere). */
  output?: AudioOutput;
  /** simple-peer's `wrtc` option (Node). */
  wrtc?: unknown;
  /** How often speaking levels are read from WebRTC stats (default 100 ms). */
  levelPollMs?: number;
  /** Delay before a lost peer is rebuilt (default 1000 ms). */
  rebuildDelayMs?: number;
  /** Reports errors that cannot reach a caller (stats, bitrate); default: ignored. */
  onError?: (error: unknown) => void;
}

/** A short unique connection name (not a secret: the server already scopes signals to the channel). */
function newPeerId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export class VoiceMesh extends TypedEmitter<VoiceTransportEvents> implements VoiceTransport {
  private readonly links = new Map<string, PeerLink>();
  private readonly participants = new Map<string, VoiceParticipant>();
  private readonly rebuildTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly volumes = new Map<Snowflake, number>();
  private readonly localMutes = new Set<Snowflake>();
  private readonly selfSpeaking = new SpeakingDetector();
  private readonly track: AudioTrackLike | undefined;
  private readonly levelTimer: ReturnType<typeof setInterval>;
  private readonly linkEvents: PeerLinkEvents;
  private bitrate: number;
  private wantsToTransmit = false;
  private selfMuted = false;
  private selfDeafened = false;
  private serverMuted = false;
  private destroyed = false;
  private polling = false;

  constructor(private readonly options: VoiceMeshOptions) {
    super(options.onError);
    this.track = options.localStream.getAudioTracks()[0];
    this.bitrate = clampBitrate(options.bitrate ?? DEFAULT_BITRATE);
    this.applyTrackEnabled();
    this.linkEvents = {
      stateChanged: (link) => this.emit('peerState', { participant: link.participant, state: link.state }),
      lost: (link) => this.onLinkLost(link),
      sendSignal: (sessionId, envelope) => this.options.sendSignal(sessionId, envelope),
      audioAttached: (link) => link.setGain(this.gainFor(link.participant.userId)),
      connected: (link) => this.capBitrate(link),
    };
    this.levelTimer = setInterval(() => void this.pollLevels(), options.levelPollMs ?? 100);
  }

  get transmitting(): boolean {
    return this.track?.enabled ?? false;
  }

  /** Sessions with a connected peer (for tests and diagnostics). */
  connectedSessions(): string[] {
    return [...this.links.values()].filter((link) => link.state === 'connected').map((link) => link.participant.sessionId);
  }

  /** Sessions that have a peer at all. */
  peerSessions(): string[] {
    return [...this.links.keys()];
  }

  setParticipants(participants: readonly VoiceParticipant[]): void {
    if (this.destroyed) return;
    const next = new Map(participants.filter((p) => p.sessionId !== this.options.selfSessionId).map((p) => [p.sessionId, p]));
    for (const sessionId of [...this.participants.keys()]) {
      if (!next.has(sessionId)) this.dropParticipant(sessionId);
    }
    for (const [sessionId, participant] of next) {
      if (this.participants.has(sessionId)) continue;
      this.participants.set(sessionId, participant);
      if (this.initiates(sessionId)) this.openLink(participant, newPeerId());
    }
  }

  handleSignal(fromSessionId: string, fromUserId: Snowflake, signal: unknown): void {
    if (this.destroyed || fromSessionId === this.options.selfSessionId) return;
    const envelope = parseSignalEnvelope(signal);
    if (!envelope) return;
    const existing = this.links.get(fromSessionId);
    if (this.initiates(fromSessionId)) {
      // Answers to a connection this side replaced are stale.
      if (existing && existing.peerId === envelope.peer) existing.signal(envelope.signals);
      return;
    }
    // The server relays only within the channel: a signal may come before the voice state does.
    if (!this.participants.has(fromSessionId)) this.participants.set(fromSessionId, { sessionId: fromSessionId, userId: fromUserId });
    let link = existing;
    if (!link || link.peerId !== envelope.peer) {
      link?.close();
      link = this.openLink(this.participants.get(fromSessionId) as VoiceParticipant, envelope.peer);
    }
    link.signal(envelope.signals);
  }

  setTransmitting(transmitting: boolean): void {
    this.wantsToTransmit = transmitting;
    this.applyTrackEnabled();
  }

  setSelfMuted(muted: boolean): void {
    this.selfMuted = muted;
    this.applyTrackEnabled();
  }

  setSelfDeafened(deafened: boolean): void {
    this.selfDeafened = deafened;
    this.applyTrackEnabled();
    this.applyGains();
  }

  setServerMuted(muted: boolean): void {
    this.serverMuted = muted;
    this.applyTrackEnabled();
  }

  setUserVolume(userId: Snowflake, percent: number): void {
    this.volumes.set(userId, volumeToGain(percent));
    this.applyGains();
  }

  setUserMuted(userId: Snowflake, muted: boolean): void {
    if (muted) this.localMutes.add(userId);
    else this.localMutes.delete(userId);
    this.applyGains();
  }

  setBitrate(bitsPerSecond: number): void {
    this.bitrate = clampBitrate(bitsPerSecond);
    for (const link of this.links.values()) if (link.state === 'connected') this.capBitrate(link);
  }

  reconnect(): void {
    for (const participant of this.participants.values()) {
      const link = this.links.get(participant.sessionId);
      if (!link || link.state !== 'connected') this.rebuild(participant.sessionId);
    }
  }

  async pingMs(): Promise<number | null> {
    const rtts = (await Promise.all([...this.links.values()].map((link) => link.roundTripMs().catch(() => undefined))))
      .filter((rtt): rtt is number => rtt !== undefined)
      .sort((a, b) => a - b);
    if (rtts.length === 0) return null;
    return Math.round(rtts[Math.floor(rtts.length / 2)] as number);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.levelTimer);
    for (const timer of this.rebuildTimers.values()) clearTimeout(timer);
    this.rebuildTimers.clear();
    for (const sessionId of [...this.participants.keys()]) this.dropParticipant(sessionId);
    if (this.selfSpeaking.reset()) this.emit('speaking', { userId: this.options.selfUserId, speaking: false });
  }

  /** The lower session ID of a pair sends the offer. */
  private initiates(otherSessionId: string): boolean {
    return this.options.selfSessionId < otherSessionId;
  }

  private openLink(participant: VoiceParticipant, peerId: string): PeerLink {
    const link = new PeerLink({
      participant,
      peerId,
      initiator: this.initiates(participant.sessionId),
      createPeer: this.options.createPeer,
      peerOptions: {
        streams: [this.options.localStream],
        config: { iceServers: this.options.iceServers ?? [] },
        trickle: true,
        sdpTransform: (sdp) => withOpusBitrate(sdp, this.bitrate),
        ...(this.options.wrtc === undefined ? {} : { wrtc: this.options.wrtc }),
      },
      output: this.options.output,
      events: this.linkEvents,
    });
    this.links.set(participant.sessionId, link);
    this.emit('peerState', { participant, state: link.state });
    return link;
  }

  private dropParticipant(sessionId: string): void {
    const participant = this.participants.get(sessionId);
    this.participants.delete(sessionId);
    const timer = this.rebuildTimers.get(sessionId);
    if (timer !== undefined) clearTimeout(timer);
    this.rebuildTimers.delete(sessionId);
    const link = this.links.get(sessionId);
    this.links.delete(sessionId);
    link?.close();
    if (participant && link?.speaking.reset()) this.emit('speaking', { userId: participant.userId, speaking: false });
  }

  /** A link failed on its own: rebuild it after a delay if the participant is still here. */
  private onLinkLost(link: PeerLink): void {
    if (this.links.get(link.participant.sessionId) !== link) return;
    link.close();
    if (link.speaking.reset()) this.emit('speaking', { userId: link.participant.userId, speaking: false });
    if (this.rebuildTimers.has(link.participant.sessionId)) return;
    const timer = setTimeout(() => {
      this.rebuildTimers.delete(link.participant.sessionId);
      this.rebuild(link.participant.sessionId);
    }, this.options.rebuildDelayMs ?? 1_000);
    this.rebuildTimers.set(link.participant.sessionId, timer);
  }

  /** The initiator opens a new connection; the answerer drops its link and waits for the new offer. */
  private rebuild(sessionId: string): void {
    const participant = this.participants.get(sessionId);
    if (this.destroyed || !participant) return;
    const old = this.links.get(sessionId);
    if (this.initiates(sessionId)) {
      old?.close();
      this.openLink(participant, newPeerId());
    } else if (old && old.closed) {
      this.links.delete(sessionId);
      this.emit('peerState', { participant, state: 'reconnecting' });
    }
  }

  private applyTrackEnabled(): void {
    if (!this.track) return;
    this.track.enabled = this.wantsToTransmit && !this.selfMuted && !this.selfDeafened && !this.serverMuted;
  }

  private gainFor(userId: Snowflake): number {
    if (this.selfDeafened || this.localMutes.has(userId)) return 0;
    return this.volumes.get(userId) ?? 1;
  }

  private applyGains(): void {
    for (const link of this.links.values()) link.setGain(this.gainFor(link.participant.userId));
  }

  private capBitrate(link: PeerLink): void {
    for (const sender of link.senders()) capSenderBitrate(sender, this.bitrate).catch((error: unknown) => this.options.onError?.(error));
  }

  /** Speaking of everyone, from what WebRTC says is sent and received. */
  private async pollLevels(): Promise<void> {
    if (this.polling || this.destroyed) return;
    this.polling = true;
    try {
      const now = Date.now();
      let selfLevel: number | undefined;
      const links = [...this.links.values()];
      const levels = await Promise.all(links.map((link) => link.levels()));
      links.forEach((link, index) => {
        const inbound = levels[index]?.inbound;
        // A link closed while its stats were read no longer speaks.
        if (inbound !== undefined && !link.closed && link.speaking.update(inbound, now)) {
          this.emit('speaking', { userId: link.participant.userId, speaking: link.speaking.speaking });
        }
        selfLevel ??= levels[index]?.outbound;
      });
      this.updateSelfSpeaking(selfLevel, now);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.polling = false;
    }
  }

  /** Speaking while transmitting and (when measurable) loud enough; never while the track is off. */
  private updateSelfSpeaking(level: number | undefined, now: number): void {
    const changed = this.transmitting ? this.selfSpeaking.update(level ?? 1, now) : this.selfSpeaking.reset();
    if (changed && !this.destroyed) this.emit('speaking', { userId: this.options.selfUserId, speaking: this.selfSpeaking.speaking });
  }
}
