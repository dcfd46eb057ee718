import { afterEach, describe, expect, it } from 'vitest';
import type { MediaStreamLike, PeerConnectionLike } from './media-types.js';
import type { PeerEvents, PeerLike, PeerOptions, PeerSignal } from './peer.js';
import type { SignalEnvelope } from './signal-batcher.js';
import { VoiceMesh } from './voice-mesh.js';

/** A peer that records what it is given and emits what the test says. */
class FakePeer implements PeerLike {
  readonly received: PeerSignal[] = [];
  destroyed = false;
  connected = false;
  readonly _pc: PeerConnectionLike = {
    iceConnectionState: 'new',
    getStats: async () => ({ forEach: () => undefined }),
    getSenders: () => [],
  };
  private readonly listeners = new Map<string, ((...args: never[]) => void)[]>();

  constructor(readonly options: PeerOptions) {}

  signal(signal: PeerSignal): void {
    this.received.push(signal);
  }

  destroy(): void {
    this.destroyed = true;
  }

  on<E extends keyof PeerEvents>(event: E, listener: PeerEvents[E]): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (...args: never[]) => void]);
    return this;
  }

  emit<E extends keyof PeerEvents>(event: E, ...args: Parameters<PeerEvents[E]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: Parameters<PeerEvents[E]>) => void)(...args);
  }
}

const track = { id: 't', kind: 'audio', enabled: true, stop: () => undefined };
const stream: MediaStreamLike = { id: 's', getAudioTracks: () => [track], getTracks: () => [track] };
const meshes: VoiceMesh[] = [];

function mesh(selfSessionId: string) {
  const peers: FakePeer[] = [];
  const sent: { to: string; envelope: SignalEnvelope }[] = [];
  const voice = new VoiceMesh({
    selfSessionId,
    selfUserId: 'u-self',
    localStream: stream,
    createPeer: (options) => {
      const peer = new FakePeer(options);
      peers.push(peer);
      return peer;
    },
    sendSignal: (to, envelope) => sent.push({ to, envelope }),
  });
  meshes.push(voice);
  return { voice, peers, sent };
}

afterEach(() => {
  for (const voice of meshes.splice(0)) voice.destroy();
});

describe('VoiceMesh', () => {
  it('initiates only towards sessions with a higher ID, so a pair never has two offers', () => {
    const { voice, peers } = mesh('m');
    voice.setParticipants([{ sessionId: 'z', userId: 'u1' }, { sessionId: 'a', userId: 'u2' }, { sessionId: 'm', userId: 'u-self' }]);
    expect(peers.map((peer) => peer.options.initiator)).toEqual([true]);
    expect(voice.peerSessions()).toEqual(['z']);
  });

  it('answers the connection the initiator names, and replaces it when a new one is offered', () => {
    const { voice, peers } = mesh('m');
    voice.setParticipants([{ sessionId: 'a', userId: 'u2' }]);
    voice.handleSignal('a', 'u2', { peer: 'c1', signals: [{ type: 'offer', sdp: '1' }] });
    expect(peers).toHaveLength(1);
    expect(peers[0]?.options.initiator).toBe(false);
    expect(peers[0]?.received).toEqual([{ type: 'offer', sdp: '1' }]);
    voice.handleSignal('a', 'u2', { peer: 'c2', signals: [{ type: 'offer', sdp: '2' }] });
    expect(peers[0]?.destroyed).toBe(true);
    expect(peers[1]?.received).toEqual([{ type: 'offer', sdp: '2' }]);
  });

  it('ignores answers to a connection it no longer has and malformed signals', async () => {
    const { voice, peers, sent } = mesh('a');
    voice.setParticipants([{ sessionId: 'b', userId: 'u2' }]);
    peers[0]?.emit('signal', { type: 'offer', sdp: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent[0]).toMatchObject({ to: 'b', envelope: { signals: [{ type: 'offer', sdp: 'x' }] } });
    voice.handleSignal('b', 'u2', { peer: 'stale', signals: [{ type: 'answer' }] });
    voice.handleSignal('b', 'u2', 'garbage');
    expect(peers[0]?.received).toEqual([]);
    voice.handleSignal('b', 'u2', { peer: sent[0]?.envelope.peer, signals: [{ type: 'answer' }] });
    expect(peers[0]?.received).toEqual([{ type: 'answer' }]);
  });

  it('closes the peer of a participant who leaves', () => {
    const { voice, peers } = mesh('a');
    voice.setParticipants([{ sessionId: 'b', userId: 'u2' }, { sessionId: 'c', userId: 'u3' }]);
    voice.setParticipants([{ sessionId: 'c', userId: 'u3' }]);
    expect(peers[0]?.destroyed).toBe(true);
    expect(voice.peerSessions()).toEqual(['c']);
  });

  it('enables the track only while transmitting and not muted, deafened or server-muted', () => {
    const { voice } = mesh('a');
    expect(track.enabled).toBe(false);
    voice.setTransmitting(true);
    expect(track.enabled).toBe(true);
    for (const [set, unset] of [
      [() => voice.setSelfMuted(true), () => voice.setSelfMuted(false)],
      [() => voice.setSelfDeafened(true), () => voice.setSelfDeafened(false)],
      [() => voice.setServerMuted(true), () => voice.setServerMuted(false)],
    ] as const) {
      set();
      expect(voice.transmitting).toBe(false);
      unset();
      expect(voice.transmitting).toBe(true);
    }
  });
});
