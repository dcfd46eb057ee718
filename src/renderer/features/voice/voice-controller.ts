/**
 * The voice controller: follows the client state and runs the media to match. When the server
 * confirms this session in a voice channel it opens a {@link VoiceConnection} (microphone, mesh,
 * output); it feeds it participants, mute/deafen flags, settings, signals and push-to-talk, and
 * closes it when the user leaves, moves or the session changes. It also keeps the
 * {@link VoiceStore}: who is heard speaking (locally and as announced by the server), the ping,
 * and refusals worth telling the user about.
 */
import type { HearthBridge, HostEvent } from '../../../shared/ipc/bridge.js';
import type { ClientAction, ClientState } from '../../../shared/ipc/state.js';
import type { Channel } from '../../../shared/protocol/entities.js';
import type { VoiceErrorData } from '../../../shared/protocol/gateway.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import type { StateMirror } from '../../../client/state/mirror.js';
import { LevelMeter } from './level-meter.js';
import { openMicrophone } from './microphone.js';
import type { PeerFactory } from './peer.js';
import { VoiceActivityGate } from './voice-activity.js';
import { VoiceConnection } from './voice-connection.js';
import { VoiceStore, withSpeaking } from './voice-store.js';

/** What the browser provides (injected, so tests can run without media devices). */
export interface VoiceEnvironment {
  media: MediaDevices | undefined;
  createAudioContext: () => AudioContext;
  createPeer: PeerFactory;
  /**
   * Makes `createPeer` ready before the first connection (the renderer loads the WebRTC peer
   * library on demand, not at start-up); absent when `createPeer` is ready at once.
   */
  loadPeer?: () => Promise<void>;
  /** How often the ping is read from WebRTC stats while connected (default 2 s). */
  pingIntervalMs?: number;
}

/** Why a join was refused, in words for the user (server messages are terse). */
export function voiceRefusalText(error: Pick<VoiceErrorData, 'code' | 'message'>): string {
  switch (error.code) {
    case 50104:
      return 'This voice channel is full.';
    case 50105:
      return 'This voice channel has reached the server’s participant limit.';
    case 50013:
      return 'You do not have permission to join this voice channel.';
    default:
      return `Could not join voice: ${error.message}`;
  }
}

function describeMediaError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return 'Microphone access was denied. You can listen, but others cannot hear you.';
  if (name === 'NotFoundError') return 'No microphone was found. You can listen, but others cannot hear you.';
  return `The microphone could not be opened (${error instanceof Error ? error.message : String(error)}). You can listen, but others cannot hear you.`;
}

export class VoiceController {
  readonly view = new VoiceStore();
  private connection: VoiceConnection | null = null;
  /** A microphone opened by the click that joins (a user gesture), used by the next connection. */
  private pending: { stream: MediaStream; context: AudioContext } | null = null;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribers: (() => void)[] = [];
  private pushToTalkPressed = false;
  private connecting = false;

  constructor(
    private readonly services: { bridge: HearthBridge; store: StateMirror },
    private readonly env: VoiceEnvironment,
  ) {}

  /** Starts following the client state; returns a function that stops and disconnects. */
  start(): () => void {
    const { store } = this.services;
    this.unsubscribers.push(
      store.subscribe(() => this.sync()),
      store.onAction((action) => this.onAction(action)),
      store.onHostEvent((event) => this.onHostEvent(event)),
    );
    this.sync();
    return () => this.stop();
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.disconnect();
    this.releasePending();
  }

  /** The open connection (diagnostics and the settings' level meter). */
  get current(): VoiceConnection | null {
    return this.connection;
  }

  /**
   * Runs on the click that joins: opens the microphone while the gesture lets the browser start
   * audio. A microphone problem does not stop the join (the user can listen); it is shown.
   */
  async beforeJoin(_channel: Channel): Promise<boolean> {
    this.view.update((s) => ({ ...s, notice: null }));
    if (this.pending || this.connection) return true;
    const context = this.env.createAudioContext();
    context.resume().catch(() => undefined);
    this.pending = { stream: await this.openInput(), context };
    return true;
  }

  /**
   * Push-to-talk pressed or released: from the focused window in the web client (the release
   * delay applies here) or from the desktop host (which applied it already).
   */
  setPushToTalk(pressed: boolean, withReleaseDelay = true): void {
    this.pushToTalkPressed = pressed;
    this.connection?.setPushToTalk(pressed, withReleaseDelay);
  }

