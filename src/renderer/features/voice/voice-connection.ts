/**
 * One voice connection in the browser: the microphone stream, the WebAudio output, the level
 * meter feeding the input mode (voice activity or push-to-talk), and the transport (VoiceMesh)
 * to the other participants. The voice controller creates one per joined channel and feeds it
 * what the client state and settings say; destroying it releases the microphone and audio.
 */
import type { ClientSettings } from '../../../shared/ipc/settings.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import type { IceServer } from '../../../shared/protocol/gateway.js';
import { LevelMeter } from './level-meter.js';
import { applyProcessingSettings } from './microphone.js';
import type { PeerFactory } from './peer.js';
import { PushToTalkGate } from './push-to-talk.js';
import { SpeakingDetector } from './speaking.js';
import type { SignalEnvelope } from './signal-batcher.js';
import { VoiceActivityGate } from './voice-activity.js';
import { VoiceMesh } from './voice-mesh.js';
import type { VoiceParticipant, VoiceTransport, VoiceTransportEvents } from './voice-transport.js';
import { WebAudioOutput } from './web-audio-output.js';

type VoiceSettings = ClientSettings['voice'];

export interface VoiceConnectionOptions {
  channelId: Snowflake;
  selfSessionId: string;
  selfUserId: Snowflake;
  /** The opened microphone (no audio track: listen only). Stopped when the connection ends. */
  stream: MediaStream;
  context: AudioContext;
  createPeer: PeerFactory;
  sendSignal: (sessionId: string, envelope: SignalEnvelope) => void;
  iceServers: IceServer[];
  bitrate: number | undefined;
  settings: VoiceSettings;
  /** Others heard speaking (from the mesh's WebRTC levels). */
  onSpeaking: (event: VoiceTransportEvents['speaking']) => void;
  /**
   * This client speaking: transmitting and the microphone above the speaking level. Measured on
   * the microphone, because Chromium reports no `media-source` level with all processing off.
   */
  onSelfSpeaking: (speaking: boolean) => void;
  onError: (error: unknown) => void;
}

/** Flags from the client state that decide whether this client may send or hear. */
export interface VoiceFlags {
  selfMute: boolean;
  /** Self deafen or server deafen: play nothing (and send nothing). */
  deafened: boolean;
  /** Server mute or no SPEAK permission (`suppress`). */
  serverMuted: boolean;
}

export class VoiceConnection {
  readonly channelId: Snowflake;
  readonly selfSessionId: string;
  /** The input device the microphone was opened with (a change reopens the connection). */
  readonly inputDeviceId: string | null;
  readonly transport: VoiceTransport;
  private readonly output: WebAudioOutput;
  private readonly meter: LevelMeter | null;
  /** What the meter listens to: a clone, because the sent track is disabled (silent) while not transmitting. */
  private readonly meterStream: MediaStream;
  private readonly voiceActivity: VoiceActivityGate;
  private readonly pushToTalk: PushToTalkGate;
  private readonly selfSpeaking = new SpeakingDetector();
  private readonly levelListeners = new Set<(db: number, thresholdDb: number) => void>();
  private settings: VoiceSettings;
  private flags: VoiceFlags | null = null;
  private bitrate: number | undefined;
  private destroyed = false;

  constructor(private readonly options: VoiceConnectionOptions) {
    this.channelId = options.channelId;
    this.selfSessionId = options.selfSessionId;
    this.inputDeviceId = options.settings.inputDeviceId;
    this.settings = options.settings;
    this.output = new WebAudioOutput(options.context);
    const mesh = new VoiceMesh({
      selfSessionId: options.selfSessionId,
      selfUserId: options.selfUserId,
      localStream: options.stream,
      createPeer: options.createPeer,
      sendSignal: options.sendSignal,
      iceServers: options.iceServers,
      ...(options.bitrate === undefined ? {} : { bitrate: options.bitrate }),
      output: this.output,
      onError: options.onError,
    });
    mesh.on('speaking', (event) => {
      if (event.userId !== options.selfUserId) options.onSpeaking(event);
    });
    this.transport = mesh;
    this.voiceActivity = new VoiceActivityGate(() => this.applyTransmitting(), options.settings.voiceActivityThresholdDb);
    this.pushToTalk = new PushToTalkGate(() => this.applyTransmitting(), options.settings.pushToTalkReleaseDelayMs);
    this.meterStream = new MediaStream(options.stream.getAudioTracks().map((track) => {
      const clone = track.clone();
      // A clone copies `enabled`, and the mesh has just disabled the sent track.
      clone.enabled = true;
      return clone;
    }));
    this.meter = this.meterStream.getAudioTracks().length > 0 ? new LevelMeter(options.context, this.meterStream, (db, now) => this.onLevel(db, now)) : null;
    this.configure(options.settings, true);
  }

