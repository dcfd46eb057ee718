import { afterEach, describe, expect, it } from 'vitest';
import { Permission } from '../../shared/permissions.js';
import { createInitialState, reduce } from '../../client/state/reducer.js';
import { api, createGuild, joinGuild, registerUser } from '../test-support/api.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import {
  addVoiceMember, connectGateway, createVoiceChannel, joinVoice, nextVoiceError, sendVoiceState, startVoiceWorld, type VoiceWorld,
} from './test-support/voice-world.js';

let world: VoiceWorld | undefined;
const clients: GatewayTestClient[] = [];

async function setUp(config: Parameters<typeof startVoiceWorld>[0] = {}): Promise<VoiceWorld> {
  world = await startVoiceWorld(config);
  return world;
}

async function connect(w: VoiceWorld, user: VoiceWorld['owner']): Promise<GatewayTestClient> {
  const client = await connectGateway(w, user);
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await world?.server.close();
  world = undefined;
});

describe('voice states (op 4)', () => {
  it('joins, and the whole guild sees VOICE_STATE_UPDATE with the member', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    const watcher = await connect(w, w.owner);
    const client = await connect(w, alice);
    const state = await joinVoice(client, w.guildId, w.voiceId, { mute: true });
    expect(state).toMatchObject({
      guild_id: w.guildId, channel_id: w.voiceId, user_id: alice.id, session_id: client.sessionId,
      self_mute: true, self_deaf: false, mute: false, deaf: false, suppress: false,
    });
    expect(state.member?.user.id).toBe(alice.id);
    const seen = await watcher.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === alice.id);
    expect(seen.channel_id).toBe(w.voiceId);
  });

  it('puts voice states in READY and in the GUILD_CREATE of a member who joins later', async () => {
    const w = await setUp();
    const inVoice = await connect(w, w.owner);
    await joinVoice(inVoice, w.guildId, w.voiceId);
    const late = await addVoiceMember(w);
    const { client, ready } = await GatewayTestClient.identified(w.url, late.token);
    clients.push(client);
    const guild = ready.guilds.find((g) => g.id === w.guildId);
    expect(guild && !guild.unavailable ? guild.voice_states.map((s) => [s.user_id, s.channel_id]) : []).toEqual([[w.owner.id, w.voiceId]]);

    const stranger = await registerUser(w.url);
    const newcomer = await connect(w, stranger);
    await joinGuild(w.url, w.owner, w.guild.general.id, stranger);
    const created = await newcomer.waitForDispatch('GUILD_CREATE', (d) => d.id === w.guildId);
    expect(created.voice_states.map((s) => s.user_id)).toEqual([w.owner.id]);
  });

  it('moves between channels and leaves with channel_id null', async () => {
    const w = await setUp();
    const other = await createVoiceChannel(w, { name: 'Raid' });
    const client = await connect(w, w.owner);
    await joinVoice(client, w.guildId, w.voiceId);
    await joinVoice(client, w.guildId, other);
    expect(w.server.server.context.voiceStates.inChannel(w.voiceId)).toEqual([]);
    sendVoiceState(client, w.guildId, null);
    const left = await client.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.channel_id === null);
    expect(left).toMatchObject({ user_id: w.owner.id, session_id: client.sessionId });
    expect(w.server.server.context.voiceStates.ofUser(w.owner.id)).toBeUndefined();
  });

  it('keeps a user in one voice channel: joining from a second session moves the state there', async () => {
    const w = await setUp();
    const first = await connect(w, w.owner);
    const second = await connect(w, w.owner);
    await joinVoice(first, w.guildId, w.voiceId);
    await joinVoice(second, w.guildId, w.voiceId);
    // The first session learns its state now belongs to the other session.
    const moved = await first.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.session_id === second.sessionId);
    expect(moved.channel_id).toBe(w.voiceId);
    const { voiceStates } = w.server.server.context;
    expect(voiceStates.inChannel(w.voiceId).map((s) => s.sessionId)).toEqual([second.sessionId]);
    expect(voiceStates.ofSession(first.sessionId as string)).toBeUndefined();
  });

  it('keeps a user in one voice channel across guilds: joining in another guild leaves the first', async () => {
    const w = await setUp();
    const second = await createGuild(w.url, w.owner, 'Second Guild');
    const client = await connect(w, w.owner);
    await joinVoice(client, w.guildId, w.voiceId);
    await joinVoice(client, second.guild.id, second.voice.id);
    // The leave in the first guild is announced before the join in the second.
    expect(client.dispatches('VOICE_STATE_UPDATE').map((d) => [d.guild_id, d.channel_id, d.session_id])).toEqual([
      [w.guildId, w.voiceId, client.sessionId], [w.guildId, null, client.sessionId], [second.guild.id, second.voice.id, client.sessionId],
    ]);
    const { voiceStates } = w.server.server.context;
    expect(voiceStates.inGuild(w.guildId)).toEqual([]);
    expect(voiceStates.ofUser(w.owner.id)).toMatchObject({ guildId: second.guild.id, channelId: second.voice.id });
  });

  it('refuses a channel without CONNECT with HEARTH_VOICE_ERROR 50013 and keeps the socket open', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    const denied = await api(w.url, 'PUT', `/channels/${w.voiceId}/permissions/${w.guildId}`, {
      token: w.owner.token, body: { type: 0, allow: '0', deny: Permission.CONNECT.toString() },
    });
    expect(denied.status).toBe(204);
    const client = await connect(w, alice);
    sendVoiceState(client, w.guildId, w.voiceId);
    expect(await nextVoiceError(client)).toEqual({ op: 4, guild_id: w.guildId, channel_id: w.voiceId, code: 50013, message: 'Missing Permissions' });
    await client.heartbeat();
    expect(w.server.server.context.voiceStates.ofUser(alice.id)).toBeUndefined();
  });

  it('refuses a text channel (50024) and an unknown one (10003)', async () => {
    const w = await setUp();
    const client = await connect(w, w.owner);
    sendVoiceState(client, w.guildId, w.guild.general.id);
    expect(await nextVoiceError(client)).toMatchObject({ code: 50024 });
    sendVoiceState(client, w.guildId, '123456789012345678');
    expect(await nextVoiceError(client)).toMatchObject({ code: 10003 });
  });

  it('joins without SPEAK as suppressed', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    await api(w.url, 'PUT', `/channels/${w.voiceId}/permissions/${w.guildId}`, {
      token: w.owner.token, body: { type: 0, allow: '0', deny: Permission.SPEAK.toString() },
    });
    const state = await joinVoice(await connect(w, alice), w.guildId, w.voiceId);
    expect(state.suppress).toBe(true);
  });

  it('enforces the channel user_limit (50104), which MOVE_MEMBERS may exceed', async () => {
    const w = await setUp();
    const small = await createVoiceChannel(w, { name: 'Duo', user_limit: 1 });
    const [alice, bob] = [await addVoiceMember(w), await addVoiceMember(w)];
    await joinVoice(await connect(w, alice), w.guildId, small);
    const bobClient = await connect(w, bob);
    sendVoiceState(bobClient, w.guildId, small);
    expect(await nextVoiceError(bobClient)).toEqual({
      op: 4, guild_id: w.guildId, channel_id: small, code: 50104, message: 'This voice channel is full',
    });
    // The owner has every permission, MOVE_MEMBERS included.
    const state = await joinVoice(await connect(w, w.owner), w.guildId, small);
    expect(state.channel_id).toBe(small);
  });

  it('leaves a client that was refused where the server has it (client reducer)', async () => {
    const w = await setUp();
    const full = await createVoiceChannel(w, { name: 'Solo', user_limit: 1 });
    const [alice, bob] = [await addVoiceMember(w), await addVoiceMember(w)];
    await joinVoice(await connect(w, alice), w.guildId, full);
    const { client, ready } = await GatewayTestClient.identified(w.url, bob.token);
    clients.push(client);
    let state = reduce(createInitialState(), { type: 'dispatch', t: 'READY', d: ready, receivedAt: 0 });
    const joined = await joinVoice(client, w.guildId, w.voiceId);
    state = reduce(state, { type: 'dispatch', t: 'VOICE_STATE_UPDATE', d: joined, receivedAt: 0 });
    // The client asks to move into the full channel and records the wish…
    state = reduce(state, { type: 'self-voice', voice: { ...state.selfVoice, channelId: full } });
    sendVoiceState(client, w.guildId, full);
    const refusal = await nextVoiceError(client);
    // …and the refusal puts it back in the channel it is still in.
    state = reduce(state, { type: 'dispatch', t: 'HEARTH_VOICE_ERROR', d: refusal, receivedAt: 0 });
    expect(state.selfVoice).toEqual({ guildId: w.guildId, channelId: w.voiceId, selfMute: false, selfDeaf: false });
  });

  it('enforces the server-wide mesh cap (50105) even for MOVE_MEMBERS', async () => {
    const w = await setUp({ voiceMeshLimit: 2 });
    const [alice, bob] = [await addVoiceMember(w), await addVoiceMember(w)];
    await joinVoice(await connect(w, alice), w.guildId, w.voiceId);
    await joinVoice(await connect(w, bob), w.guildId, w.voiceId);
    const ownerClient = await connect(w, w.owner);
    sendVoiceState(ownerClient, w.guildId, w.voiceId);
    expect(await nextVoiceError(ownerClient)).toMatchObject({ code: 50105, message: 'This voice channel has reached the server-wide participant cap' });
  });

  it('reflects server mute and deafen (PATCH member) in the voice state', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    const client = await connect(w, alice);
    await joinVoice(client, w.guildId, w.voiceId);
    const patched = await api(w.url, 'PATCH', `/guilds/${w.guildId}/members/${alice.id}`, { token: w.owner.token, body: { mute: true, deaf: true } });
    expect(patched.status).toBe(200);
    const state = await client.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.mute && d.deaf);
    expect(state).toMatchObject({ user_id: alice.id, channel_id: w.voiceId, self_mute: false });
  });

  it('lets MOVE_MEMBERS move a member to another channel or disconnect them (PATCH member channel_id)', async () => {
    const w = await setUp();
    const other = await createVoiceChannel(w, { name: 'AFK', user_limit: 1 });
    const [alice, bob] = [await addVoiceMember(w), await addVoiceMember(w)];
    const aliceClient = await connect(w, alice);
    await joinVoice(await connect(w, bob), w.guildId, other);
    const patch = (token: string, body: unknown) => api(w.url, 'PATCH', `/guilds/${w.guildId}/members/${alice.id}`, { token, body });
    expect((await patch(w.owner.token, { channel_id: other })).body).toMatchObject({ code: 40032 });
    await joinVoice(aliceClient, w.guildId, w.voiceId, { mute: true });
    expect((await patch(bob.token, { channel_id: null })).body).toMatchObject({ code: 50013 });

    // A moderator's move passes the channel's user_limit and keeps the member's own flags.
    const moved = await patch(w.owner.token, { channel_id: other });
    expect(moved.status).toBe(200);
    const state = await aliceClient.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.channel_id === other);
    expect(state).toMatchObject({ user_id: alice.id, session_id: aliceClient.sessionId, self_mute: true });
    expect((await patch(w.owner.token, { channel_id: w.guild.general.id })).body).toMatchObject({ code: 50024 });

    expect((await patch(w.owner.token, { channel_id: null })).status).toBe(200);
    await aliceClient.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === alice.id && d.channel_id === null);
    expect(w.server.server.context.voiceStates.ofUser(alice.id)).toBeUndefined();
  });

  it('ends the state when the member is kicked and when the channel is deleted', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    const watcher = await connect(w, w.owner);
    const aliceClient = await connect(w, alice);
    await joinVoice(aliceClient, w.guildId, w.voiceId);
    expect((await api(w.url, 'DELETE', `/guilds/${w.guildId}/members/${alice.id}`, { token: w.owner.token })).status).toBe(204);
    const kicked = await watcher.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === alice.id && d.channel_id === null);
    expect(kicked.session_id).toBe(aliceClient.sessionId);
    // The kicked user hears it too (they no longer receive the guild's events).
    await aliceClient.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.channel_id === null);

    await joinVoice(watcher, w.guildId, w.voiceId);
    expect((await api(w.url, 'DELETE', `/channels/${w.voiceId}`, { token: w.owner.token })).status).toBe(200);
    await watcher.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === w.owner.id && d.channel_id === null);
    expect(w.server.server.context.voiceStates.inGuild(w.guildId)).toEqual([]);
  });

  it('ends the state when the session ends after its resume window, not before', async () => {
    const w = await setUp({ resumeWindowMs: 300 });
    const alice = await addVoiceMember(w);
    const watcher = await connect(w, w.owner);
    const aliceClient = await connect(w, alice);
    await joinVoice(aliceClient, w.guildId, w.voiceId);
    aliceClient.terminate();
    await aliceClient.closed;
    expect(w.server.server.context.voiceStates.ofUser(alice.id)?.channelId).toBe(w.voiceId);
    const ended = await watcher.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === alice.id && d.channel_id === null, 5_000);
    expect(ended.session_id).toBe(aliceClient.sessionId);
  });
});

