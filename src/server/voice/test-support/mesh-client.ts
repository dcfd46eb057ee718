/**
 * A voice participant for Node integration tests: a real gateway connection, a VoiceMesh with
 * simple-peer on `@roamhq/wrtc`, a PCM tone source (`RTCAudioSource`) as the microphone, and an
 * output that records what it would play (`RTCAudioSink` per remote stream, scaled by the gain
 * the mesh sets), so tests can measure the audio energy arriving from each user.
 */
import wrtc from '@roamhq/wrtc';
import SimplePeer from 'simple-peer';
import type { VoiceState } from '../../../shared/protocol/entities.js';
import type { GatewayPayload, HearthReadyExtension, VoiceSignalData } from '../../../shared/protocol/gateway.js';
import type { AudioOutput, RemoteAudio } from '../../../renderer/features/voice/audio-output.js';
import type { MediaStreamLike } from '../../../renderer/features/voice/media-types.js';
import type { PeerFactory, PeerLike } from '../../../renderer/features/voice/peer.js';
import { VoiceMesh } from '../../../renderer/features/voice/voice-mesh.js';
import type { TestUser } from '../../test-support/api.js';
import { GatewayTestClient } from '../../test-support/gateway-client.js';
import { joinVoice } from './voice-world.js';

const { RTCAudioSource, RTCAudioSink } = wrtc.nonstandard;

/** 10 ms of 48 kHz mono PCM. */
const FRAME = 480;
const SAMPLE_RATE = 48_000;

/** simple-peer on wrtc, typed as the mesh's peer surface. */
export const createNodePeer: PeerFactory = (options) => new SimplePeer({ ...options, wrtc } as unknown as SimplePeer.Options) as unknown as PeerLike;

/** Plays nothing; sums |sample| × gain per user, as the speakers would receive it. */
export class RecordingOutput implements AudioOutput {
  private readonly energy = new Map<string, { sum: number; samples: number }>();
  readonly gains = new Map<string, number>();
  private readonly sinks = new Set<{ stop(): void }>();

  attach(userId: string, stream: MediaStreamLike): RemoteAudio {
    const track = stream.getAudioTracks()[0];
    let gain = 1;
    this.gains.set(userId, gain);
    const sink = new RTCAudioSink(track as never);
    sink.ondata = (data: { samples: Int16Array }) => {
      const entry = this.energy.get(userId) ?? { sum: 0, samples: 0 };
      for (const sample of data.samples) entry.sum += Math.abs(sample) * gain;
      entry.samples += data.samples.length;
      this.energy.set(userId, entry);
    };
    this.sinks.add(sink);
    return {
      setGain: (value) => {
        gain = value;
        this.gains.set(userId, value);
      },
      detach: () => {
        sink.stop();
        this.sinks.delete(sink);
      },
    };
  }

  /** Mean |sample| played from `userId` since the last reset (0 when nothing arrived). */
  level(userId: string): number {
    const entry = this.energy.get(userId);
    return entry && entry.samples > 0 ? entry.sum / entry.samples : 0;
  }

  reset(): void {
    this.energy.clear();
  }

  stop(): void {
    for (const sink of this.sinks) sink.stop();
    this.sinks.clear();
  }
}

/** One user in voice: gateway, mesh, tone source, recording output. */
export class MeshClient {
  readonly output = new RecordingOutput();
  readonly speaking = new Map<string, boolean>();
  /** Every peer the mesh created, in order (tests break one to see it rebuilt). */
  readonly peers: PeerLike[] = [];
  mesh: VoiceMesh | undefined;
  private readonly source = new RTCAudioSource();
  private readonly track = this.source.createTrack();
  private readonly stream = new wrtc.MediaStream([this.track]);
  private readonly participants = new Map<string, { sessionId: string; userId: string; channelId: string }>();
  private tone: ReturnType<typeof setInterval> | undefined;
  private channelId: string | undefined;

