import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayTestClient } from '../test-support/gateway-client.js';
import {
  addVoiceMember, connectGateway, joinVoice, nextVoiceError, startVoiceWorld, type VoiceWorld,
} from './test-support/voice-world.js';

let world: VoiceWorld | undefined;
const clients: GatewayTestClient[] = [];

async function connect(w: VoiceWorld, user: VoiceWorld['owner']): Promise<GatewayTestClient> {
  const client = await connectGateway(w, user);
  clients.push(client);
  return client;
}

function sendSpeaking(client: GatewayTestClient, speaking: boolean): void {
  client.send({ op: 41, d: { speaking } });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await world?.server.close();
  world = undefined;
});

describe('voice speaking (op 41)', () => {
  it('tells the whole guild, including members not in voice, who starts and stops speaking', async () => {
    world = await startVoiceWorld();
    const w = world;
    const alice = await addVoiceMember(w);
    const viewer = await connect(w, w.owner);
    const speaker = await connect(w, alice);
    await joinVoice(speaker, w.guildId, w.voiceId);
    sendSpeaking(speaker, true);
    expect(await viewer.waitForDispatch('HEARTH_VOICE_SPEAKING', (d) => d.speaking)).toEqual({
      guild_id: w.guildId, channel_id: w.voiceId, user_id: alice.id, speaking: true,
    });
    sendSpeaking(speaker, false);
    expect(await viewer.waitForDispatch('HEARTH_VOICE_SPEAKING', (d) => !d.speaking)).toMatchObject({ user_id: alice.id, speaking: false });
  });

  it('announces only changes: a repeated flag sends nothing', async () => {
    world = await startVoiceWorld();
    const w = world;
    const viewer = await connect(w, w.owner);
    const speaker = await connect(w, await addVoiceMember(w));
    await joinVoice(speaker, w.guildId, w.voiceId);
    sendSpeaking(speaker, true);
    sendSpeaking(speaker, true);
    sendSpeaking(speaker, false);
    await viewer.waitForDispatch('HEARTH_VOICE_SPEAKING', (d) => !d.speaking);
    expect(viewer.dispatches('HEARTH_VOICE_SPEAKING').map((d) => d.speaking)).toEqual([true, false]);
  });

  it('never announces a self-muted user as speaking', async () => {
    world = await startVoiceWorld();
    const w = world;
    const viewer = await connect(w, w.owner);
    const speaker = await connect(w, await addVoiceMember(w));
    await joinVoice(speaker, w.guildId, w.voiceId, { mute: true });
    sendSpeaking(speaker, true);
    // op 41 outside voice is refused, which shows the muted flag above was processed first.
    const outsider = await connect(w, await addVoiceMember(w));
    sendSpeaking(outsider, true);
    await nextVoiceError(outsider);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewer.dispatches('HEARTH_VOICE_SPEAKING')).toEqual([]);
  });

  it('refuses speaking from a session that is not in a voice channel', async () => {
    world = await startVoiceWorld();
    const client = await connect(world, world.owner);
    sendSpeaking(client, true);
    expect(await nextVoiceError(client)).toMatchObject({ op: 41, guild_id: null, channel_id: null, code: 50106 });
  });

  it('rate-limits a flood with retry_after and keeps the socket open', async () => {
    world = await startVoiceWorld();
    const w = world;
    const client = await connect(w, w.owner);
    await joinVoice(client, w.guildId, w.voiceId);
    for (let i = 0; i < 30; i++) sendSpeaking(client, i % 2 === 0);
    const error = await nextVoiceError(client);
    expect(error).toMatchObject({ op: 41, guild_id: w.guildId, channel_id: w.voiceId });
    expect(error.retry_after).toBeGreaterThan(0);
    await client.heartbeat();
  });

  it('rejects a malformed payload with 4002', async () => {
    world = await startVoiceWorld();
    const client = await connect(world, world.owner);
    client.send({ op: 41, d: { speaking: 'yes' } });
    expect((await client.waitForClose()).code).toBe(4002);
  });
});