  /** Audio inputs and outputs for the settings (labels are empty until microphone access is granted). */
  async listDevices(): Promise<{ inputs: MediaDeviceInfo[]; outputs: MediaDeviceInfo[] }> {
    const devices = this.env.media ? await this.env.media.enumerateDevices() : [];
    return { inputs: devices.filter((d) => d.kind === 'audioinput'), outputs: devices.filter((d) => d.kind === 'audiooutput') };
  }

  /**
   * The microphone level (dBFS) and the voice activity threshold in force, for the settings'
   * live meter: from the open connection, else from a test microphone opened until stopped.
   */
  monitorInput(listener: (db: number, thresholdDb: number) => void): () => void {
    if (this.connection) return this.connection.onInputLevel(listener);
    const media = this.env.media;
    if (!media) return () => undefined;
    let stop: (() => void) | null = null;
    let stopped = false;
    const settings = () => this.services.store.getState().settings.voice;
    openMicrophone(media, settings()).then((stream) => {
      if (stopped) return stream.getTracks().forEach((track) => track.stop());
      const context = this.env.createAudioContext();
      const gate = new VoiceActivityGate(() => undefined, settings().voiceActivityThresholdDb);
      const meter = new LevelMeter(context, stream, (db, now) => {
        gate.setThreshold(settings().voiceActivityThresholdDb);
        gate.feed(db, now);
        listener(db, gate.currentThresholdDb());
      });
      stop = () => {
        meter.stop();
        stream.getTracks().forEach((track) => track.stop());
        context.close().catch(() => undefined);
      };
    }, (error: unknown) => this.showNotice(describeMediaError(error)));
    return () => {
      stopped = true;
      stop?.();
    };
  }

  dismissNotice(): void {
    this.view.update((s) => (s.notice === null ? s : { ...s, notice: null }));
  }

  private async openInput(): Promise<MediaStream> {
    const settings = this.services.store.getState().settings.voice;
    if (!this.env.media) {
      this.showNotice('This browser gives Hearth no microphone. You can listen, but others cannot hear you.');
      return new MediaStream();
    }
    try {
      return await openMicrophone(this.env.media, settings);
    } catch (error) {
      this.showNotice(describeMediaError(error));
      return new MediaStream();
    }
  }

  private showNotice(notice: string): void {
    this.view.update((s) => ({ ...s, notice }));
  }

  /** Brings the connection in line with the state: open, update, or close it. */
  private sync(): void {
    const state = this.services.store.getState();
    const own = ownVoiceState(state);
    if (!own) {
      if (this.connection) this.disconnect();
      if (!state.selfVoice.channelId) this.releasePending();
      this.view.update((s) => (s.phase === (state.selfVoice.channelId ? 'connecting' : 'idle') ? s : { ...s, phase: state.selfVoice.channelId ? 'connecting' : 'idle' }));
      return;
    }
    const current = this.connection;
    // Another channel, a new gateway session or another microphone: start over.
    if (current && (current.channelId !== own.channelId || current.selfSessionId !== state.sessionId || current.inputDeviceId !== state.settings.voice.inputDeviceId)) {
      this.disconnect();
    }
    if (!this.connection) {
      void this.connect(own.guildId, own.channelId);
      return;
    }
    this.update(this.connection, state, own.guildId);
  }

  private async connect(guildId: Snowflake, channelId: Snowflake): Promise<void> {
    if (this.connecting) return;
    this.connecting = true;
    try {
      const input = this.pending ?? { context: this.env.createAudioContext(), stream: await this.openInput() };
      this.pending = null;
      if (!(await this.peerLoaded())) {
        // Kept for the next attempt: any state change (or joining again) tries once more.
        this.pending = input;
        return;
      }
      const state = this.services.store.getState();
      const own = ownVoiceState(state);
      if (!own || own.channelId !== channelId || !state.user || !state.sessionId || this.connection) {
        this.pending = input;
        return;
      }
      this.connection = this.createConnection(state, channelId, input);
      void this.connection.resumeAudio().catch(() => undefined);
      this.view.update((s) => ({ ...s, phase: 'connected', pingMs: null }));
      this.startPing();
      this.update(this.connection, state, guildId);
    } finally {
      this.connecting = false;
    }
    // The state may have moved on while the microphone opened.
    this.sync();
  }

  /** Whether the peer library is ready (loaded now if needed); a failure is shown as a notice. */
  private async peerLoaded(): Promise<boolean> {
    try {
      await this.env.loadPeer?.();
      return true;
    } catch (error) {
      this.showNotice(`Voice could not be started (${error instanceof Error ? error.message : String(error)}). Check your connection and join again.`);
      return false;
    }
  }

