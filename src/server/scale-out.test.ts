/**
 * Several Hearth nodes sharing one PostgreSQL database and one Redis (both private servers these
 * tests start), each on its own port, behind a front door that routes like docs/deployment.md's
 * nginx: users on different nodes chat, see presence and typing, relay voice signaling, share
 * rate limits; worker ids are leased. (A stopping node handing its clients to another, with the
 * real client core, is in src/client/scale-out.integration.test.ts.)
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { GatewayOpcode } from '../shared/protocol/gateway.js';
import { buildServer } from './app.js';
import { loadConfig, type ServerConfigInput } from './config.js';
import { createLogger } from './logger.js';
import { Buckets } from './api/rate-limit.js';
import { DEVICE_HEADER } from './api/device-tokens.js';
import { ACCOUNT_ATTEMPTS } from './api/password-checks.js';
import type { AuthResponse } from '../shared/protocol/rest.js';
import { api, createGuild, joinGuild, registerUser, type TestUser } from './test-support/api.js';
import { GatewayTestClient } from './test-support/gateway-client.js';
import { clusterMissing, startTestCluster, useClusterBackends, type TestCluster, type TestNode } from './test-support/cluster.js';
import { startTestRedis } from './test-support/redis.js';
import { skipWhenMissing } from './test-support/requirements.js';
import { guessPasswords, makeTempDataDir, passwordHashCount, startTestServer } from './test-support/server.js';
import { waitFor } from './test-support/wait.js';

const backends = useClusterBackends({ flushRedisAfterEach: true });
const { cleanups } = backends;

/** Starts `count` nodes sharing this file's PostgreSQL and Redis, stopped after the test. */
async function startNodes(count: number, config: ServerConfigInput = {}): Promise<TestCluster> {
  const cluster = await startTestCluster(backends, count, config);
  cleanups.push(() => cluster.close());
  return cluster;
}

async function connect(node: TestNode, user: TestUser, presence?: { status: 'online' | 'idle' | 'dnd' | 'invisible' }) {
  const { client, ready } = await GatewayTestClient.identified(node.direct, user.token, presence ? { presence: { status: presence.status, activities: [], since: null, afk: false } } : {});
  cleanups.push(() => void client.terminate());
  return { client, ready };
}