  private constructor(
    readonly user: TestUser,
    readonly gateway: GatewayTestClient,
    private readonly hearth: HearthReadyExtension,
    initialStates: VoiceState[],
  ) {
    for (const state of initialStates) {
      if (state.channel_id) this.participants.set(state.user_id, { sessionId: state.session_id, userId: state.user_id, channelId: state.channel_id });
    }
    gateway.ws.on('message', (data: Buffer) => this.onPayload(JSON.parse(data.toString()) as GatewayPayload));
  }

  static async connect(url: string, user: TestUser, guildId: string): Promise<MeshClient> {
    const { client, ready } = await GatewayTestClient.identified(url, user.token);
    const guild = ready.guilds.find((g) => g.id === guildId);
    return new MeshClient(user, client, ready.hearth, guild && !guild.unavailable ? guild.voice_states : []);
  }

  get sessionId(): string {
    return this.gateway.sessionId as string;
  }

  /** Joins the channel (op 4) and starts the mesh; the input mode starts not transmitting. */
  async join(guildId: string, channelId: string, bitrate = 64_000): Promise<void> {
    this.channelId = channelId;
    await joinVoice(this.gateway, guildId, channelId);
    this.mesh = new VoiceMesh({
      selfSessionId: this.sessionId,
      selfUserId: this.user.id,
      localStream: this.stream as unknown as MediaStreamLike,
      createPeer: (options) => {
        const peer = createNodePeer(options);
        this.peers.push(peer);
        return peer;
      },
      sendSignal: (sessionId, signal) => this.gateway.send({ op: 40, d: { session_id: sessionId, signal } }),
      iceServers: this.hearth.ice_servers,
      bitrate,
      output: this.output,
      levelPollMs: 50,
      rebuildDelayMs: 200,
    });
    this.mesh.on('speaking', ({ userId, speaking }) => this.speaking.set(userId, speaking));
    this.syncParticipants();
  }

  /** Leaves voice (op 4 null) and tears the mesh down. */
  leave(guildId: string): void {
    this.gateway.send({ op: 4, d: { guild_id: guildId, channel_id: null, self_mute: false, self_deaf: false } });
    this.mesh?.destroy();
    this.mesh = undefined;
    this.channelId = undefined;
  }

  /** Pushes a 440 Hz tone (amplitude 8000) every 10 ms, as a microphone would deliver audio. */
  startTone(): void {
    const samples = new Int16Array(FRAME);
    let phase = 0;
    this.tone ??= setInterval(() => {
      for (let i = 0; i < FRAME; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / SAMPLE_RATE));
      this.source.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
    }, 10);
  }

  stopTone(): void {
    clearInterval(this.tone);
    this.tone = undefined;
  }

  async close(): Promise<void> {
    this.stopTone();
    this.mesh?.destroy();
    this.output.stop();
    this.track.stop();
    await this.gateway.close();
  }

  private onPayload(payload: GatewayPayload): void {
    if (payload.op !== 0) return;
    if (payload.t === 'VOICE_STATE_UPDATE') {
      const state = payload.d as VoiceState;
      if (state.channel_id) this.participants.set(state.user_id, { sessionId: state.session_id, userId: state.user_id, channelId: state.channel_id });
      else this.participants.delete(state.user_id);
      this.syncParticipants();
    } else if (payload.t === 'HEARTH_VOICE_SIGNAL') {
      const signal = payload.d as VoiceSignalData;
      this.mesh?.handleSignal(signal.from_session_id, signal.from_user_id, signal.signal);
    }
  }

  private syncParticipants(): void {
    if (!this.mesh || !this.channelId) return;
    const inChannel = [...this.participants.values()].filter((p) => p.channelId === this.channelId && p.userId !== this.user.id);
    this.mesh.setParticipants(inChannel.map(({ sessionId, userId }) => ({ sessionId, userId })));
  }
}