  /** Whether a microphone is open (false: listening only). */
  get hasMicrophone(): boolean {
    return this.meter !== null;
  }

  setParticipants(participants: readonly VoiceParticipant[]): void {
    this.transport.setParticipants(participants);
  }

  setFlags(flags: VoiceFlags): void {
    const before = this.flags;
    if (before && before.selfMute === flags.selfMute && before.deafened === flags.deafened && before.serverMuted === flags.serverMuted) return;
    this.flags = flags;
    this.transport.setSelfMuted(flags.selfMute);
    this.transport.setSelfDeafened(flags.deafened);
    this.transport.setServerMuted(flags.serverMuted);
  }

  setBitrate(bitrate: number | undefined): void {
    if (bitrate === undefined || bitrate === this.bitrate) return;
    this.bitrate = bitrate;
    this.transport.setBitrate(bitrate);
  }

  /**
   * The push-to-talk key or button went down or up. `withReleaseDelay`: the focused window's keys
   * (the delay is applied here); the desktop host's events come with the delay already applied.
   */
  setPushToTalk(pressed: boolean, withReleaseDelay: boolean): void {
    if (pressed) this.pushToTalk.press();
    else if (withReleaseDelay) this.pushToTalk.release();
    else this.pushToTalk.releaseNow();
  }

  /** New settings: input mode, thresholds, per-user volume and mute, output device, processing. */
  applySettings(settings: VoiceSettings): void {
    if (settings !== this.settings) this.configure(settings, false);
  }

  private configure(settings: VoiceSettings, initial: boolean): void {
    const previous = this.settings;
    this.settings = settings;
    this.voiceActivity.setThreshold(settings.voiceActivityThresholdDb);
    this.pushToTalk.setReleaseDelay(settings.pushToTalkReleaseDelayMs);
    if (settings.inputMode !== 'voice-activity') this.voiceActivity.reset();
    if (settings.inputMode !== 'push-to-talk') this.pushToTalk.releaseNow();
    for (const userId of new Set([...Object.keys(previous.userVolumes), ...Object.keys(settings.userVolumes)])) {
      this.transport.setUserVolume(userId, settings.userVolumes[userId] ?? 100);
    }
    const muted = new Set(settings.mutedUsers);
    for (const userId of new Set([...previous.mutedUsers, ...settings.mutedUsers])) this.transport.setUserMuted(userId, muted.has(userId));
    if (initial || previous.outputDeviceId !== settings.outputDeviceId) {
      this.output.setOutputDevice(settings.outputDeviceId).catch((error: unknown) => this.options.onError(error));
    }
    const processingChanged = previous.echoCancellation !== settings.echoCancellation
      || previous.noiseSuppression !== settings.noiseSuppression
      || previous.automaticGainControl !== settings.automaticGainControl;
    if (!processingChanged) return this.applyTransmitting();
    for (const track of [...this.options.stream.getAudioTracks(), ...this.meterStream.getAudioTracks()]) {
      applyProcessingSettings(track, settings).catch((error: unknown) => this.options.onError(error));
    }
    this.applyTransmitting();
  }

  /** Listens to the microphone level (dBFS) and the voice activity threshold in force. */
  onInputLevel(listener: (db: number, thresholdDb: number) => void): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
  }

  /** Browsers start audio suspended until a user gesture; joining is one. */
  resumeAudio(): Promise<void> {
    return this.output.resume();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pushToTalk.releaseNow();
    if (this.selfSpeaking.reset()) this.options.onSelfSpeaking(false);
    this.meter?.stop();
    this.transport.destroy();
    for (const track of [...this.options.stream.getTracks(), ...this.meterStream.getTracks()]) track.stop();
    this.levelListeners.clear();
    this.options.context.close().catch(() => undefined);
  }

  private onLevel(db: number, now: number): void {
    if (this.settings.inputMode === 'voice-activity') this.voiceActivity.feed(db, now);
    const changed = this.transport.transmitting ? this.selfSpeaking.update(10 ** (db / 20), now) : this.selfSpeaking.reset();
    if (changed) this.options.onSelfSpeaking(this.selfSpeaking.speaking);
    const threshold = this.voiceActivity.currentThresholdDb();
    for (const listener of this.levelListeners) listener(db, threshold);
  }

  private applyTransmitting(): void {
    if (this.destroyed) return;
    const gate = this.settings.inputMode === 'push-to-talk' ? this.pushToTalk : this.voiceActivity;
    this.transport.setTransmitting(gate.transmitting);
  }
}