describe('voice signaling (op 40)', () => {
  it('relays a signal to a session in the same channel as HEARTH_VOICE_SIGNAL', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    const [a, b] = [await connect(w, w.owner), await connect(w, alice)];
    await joinVoice(a, w.guildId, w.voiceId);
    await joinVoice(b, w.guildId, w.voiceId);
    const signal = { peer: 'p1', signals: [{ type: 'offer', sdp: 'v=0' }] };
    a.send({ op: 40, d: { session_id: b.sessionId, signal } });
    expect(await b.waitForDispatch('HEARTH_VOICE_SIGNAL')).toEqual({
      from_session_id: a.sessionId, from_user_id: w.owner.id, channel_id: w.voiceId, signal,
    });
  });

  it('refuses signals to a session outside the channel (40032) and from a session not in voice (50106)', async () => {
    const w = await setUp();
    const other = await createVoiceChannel(w, { name: 'Elsewhere' });
    const alice = await addVoiceMember(w);
    const [a, b] = [await connect(w, w.owner), await connect(w, alice)];
    a.send({ op: 40, d: { session_id: b.sessionId, signal: {} } });
    expect(await nextVoiceError(a)).toEqual({
      op: 40, guild_id: null, channel_id: null, session_id: b.sessionId, code: 50106, message: 'You are not connected to a voice channel',
    });
    await joinVoice(a, w.guildId, w.voiceId);
    await joinVoice(b, w.guildId, other);
    a.send({ op: 40, d: { session_id: b.sessionId, signal: { peer: 'x', signals: [] } } });
    expect(await nextVoiceError(a)).toMatchObject({ op: 40, channel_id: w.voiceId, session_id: b.sessionId, code: 40032 });
    a.send({ op: 40, d: { session_id: 'no-such-session', signal: {} } });
    expect(await nextVoiceError(a)).toMatchObject({ code: 40032 });
    a.send({ op: 40, d: { session_id: a.sessionId, signal: {} } });
    expect(await nextVoiceError(a)).toMatchObject({ code: 40032, session_id: a.sessionId });
    await a.heartbeat();
    expect(b.dispatches('HEARTH_VOICE_SIGNAL')).toEqual([]);
  });

  it('hands out the configured STUN/TURN servers in READY, and none by default', async () => {
    const w = await setUp();
    const plain = await GatewayTestClient.identified(w.url, w.owner.token);
    clients.push(plain.client);
    expect(plain.ready.hearth.ice_servers).toEqual([]);
    await w.server.close();

    const turn = { urls: ['stun:turn.example.org:3478', 'turn:turn.example.org:3478?transport=udp'], username: 'hearth', credential: 's3cret' };
    const configured = await setUp({ iceServers: [turn] });
    const { client, ready } = await GatewayTestClient.identified(configured.url, configured.owner.token);
    clients.push(client);
    expect(ready.hearth.ice_servers).toEqual([turn]);
  });

  it('rate-limits a flood of signals with retry_after instead of closing the socket', async () => {
    const w = await setUp();
    const alice = await addVoiceMember(w);
    const [a, b] = [await connect(w, w.owner), await connect(w, alice)];
    await joinVoice(a, w.guildId, w.voiceId);
    await joinVoice(b, w.guildId, w.voiceId);
    for (let i = 0; i < 70; i++) a.send({ op: 40, d: { session_id: b.sessionId, signal: { n: i } } });
    const error = await nextVoiceError(a);
    expect(error).toMatchObject({ op: 40, code: 0, message: 'You are being rate limited.' });
    expect(error.retry_after).toBeGreaterThan(0);
    await b.waitUntil(() => b.dispatches('HEARTH_VOICE_SIGNAL').length === 60);
    await a.heartbeat();
  });
});
