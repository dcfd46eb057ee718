import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushToTalkGate } from '../../renderer/features/voice/push-to-talk.js';
import { addVoiceMember, connectGateway, nextVoiceError, startVoiceWorld, type VoiceWorld } from './test-support/voice-world.js';
import { MeshClient } from './test-support/mesh-client.js';

/** Mean |sample| of a 440 Hz tone at amplitude 8000 is ~5100; silence (or comfort noise) is far below this. */
const HEARD = 500;
const SILENT = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The level each listener plays from `speaker` over a fresh window of `ms`. */
async function levelsFrom(speaker: MeshClient, listeners: MeshClient[], ms = 400): Promise<number[]> {
  for (const listener of listeners) listener.output.reset();
  await sleep(ms);
  return listeners.map((listener) => listener.output.level(speaker.user.id));
}

describe('VoiceMesh over a real server (Node WebRTC)', () => {
  let world: VoiceWorld;
  let a: MeshClient;
  let b: MeshClient;
  let c: MeshClient;

  beforeAll(async () => {
    world = await startVoiceWorld();
    const [bob, carol] = [await addVoiceMember(world), await addVoiceMember(world)];
    [a, b, c] = await Promise.all([
      MeshClient.connect(world.url, world.owner, world.guildId),
      MeshClient.connect(world.url, bob, world.guildId),
      MeshClient.connect(world.url, carol, world.guildId),
    ]);
    // Microphones run from the start, as a real one does; the mesh decides what is sent.
    for (const client of [a, b, c]) client.startTone();
    for (const client of [a, b, c]) await client.join(world.guildId, world.voiceId);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([a, b, c].filter(Boolean).map((client) => client.close()));
    await world?.server.close();
  });

  it('connects every pair of the three participants', async () => {
    await until(() => [a, b, c].every((client) => client.mesh?.connectedSessions().length === 2), 'a full mesh');
    expect(new Set(a.mesh?.connectedSessions())).toEqual(new Set([b.sessionId, c.sessionId]));
    expect(new Set(b.mesh?.connectedSessions())).toEqual(new Set([a.sessionId, c.sessionId]));
  });

  it('delivers PCM pushed by one participant to the other two, and nothing while not transmitting', async () => {
    // libwebrtc fades the first frame of a new sender out over 10 ms when its track is disabled:
    // let that pass, then a disabled track must deliver silence.
    await levelsFrom(a, [b, c], 300);
    expect(Math.max(...(await levelsFrom(a, [b, c])))).toBeLessThan(SILENT);
    a.mesh?.setTransmitting(true);
    await until(() => b.output.level(a.user.id) > HEARD, 'audio at b');
    const [atB, atC] = await levelsFrom(a, [b, c]);
    expect(atB).toBeGreaterThan(HEARD);
    expect(atC).toBeGreaterThan(HEARD);
    // Nobody else is sending.
    expect(a.output.level(b.user.id)).toBeLessThan(SILENT);
  });

  it('shows the sender speaking to the others and to itself', async () => {
    await until(() => b.speaking.get(a.user.id) === true && c.speaking.get(a.user.id) === true, 'remote speaking');
    await until(() => a.speaking.get(a.user.id) === true, 'local speaking');
  });

  it('stops audio after a push-to-talk release plus its delay', async () => {
    const ptt = new PushToTalkGate((on) => a.mesh?.setTransmitting(on), 200);
    a.mesh?.setTransmitting(false);
    ptt.press();
    expect(a.mesh?.transmitting).toBe(true);
    await until(() => b.output.level(a.user.id) > HEARD, 'audio while the key is held');
    ptt.release();
    // Within the release delay the microphone stays open.
    expect(a.mesh?.transmitting).toBe(true);
    await sleep(200 + 300);
    expect(a.mesh?.transmitting).toBe(false);
    const [atB, atC] = await levelsFrom(a, [b, c]);
    expect(atB).toBeLessThan(SILENT);
    expect(atC).toBeLessThan(SILENT);
    await until(() => b.speaking.get(a.user.id) === false && a.speaking.get(a.user.id) === false, 'speaking ends');
  });

  it('sends nothing while self-muted', async () => {
    a.mesh?.setTransmitting(true);
    a.mesh?.setSelfMuted(true);
    expect(a.mesh?.transmitting).toBe(false);
    expect(Math.max(...(await levelsFrom(a, [b, c], 500)))).toBeLessThan(SILENT);
    a.mesh?.setSelfMuted(false);
    await until(() => b.output.level(a.user.id) > HEARD, 'audio after unmuting');
  });

  it('deafen silences all incoming audio and mutes the microphone', async () => {
    b.mesh?.setTransmitting(true);
    b.mesh?.setSelfDeafened(true);
    expect(b.mesh?.transmitting).toBe(false);
    const [fromAAtB] = await levelsFrom(a, [b], 500);
    expect(fromAAtB).toBeLessThan(SILENT);
    expect(b.output.gains.get(a.user.id)).toBe(0);
    // …and b's own tone reaches nobody.
    const [fromBAtA, fromBAtC] = await levelsFrom(b, [a, c]);
    expect(fromBAtA).toBeLessThan(SILENT);
    expect(fromBAtC).toBeLessThan(SILENT);
    b.mesh?.setSelfDeafened(false);
    await until(() => b.output.level(a.user.id) > HEARD && a.output.level(b.user.id) > HEARD, 'audio both ways after undeafening');
    b.mesh?.setTransmitting(false);
  });

  it('applies per-user volume and local mute to one user only', async () => {
    c.mesh?.setUserVolume(a.user.id, 50);
    expect(c.output.gains.get(a.user.id)).toBe(0.5);
    c.mesh?.setUserMuted(a.user.id, true);
    const [muted] = await levelsFrom(a, [c]);
    expect(muted).toBeLessThan(SILENT);
    await until(() => b.output.level(a.user.id) > HEARD, 'b still hears a');
    c.mesh?.setUserMuted(a.user.id, false);
    c.mesh?.setUserVolume(a.user.id, 200);
    expect(c.output.gains.get(a.user.id)).toBe(2);
    c.output.reset();
    await until(() => c.output.level(a.user.id) > 2 * HEARD * 2, 'a at 200 % at c');
  });

  it('refuses a signal to a session outside the channel', async () => {
    const outsider = await connectGateway(world, await addVoiceMember(world));
    a.gateway.send({ op: 40, d: { session_id: outsider.sessionId, signal: { peer: 'x', signals: [] } } });
    expect(await nextVoiceError(a.gateway)).toMatchObject({ op: 40, code: 40032, session_id: outsider.sessionId });
    expect(outsider.dispatches('HEARTH_VOICE_SIGNAL')).toEqual([]);
    await outsider.close();
  });

  it('rebuilds a peer connection that fails, and reconnect() leaves connected peers alone', async () => {
    const created = () => a.peers.length + b.peers.length + c.peers.length;
    const before = created();
    // One of a's connections dies under the mesh, as on an ICE failure; both ends rebuild it.
    a.peers.find((peer) => !peer.destroyed && peer.connected)?.destroy();
    await until(() => created() >= before + 2 && [a, b, c].every((client) => client.mesh?.connectedSessions().length === 2), 'the mesh whole again');
    b.output.reset();
    c.output.reset();
    await until(() => b.output.level(a.user.id) > HEARD && c.output.level(a.user.id) > HEARD, 'audio after the rebuild');
    const count = a.peers.length;
    a.mesh?.reconnect();
    expect(a.peers.length).toBe(count);
  });

  it('tears down the peers of a participant who leaves, on every side', async () => {
    c.leave(world.guildId);
    // The leaver's own side closes every peer (simple-peer finishes a destroy in a microtask).
    expect(c.peers.length).toBeGreaterThan(0);
    await until(() => c.peers.every((peer) => peer.destroyed), 'c closed its own peers');
    await until(() => !a.mesh?.peerSessions().includes(c.sessionId) && !b.mesh?.peerSessions().includes(c.sessionId), 'peers to c closed');
    expect(a.mesh?.connectedSessions()).toEqual([b.sessionId]);
    expect(b.mesh?.connectedSessions()).toEqual([a.sessionId]);
    // a still reaches b.
    b.output.reset();
    await until(() => b.output.level(a.user.id) > HEARD, 'a still heard at b');
  });
});
