import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StateMirror } from '../../../client/state/mirror.js';
import { FakeBridge, member, readyState, user } from '../../test-support/harness.js';
import type { PeerEvents, PeerLike, PeerOptions, PeerSignal } from './peer.js';
import { VOICE_ID, voiceChannel, voiceState } from './test-support.js';
import { VoiceController } from './voice-controller.js';

const BOB = user('2', 'Bob');

/** A peer that never connects (as after a lost gateway connection or a failed ICE check). */
class StalledPeer implements PeerLike {
  destroyed = false;
  readonly connected = false;
  readonly _pc = { iceConnectionState: 'checking', getStats: async () => ({ forEach: () => undefined }), getSenders: () => [] };
  constructor(readonly options: PeerOptions) {}
  signal(_signal: PeerSignal): void {}
  destroy(): void {
    this.destroyed = true;
  }
  on<E extends keyof PeerEvents>(_event: E, _listener: PeerEvents[E]): this {
    return this;
  }
}

/** jsdom has no MediaStream; the controller only needs an empty one (listening without a microphone). */
class EmptyMediaStream {
  getAudioTracks(): MediaStreamTrack[] {
    return [];
  }
  getTracks(): MediaStreamTrack[] {
    return [];
  }
}

let controller: VoiceController | undefined;

beforeEach(() => {
  vi.stubGlobal('MediaStream', EmptyMediaStream);
});

afterEach(() => {
  controller?.stop();
  controller = undefined;
  vi.unstubAllGlobals();
});

function connectedController(loadPeer?: () => Promise<void>) {
  const fake = new FakeBridge(readyState({ channels: [voiceChannel()], members: [member(BOB)] }));
  const peers: StalledPeer[] = [];
  controller = new VoiceController({ bridge: fake.bridge, store: new StateMirror(fake.bridge) }, {
    media: { getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')), enumerateDevices: () => Promise.resolve([]) } as unknown as MediaDevices,
    createAudioContext: () => ({ resume: () => Promise.resolve(), close: () => Promise.resolve() }) as unknown as AudioContext,
    createPeer: (options) => {
      const peer = new StalledPeer(options);
      peers.push(peer);
      return peer;
    },
    loadPeer,
  });
  controller.start();
  // The server confirms this session ('s') in the channel, with Bob ('t') already there.
  fake.push({ type: 'self-voice', voice: { guildId: '100', channelId: VOICE_ID, selfMute: false, selfDeaf: false } });
  fake.push({ type: 'dispatch', t: 'VOICE_STATE_UPDATE', d: voiceState(BOB.id, 't'), receivedAt: Date.now() });
  fake.push({ type: 'dispatch', t: 'VOICE_STATE_UPDATE', d: voiceState('1', 's'), receivedAt: Date.now() });
  return { fake, peers, controller };
}

describe('VoiceController', () => {
  it('opens the mesh once the server confirms this session in the channel, listening only when the microphone is denied', async () => {
    const { peers, controller: voice } = connectedController();
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    // Session 's' sorts below 't', so this side offers.
    expect(peers[0]?.options.initiator).toBe(true);
    // Opus is offered at the channel's bitrate (64 kbps).
    const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10', ''].join('\r\n');
    expect(peers[0]?.options.sdpTransform?.(sdp)).toContain('maxaveragebitrate=64000');
    expect(voice.view.getState()).toMatchObject({ phase: 'connected' });
    expect(voice.view.getState().notice).toMatch(/Microphone access was denied/);
  });

  it('rebuilds links that are not connected after a gateway resume', async () => {
    const { fake, peers } = connectedController();
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    fake.push({ type: 'dispatch', t: 'RESUMED', d: null, receivedAt: Date.now() });
    expect(peers).toHaveLength(2);
    expect(peers[0]?.destroyed).toBe(true);
    expect(peers[1]?.destroyed).toBe(false);
  });

  it('closes the mesh when the user leaves voice', async () => {
    const { fake, peers, controller: voice } = connectedController();
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    fake.push({ type: 'dispatch', t: 'VOICE_STATE_UPDATE', d: voiceState('1', 's', { channel_id: null }), receivedAt: Date.now() });
    fake.push({ type: 'self-voice', voice: { guildId: null, channelId: null, selfMute: false, selfDeaf: false } });
    expect(peers[0]?.destroyed).toBe(true);
    expect(voice.view.getState().phase).toBe('idle');
  });

  it('waits for the peer library to load before opening the mesh', async () => {
    let finishLoading: (() => void) | undefined;
    const loaded = new Promise<void>((resolve) => {
      finishLoading = resolve;
    });
    const { peers, controller: voice } = connectedController(() => loaded);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(peers).toHaveLength(0);
    expect(voice.view.getState().phase).not.toBe('connected');
    finishLoading?.();
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    expect(voice.view.getState().phase).toBe('connected');
  });

  it('tells the user when the peer library cannot be loaded, and tries again on the next change', async () => {
    let attempts = 0;
    const { fake, peers, controller: voice } = connectedController(() => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('Failed to fetch dynamically imported module')) : Promise.resolve();
    });
    await vi.waitFor(() => expect(voice.view.getState().notice).toMatch(/Voice could not be started \(Failed to fetch dynamically imported module\)/));
    expect(peers).toHaveLength(0);
    fake.push({ type: 'dispatch', t: 'VOICE_STATE_UPDATE', d: voiceState(BOB.id, 't', { self_mute: true }), receivedAt: Date.now() });
    await vi.waitFor(() => expect(peers).toHaveLength(1));
    expect(attempts).toBe(2);
  });
});