/** A TCP relay to a local port that can be cut (every connection dropped, new ones refused) and healed. */
async function startTcpRelay(port: number): Promise<{ url: string; cut(): void; heal(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayPort = (server.address() as net.AddressInfo).port;
  let open = true;
  const cut = () => {
    if (open) server.close();
    open = false;
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `redis://127.0.0.1:${relayPort}`,
    cut,
    heal() {
      if (!open) server.listen(relayPort, '127.0.0.1');
      open = true;
    },
    async close() {
      cut();
    },
  };
}

/** Two users in one guild, alice registered on node 0 and bob on node 1. */
async function twoUsers(nodes: TestNode[]) {
  const [a, b] = nodes as [TestNode, TestNode];
  const alice = await registerUser(a.direct);
  const bob = await registerUser(b.direct);
  const world = await createGuild(a.direct, alice);
  await joinGuild(b.direct, alice, world.general.id, bob);
  return { a, b, alice, bob, ...world };
}

// Several nodes, PostgreSQL and Redis share this process and a loaded 2-core CI machine: a test
// that loses a timing race to the machine (not to the code) gets one more attempt on fresh nodes.
describe('Hearth nodes sharing PostgreSQL and Redis', { retry: 1, ...skipWhenMissing(clusterMissing) }, () => {
  it('delivers messages, typing and presence between users connected to different nodes', async () => {
    const { nodes } = await startNodes(2);
    const { a, b, alice, bob, guild, general } = await twoUsers(nodes);

    const { client: aliceWs } = await connect(a, alice);
    await aliceWs.waitForDispatch('PRESENCE_UPDATE', (d) => d.user.id === alice.id && d.status === 'online');
    // Node 1 knows alice is online (through Redis), so bob's READY shows her.
    await waitFor(() => b.server.gateway.presences.isVisible(alice.id), 'alice visible on node 1');
    const { client: bobWs, ready } = await connect(b, bob);
    const readyGuild = ready.guilds.find((g) => g.id === guild.id);
    expect(readyGuild && 'presences' in readyGuild ? readyGuild.presences.map((p) => [p.user.id, p.status]) : []).toContainEqual([alice.id, 'online']);
    await aliceWs.waitForDispatch('PRESENCE_UPDATE', (d) => d.user.id === bob.id && d.status === 'online' && d.guild_id === guild.id);

    // Chat both ways, each user posting through their own node.
    await api(b.direct, 'POST', `/channels/${general.id}/messages`, { token: bob.token, body: { content: 'hello from node 1' } });
    expect((await aliceWs.waitForDispatch('MESSAGE_CREATE', (d) => d.author.id === bob.id)).content).toBe('hello from node 1');
    await api(a.direct, 'POST', `/channels/${general.id}/messages`, { token: alice.token, body: { content: 'hello from node 0' } });
    expect((await bobWs.waitForDispatch('MESSAGE_CREATE', (d) => d.author.id === alice.id)).content).toBe('hello from node 0');

    // Only entitled sessions get it: eve on node 1 is not in the guild. Her own message, posted
    // after alice's through the same node, reaches her, so alice's would have arrived first.
    const eve = await registerUser(b.direct);
    const eveWorld = await createGuild(a.direct, eve);
    const { client: eveWs } = await connect(b, eve);
    await api(a.direct, 'POST', `/channels/${general.id}/messages`, { token: alice.token, body: { content: 'members only' } });
    await api(a.direct, 'POST', `/channels/${eveWorld.general.id}/messages`, { token: eve.token, body: { content: 'eve here' } });
    await bobWs.waitForDispatch('MESSAGE_CREATE', (d) => d.content === 'members only');
    await eveWs.waitForDispatch('MESSAGE_CREATE', (d) => d.content === 'eve here');
    expect(eveWs.dispatches('MESSAGE_CREATE').map((d) => d.content)).toEqual(['eve here']);

    // Typing crosses nodes.
    expect((await api(a.direct, 'POST', `/channels/${general.id}/typing`, { token: alice.token })).status).toBe(204);
    expect(await bobWs.waitForDispatch('TYPING_START', (d) => d.user_id === alice.id)).toMatchObject({ channel_id: general.id, guild_id: guild.id });

    // A second session of alice on the other node: the merge spans nodes (dnd wins, per platform).
    const { client: aliceOnB } = await connect(b, alice, { status: 'dnd' });
    const merged = await bobWs.waitForDispatch('PRESENCE_UPDATE', (d) => d.user.id === alice.id && d.status === 'dnd');
    expect(merged.client_status).toEqual({ web: 'dnd' });
    aliceOnB.setPresence('invisible');
    await bobWs.waitForDispatch('PRESENCE_UPDATE', (d) => d.user.id === alice.id && d.status === 'offline');
    aliceOnB.setPresence('idle');
    const back = await bobWs.waitForDispatch('PRESENCE_UPDATE', (d) => d.user.id === alice.id && d.status === 'online');
    expect(back.client_status).toEqual({ web: 'online' });
    // Bob's status change on node 1 reaches alice on node 0.
    bobWs.setPresence('dnd');
    await aliceWs.waitForDispatch('PRESENCE_UPDATE', (d) => d.user.id === bob.id && d.status === 'dnd');
  });

  it('ends the gateway sessions of a token revoked on another node with 4004', async () => {
    const { nodes } = await startNodes(2);
    const { a, b, alice, bob } = await twoUsers(nodes);
    const { client: aliceWs } = await connect(a, alice);
    const { client: bobWs } = await connect(a, bob);
    expect((await api(b.direct, 'POST', '/auth/logout', { token: alice.token })).status).toBe(204);
    expect((await aliceWs.waitForClose()).code).toBe(4004);
    // A password change ends every session of the user, wherever it is.
    const changed = await api(b.direct, 'PATCH', '/users/@me', { token: bob.token, body: { password: 'correct horse battery', new_password: 'another horse battery' } });
    expect(changed.status).toBe(200);
    expect((await bobWs.waitForClose()).code).toBe(4004);
  });

  it('shares voice states and relays voice signaling between nodes', async () => {
    const { nodes } = await startNodes(2);
    const { a, b, alice, bob, guild, voice } = await twoUsers(nodes);
    const { client: aliceWs, ready: aliceReady } = await connect(a, alice);
    const { client: bobWs, ready: bobReady } = await connect(b, bob);

    aliceWs.send({ op: GatewayOpcode.VOICE_STATE_UPDATE, d: { guild_id: guild.id, channel_id: voice.id, self_mute: false, self_deaf: false } });
    const aliceJoined = await bobWs.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === alice.id && d.channel_id === voice.id);
    expect(aliceJoined.session_id).toBe(aliceReady.session_id);
    await waitFor(() => b.server.context.voiceStates.ofSession(aliceReady.session_id), 'alice voice state on node 1');
    bobWs.send({ op: GatewayOpcode.VOICE_STATE_UPDATE, d: { guild_id: guild.id, channel_id: voice.id, self_mute: true, self_deaf: false } });
    await aliceWs.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === bob.id && d.channel_id === voice.id && d.self_mute);
    await waitFor(() => a.server.context.voiceStates.ofSession(bobReady.session_id), 'bob voice state on node 0');

    bobWs.send({ op: GatewayOpcode.VOICE_SIGNAL, d: { session_id: aliceReady.session_id, signal: { type: 'offer', sdp: 'v=0 from bob' } } });
    expect(await aliceWs.waitForDispatch('HEARTH_VOICE_SIGNAL', (d) => d.from_user_id === bob.id)).toEqual({
      from_session_id: bobReady.session_id, from_user_id: bob.id, channel_id: voice.id, signal: { type: 'offer', sdp: 'v=0 from bob' },
    });
    aliceWs.send({ op: GatewayOpcode.VOICE_SIGNAL, d: { session_id: bobReady.session_id, signal: { type: 'answer', sdp: 'v=0 from alice' } } });
    expect((await bobWs.waitForDispatch('HEARTH_VOICE_SIGNAL', (d) => d.from_user_id === alice.id)).signal).toEqual({ type: 'answer', sdp: 'v=0 from alice' });

    // A third user connecting later sees both in voice in READY, wherever they joined.
    const carol = await registerUser(a.direct);
    await joinGuild(a.direct, alice, voice.id, carol);
    const { ready: carolReady } = await connect(a, carol);
    const carolGuild = carolReady.guilds.find((g) => g.id === guild.id);
    const inVoice = carolGuild && 'voice_states' in carolGuild ? carolGuild.voice_states.map((s) => s.user_id).sort() : [];
    expect(inVoice).toEqual([alice.id, bob.id].sort());

    // Bob leaves on node 1; alice on node 0 hears it.
    bobWs.send({ op: GatewayOpcode.VOICE_STATE_UPDATE, d: { guild_id: guild.id, channel_id: null, self_mute: false, self_deaf: false } });
    await aliceWs.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === bob.id && d.channel_id === null);
  });

  it('shares REST rate-limit buckets, login throttles and the identify limit between nodes', async () => {
    const { nodes } = await startNodes(2, { identifyLimit: 2 });
    const [a, b] = nodes as [TestNode, TestNode];
    const alice = await registerUser(a.direct);

    const first = await api(a.direct, 'GET', '/users/@me', { token: alice.token });
    const second = await api(b.direct, 'GET', '/users/@me', { token: alice.token });
    expect(first.headers.get('x-ratelimit-bucket')).toBe(second.headers.get('x-ratelimit-bucket'));
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(Number(first.headers.get('x-ratelimit-remaining')) - 1);

    // Thirty guesses at one account at once, half on each node: the attempts are reserved in Redis
    // before hashing, so both nodes together evaluate only the allowance.
    const device = (await api<AuthResponse>(a.direct, 'POST', '/auth/login', { body: { login: alice.username, password: 'correct horse battery' } })).body.device_token;
    const hashesBefore = (await passwordHashCount(a.server)) + (await passwordHashCount(b.server));
    const guesses = (await Promise.all([guessPasswords(a.server, alice.username, 15, 4), guessPasswords(b.server, alice.username, 15, 5)])).flat();
    expect(guesses.filter((status) => status === 400)).toHaveLength(ACCOUNT_ATTEMPTS.free);
    expect((await passwordHashCount(a.server)) + (await passwordHashCount(b.server))).toBe(hashesBefore + ACCOUNT_ATTEMPTS.free);
    const locked = await api<{ retry_after: number }>(b.direct, 'POST', '/auth/login', { body: { login: alice.username, password: 'correct horse battery' } });
    expect(locked.status).toBe(429);
    expect(locked.body.retry_after).toBeGreaterThan(0);
    // The owner's known device still signs in, on the other node too.
    const owner = await api(b.direct, 'POST', '/auth/login', { body: { login: alice.username, password: 'correct horse battery' }, headers: { [DEVICE_HEADER]: device } });
    expect(owner.status).toBe(200);

    // Two session starts allowed per window in total: one on each node, then the third is refused.
    await connect(a, alice);
    await connect(b, alice);
    const third = await GatewayTestClient.connect(a.direct);
    cleanups.push(() => void third.terminate());
    await third.hello();
    third.sendIdentify(alice.token);
    expect((await third.waitForClose()).code).toBe(4008);
  });

  it('ends the presence and voice states of a node cut off from Redis once its lease expires, and restores its presences when it is back', async () => {
    const relay = await startTcpRelay(backends.redis.port);
    cleanups.push(() => relay.close());
    // Long heartbeats: the test clients stay connected while the lease lapses and returns. The
    // lease is short but outlasts the event-loop stalls of a loaded test machine (both nodes run
    // in this process), which would make a node lapse without being cut off.
    const timing = { nodeLeaseMs: 1500, heartbeatIntervalMs: 20_000 };
    const { nodes } = await startNodes(1, timing);
    const [b] = nodes as [TestNode];
    // Node 0 reaches Redis only through the relay, so cutting it is a crash as the other nodes see it.
    const cutOff = await startTestServer({ database: b.server.context.config.database, redis: relay.url, ...timing });
    cleanups.push(() => cutOff.close());
    const a = { ...cutOff, direct: cutOff.url };
    const { alice, bob, guild, voice } = await twoUsers([a, b]);
    const { client: aliceWs } = await connect(a, alice);
    const { client: bobWs } = await connect(b, bob);
    await bobWs.waitUntil(() => b.server.gateway.presences.isVisible(alice.id));
    aliceWs.send({ op: GatewayOpcode.VOICE_STATE_UPDATE, d: { guild_id: guild.id, channel_id: voice.id, self_mute: false, self_deaf: false } });
    await bobWs.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.user_id === alice.id && d.channel_id === voice.id);

    relay.cut();
    await bobWs.waitUntil(() => bobWs.dispatches('PRESENCE_UPDATE').some((d) => d.user.id === alice.id && d.status === 'offline' && d.guild_id === guild.id));
    await bobWs.waitUntil(() => bobWs.dispatches('VOICE_STATE_UPDATE').some((d) => d.user_id === alice.id && d.channel_id === null));
    expect(b.server.context.voiceStates.ofUser(alice.id)).toBeUndefined();

    // Reconnected, node 0 finds it had counted as gone and says again that alice is online.
    const offlineAt = bobWs.dispatches('PRESENCE_UPDATE').length;
    relay.heal();
    await bobWs.waitUntil(() => bobWs.dispatches('PRESENCE_UPDATE').slice(offlineAt).some((d) => d.user.id === alice.id && d.status === 'online'), 10_000);
    // The merged view on node 1 settles from Redis after the dispatch: it must end up online.
    await bobWs.waitUntil(() => b.server.gateway.presences.isVisible(alice.id), 10_000);
  }, 30_000);

  it('counts per-address limits by X-Forwarded-For from a trusted proxy, across nodes', async () => {
    const { nodes } = await startNodes(2, { trustProxy: '127.0.0.1' });
    const [a, b] = nodes as [TestNode, TestNode];
    // Invite lookups are limited per address (Buckets.inviteRead), whoever calls.
    const remaining = async (node: TestNode, ip: string) => {
      const response = await api(node.direct, 'GET', '/invites/no-such-code', { headers: { 'x-forwarded-for': ip } });
      expect(response.status).toBe(404);
      return Number(response.headers.get('x-ratelimit-remaining'));
    };
    const limit = Buckets.inviteRead.limit;
    expect(await remaining(a, '203.0.113.7')).toBe(limit - 1);
    expect(await remaining(b, '203.0.113.7')).toBe(limit - 2);
    // Another client behind the same proxy has its own count.
    expect(await remaining(b, '198.51.100.20')).toBe(limit - 1);
  });

  it('sends op 7 before a stopping node closes its sockets, and answers a RESUME on another node with op 9', async () => {
    const { nodes } = await startNodes(2);
    const { a, b, alice } = await twoUsers(nodes);
    // zlib-stream: op 7 is compressed, and must still reach the client before the close frame.
    const { client, ready } = await GatewayTestClient.identified(a.direct, alice.token, {}, { compress: true });
    cleanups.push(() => void client.terminate());
    expect(ready.resume_gateway_url).toBe(`${a.url.replace(/^http/, 'ws')}/gateway`);
    const seq = client.lastSeq;

    await a.server.close();
    const closed = await client.closed;
    expect(closed.code).toBe(4000);
    await client.waitUntil(() => client.received.some((p) => p.op === GatewayOpcode.RECONNECT));
    expect(client.received.at(-1)?.op).toBe(GatewayOpcode.RECONNECT);

    const elsewhere = await GatewayTestClient.connect(b.direct);
    cleanups.push(() => void elsewhere.terminate());
    await elsewhere.hello();
    elsewhere.sendResume(alice.token, ready.session_id, seq);
    expect(await elsewhere.next((p) => p.op === GatewayOpcode.INVALID_SESSION)).toMatchObject({ op: GatewayOpcode.INVALID_SESSION, d: false });
    // The same connection may identify at once, and the new session lives on this node.
    const again = await elsewhere.identify(alice.token);
    expect(again.session_id).not.toBe(ready.session_id);
    expect(again.resume_gateway_url).toBe(`${b.url.replace(/^http/, 'ws')}/gateway`);
  });

  it('leases a unique snowflake worker id per node and refuses a taken one', async () => {
    const database = await backends.postgres.createDatabase();
    const first = await startTestServer({ database, redis: backends.redis.url, workerId: 7 });
    cleanups.push(() => first.close());
    expect(first.server.cluster?.workerId).toBe(7);
    await expect(buildServer({ database, redis: backends.redis.url, workerId: 7, dataDir: makeTempDataDir() }, { logger: createLogger('silent') }))
      .rejects.toThrow(/worker id 7 is already used by another running Hearth node.*--worker-id/);
    const picked = await startTestServer({ database, redis: backends.redis.url });
    cleanups.push(() => picked.close());
    expect(picked.server.cluster?.workerId).toBe(0);
    // The worker id is in every snowflake the node makes (bits 17–21).
    const workerOf = (id: string) => Number((BigInt(id) >> 17n) & 31n);
    expect(workerOf(picked.server.context.ids.next())).toBe(0);
    expect(workerOf(first.server.context.ids.next())).toBe(7);
    // A clean shutdown gives the id back.
    await first.close();
    const again = await startTestServer({ database, redis: backends.redis.url, workerId: 7 });
    cleanups.push(() => again.close());
    expect(again.server.cluster?.workerId).toBe(7);
  });

  it('refuses to start when Redis cannot be reached, naming it without the password', async () => {
    const failure = buildServer({ redis: 'redis://:s3cret@127.0.0.1:1/0', dataDir: makeTempDataDir() }, { logger: createLogger('silent') });
    await expect(failure).rejects.toThrow(/^Cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0 \(connect ECONNREFUSED 127\.0\.0\.1:1\)\. Check --redis/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it('reports readiness of the database and Redis, and Prometheus metrics', async () => {
    const { nodes } = await startNodes(2);
    const { a, b, alice, bob, general } = await twoUsers(nodes);
    const ready = await fetch(`${a.direct}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } });

    const { client: bobWs } = await connect(b, bob);
    await connect(a, alice);
    await api(a.direct, 'POST', `/channels/${general.id}/messages`, { token: alice.token, body: { content: 'counted' } });
    await bobWs.waitForDispatch('MESSAGE_CREATE');
    const metrics = await fetch(`${b.direct}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^hearth_gateway_sessions 1$/m);
    expect(text).toMatch(/^hearth_gateway_dispatches_total\{event="MESSAGE_CREATE"\} 1$/m);
    expect(text).toMatch(/^hearth_gateway_fanout_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^hearth_db_query_seconds_count\{method="getToken"\} [1-9]\d*$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);

    // A node whose Redis is gone is not ready, and says which check failed.
    const lonelyRedis = await startTestRedis();
    const lonely = await startTestServer({ database: await backends.postgres.createDatabase(), redis: lonelyRedis.url });
    cleanups.push(() => lonely.close());
    await lonelyRedis.stop();
    const notReady = await fetch(`${lonely.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'ok' }, redis: { status: 'failed' } } });
  });

});

describe('scale-out options', () => {
  it('reads --redis, --node-lease and --trust-proxy from flags or the environment and refuses bad values', () => {
    const config = loadConfig(['--redis', 'redis://:pw@cache.internal:6379/2', '--trust-proxy', '10.0.0.10, 10.1.0.0/16'], { HEARTH_NODE_LEASE: '5000' });
    expect(config).toMatchObject({ redis: 'redis://:pw@cache.internal:6379/2', nodeLeaseMs: 5000, trustProxy: '10.0.0.10, 10.1.0.0/16' });
    expect(() => loadConfig(['--redis', 'http://cache.internal:6379'], {})).toThrow(/--redis \(HEARTH_REDIS_URL\): must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig(['--trust-proxy', 'nginx.internal'], {})).toThrow(/--trust-proxy \(HEARTH_TRUST_PROXY\): must be IP addresses or CIDR ranges/);
    expect(() => loadConfig([], { HEARTH_NODE_LEASE: '50' })).toThrow(/--node-lease \(HEARTH_NODE_LEASE\)/);
  });
});