  private createConnection(state: ClientState, channelId: Snowflake, input: { stream: MediaStream; context: AudioContext }): VoiceConnection {
    const { bridge } = this.services;
    const selfUserId = (state.user as NonNullable<ClientState['user']>).id;
    const connection = new VoiceConnection({
      channelId,
      selfSessionId: state.sessionId as string,
      selfUserId,
      stream: input.stream,
      context: input.context,
      createPeer: this.env.createPeer,
      sendSignal: (sessionId, envelope) => void bridge.sendVoiceSignal(sessionId, envelope),
      iceServers: state.iceServers,
      bitrate: state.channels[channelId]?.bitrate,
      settings: state.settings.voice,
      onSpeaking: ({ userId, speaking }) => this.onHeardSpeaking(userId, speaking),
      onSelfSpeaking: (speaking) => {
        this.onHeardSpeaking(selfUserId, speaking);
        void bridge.setVoiceSpeaking(speaking);
      },
      onError: () => undefined,
    });
    if (this.pushToTalkPressed) connection.setPushToTalk(true, false);
    return connection;
  }

  private update(connection: VoiceConnection, state: ClientState, guildId: Snowflake): void {
    const states = Object.values(state.voiceStates[guildId] ?? {});
    connection.setParticipants(
      states.filter((v) => v.channel_id === connection.channelId && v.session_id !== state.sessionId).map((v) => ({ sessionId: v.session_id, userId: v.user_id })),
    );
    const own = states.find((v) => v.session_id === state.sessionId);
    connection.setFlags({
      selfMute: state.selfVoice.selfMute,
      deafened: state.selfVoice.selfDeaf || (own?.deaf ?? false),
      serverMuted: (own?.mute ?? false) || (own?.suppress ?? false),
    });
    connection.setBitrate(state.channels[connection.channelId]?.bitrate);
    connection.applySettings(state.settings.voice);
  }

  private disconnect(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.connection?.destroy();
    this.connection = null;
    this.view.update((s) => ({ ...s, phase: 'idle', pingMs: null, heard: {} }));
  }

  private releasePending(): void {
    if (!this.pending) return;
    for (const track of this.pending.stream.getTracks()) track.stop();
    this.pending.context.close().catch(() => undefined);
    this.pending = null;
  }

  private startPing(): void {
    clearInterval(this.pingTimer);
    const read = () => {
      const connection = this.connection;
      connection?.transport.pingMs().then((pingMs) => {
        if (this.connection === connection) this.view.update((s) => (s.pingMs === pingMs ? s : { ...s, pingMs }));
      }, () => undefined);
    };
    this.pingTimer = setInterval(read, this.env.pingIntervalMs ?? 2_000);
  }

  /** Someone (or this client) is heard starting or stopping. */
  private onHeardSpeaking(userId: Snowflake, speaking: boolean): void {
    this.view.update((s) => {
      const heard = withSpeaking(s.heard, userId, speaking);
      return heard === s.heard ? s : { ...s, heard };
    });
  }

  private onAction(action: ClientAction): void {
    if (action.type !== 'dispatch') return;
    switch (action.t) {
      case 'HEARTH_VOICE_SIGNAL':
        this.connection?.transport.handleSignal(action.d.from_session_id, action.d.from_user_id, action.d.signal);
        return;
      case 'HEARTH_VOICE_SPEAKING':
        this.setAnnounced(action.d.user_id, action.d.speaking);
        return;
      case 'VOICE_STATE_UPDATE':
        // A move or leave ends speaking; the next op 41 from that user starts it again.
        this.setAnnounced(action.d.user_id, false);
        return;
      case 'HEARTH_VOICE_ERROR':
        if (action.d.op === 4) this.showNotice(voiceRefusalText(action.d));
        return;
      case 'RESUMED':
        this.connection?.transport.reconnect();
        return;
      default:
        return;
    }
  }

  private setAnnounced(userId: Snowflake, speaking: boolean): void {
    this.view.update((s) => {
      const announced = withSpeaking(s.announced, userId, speaking);
      return announced === s.announced ? s : { ...s, announced };
    });
  }

  private onHostEvent(event: HostEvent): void {
    if (event.type === 'push-to-talk') this.setPushToTalk(event.pressed, false);
  }
}

/** This session's confirmed voice state (the server's VOICE_STATE_UPDATE), if in a channel. */
function ownVoiceState(state: ClientState): { guildId: Snowflake; channelId: Snowflake } | null {
  const { guildId, channelId } = state.selfVoice;
  if (!guildId || !channelId || !state.sessionId || !state.user) return null;
  const own = state.voiceStates[guildId]?.[state.user.id];
  if (!own || own.session_id !== state.sessionId || own.channel_id !== channelId) return null;
  return { guildId, channelId };
}
