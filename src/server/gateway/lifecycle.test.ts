import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GatewayIntent } from '../../shared/protocol/gateway.js';
import type { GatewayGuild, UnavailableGuild } from '../../shared/protocol/gateway.js';
import { resolveConfig } from '../config.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { addMember, createAccount, createGuild } from '../test-support/gateway-fixtures.js';

let server: TestServer | undefined;
const clients: GatewayTestClient[] = [];

async function start(config: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer({ heartbeatIntervalMs: 1000, heartbeatGraceMs: 300, ...config });
  return server;
}

async function connect(url: string, options: Parameters<typeof GatewayTestClient.connect>[1] = {}): Promise<GatewayTestClient> {
  const client = await GatewayTestClient.connect(url, options);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server?.close();
  server = undefined;
});

describe('Gateway discovery', () => {
  it('GET /gateway returns the ws URL of this node', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/api/v10/gateway`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ url: `${url.replace('http', 'ws')}/gateway` });
  });

  it('GET /gateway/bot reports shards and a session start limit that counts identifies', async () => {
    const { url, server: hearth } = await start({ identifyLimit: 5 });
    const bot = await createAccount(hearth.context, 'pingbot', { bot: true });
    const before = await fetch(`${url}/api/v10/gateway/bot`, { headers: { Authorization: `Bot ${bot.token}` } });
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({
      url: `${url.replace('http', 'ws')}/gateway`,
      shards: 1,
      session_start_limit: { total: 5, remaining: 5, reset_after: 0, max_concurrency: 1 },
    });
    const client = await connect(url);
    await client.hello();
    await client.identify(bot.token, { intents: GatewayIntent.GUILDS });
    const after = (await (await fetch(`${url}/api/v10/gateway/bot`, { headers: { Authorization: `Bot ${bot.token}` } })).json()) as {
      session_start_limit: { remaining: number; reset_after: number };
    };
    expect(after.session_start_limit.remaining).toBe(4);
    expect(after.session_start_limit.reset_after).toBeGreaterThan(0);
  });

  it('GET /gateway/bot refuses user accounts with 20002', async () => {
    const { url, server: hearth } = await start();
    const alice = await createAccount(hearth.context, 'alice');
    const response = await fetch(`${url}/api/v10/gateway/bot`, { headers: { Authorization: alice.token } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 20002 });
  });
});

describe('Gateway lifecycle', () => {
  it('sends HELLO with the configured heartbeat interval, then READY with complete guilds for users', async () => {
    const { url, server: hearth } = await start({ iceServers: [{ urls: 'stun:stun.example.org:3478' }], voiceMeshLimit: 8 });
    const alice = await createAccount(hearth.context, 'alice');
    const bob = await createAccount(hearth.context, 'bob');
    const { guild, text } = await createGuild(hearth.context, alice.user.id);
    await addMember(hearth.context, guild.id, bob.user.id);

    const client = await connect(url);
    expect(await client.hello()).toEqual({ heartbeat_interval: 1000 });
    const ready = await client.identify(alice.token);
    const envelope = client.received.find((p) => p.t === 'READY');
    expect(envelope).toMatchObject({ op: 0, s: 1, t: 'READY' });
    expect(ready).toMatchObject({
      v: 10,
      user: { id: alice.user.id, username: 'alice' },
      session_type: 'normal',
      private_channels: [],
      relationships: [],
      read_state: [],
      resume_gateway_url: `${url.replace('http', 'ws')}/gateway`,
      hearth: { ice_servers: [{ urls: 'stun:stun.example.org:3478' }], voice_mesh_limit: 8 },
    });
    expect(ready.session_id).toMatch(/^[0-9a-f]{32}$/);
    expect(ready.application).toBeUndefined();
    expect(ready.guilds).toHaveLength(1);
    const readyGuild = ready.guilds[0] as GatewayGuild;
    expect(readyGuild.id).toBe(guild.id);
    expect(readyGuild.unavailable).toBe(false);
    expect(readyGuild.channels.map((c) => c.id)).toEqual([text.id]);
    expect(readyGuild.roles.map((r) => r.id)).toEqual([guild.id]);
    expect(readyGuild.members.map((m) => m.user.id).sort()).toEqual([alice.user.id, bob.user.id].sort());
    expect(readyGuild.voice_states).toEqual([]);
    expect(readyGuild.presences).toEqual([
      { user: { id: alice.user.id }, guild_id: guild.id, status: 'online', activities: [], client_status: { web: 'online' } },
    ]);
  });

  it('uses Discord\'s defaults: HELLO asks for a heartbeat every 41250 ms; sessions resume for 3 minutes', async () => {
    expect(resolveConfig({})).toMatchObject({ heartbeatIntervalMs: 41_250, resumeWindowMs: 180_000 });
    server = await startTestServer();
    const client = await connect(server.url);
    expect(await client.hello()).toEqual({ heartbeat_interval: 41_250 });
  });

  it('answers heartbeats with op 11', async () => {
    const { url, server: hearth } = await start();
    const alice = await createAccount(hearth.context, 'alice');
    const client = await connect(url);
    await client.hello();
    client.send({ op: 1, d: null });
    expect(await client.next((p) => p.op !== 10)).toEqual({ op: 11, d: null, s: null, t: null });
    await client.identify(alice.token);
    await client.heartbeat();
  });

  it('gives bots unavailable guilds, their application, then one GUILD_CREATE per guild with consecutive s', async () => {
    const { url, server: hearth } = await start();
    const owner = await createAccount(hearth.context, 'owner');
    const bot = await createAccount(hearth.context, 'helperbot', { bot: true });
    const first = await createGuild(hearth.context, owner.user.id, 'First');
    const second = await createGuild(hearth.context, owner.user.id, 'Second');
    await addMember(hearth.context, first.guild.id, bot.user.id);
    await addMember(hearth.context, second.guild.id, bot.user.id);
    const application = await hearth.context.store.getApplicationByBotUser(bot.user.id);

    const client = await connect(url);
    await client.hello();
    // discord.js sends the raw token in IDENTIFY; "Bot <token>" is accepted too.
    const ready = await client.identify(bot.token, { intents: GatewayIntent.GUILDS | GatewayIntent.GUILD_MEMBERS });
    expect(ready.user).toMatchObject({ id: bot.user.id, bot: true });
    expect(ready.application).toEqual({ id: application?.id, flags: (1 << 12) | (1 << 14) | (1 << 18) });
    const unavailable: UnavailableGuild[] = [
      { id: first.guild.id, unavailable: true },
      { id: second.guild.id, unavailable: true },
    ];
    expect(ready.guilds).toEqual(expect.arrayContaining(unavailable));
    expect(ready.guilds).toHaveLength(2);
    const creates = [await client.waitForDispatch('GUILD_CREATE'), await client.waitForDispatch('GUILD_CREATE')];
    expect(creates.map((g) => g.name).sort()).toEqual(['First', 'Second']);
    expect(creates[0]?.members.map((m) => m.user.id).sort()).toEqual([bot.user.id, owner.user.id].sort());
    expect(client.received.filter((p) => p.op === 0).map((p) => p.s)).toEqual([1, 2, 3]);

    const prefixed = await connect(url);
    await prefixed.hello();
    expect((await prefixed.identify(`Bot ${bot.token}`, { intents: 0 })).user.id).toBe(bot.user.id);
  });

  it('accepts /gateway/ and a URL without query', async () => {
    const { url, server: hearth } = await start();
    const alice = await createAccount(hearth.context, 'alice');
    const slash = await connect(url, { path: '/gateway/', query: 'v=10&encoding=json' });
    await slash.hello();
    await slash.identify(alice.token);
    const bare = await connect(url, { query: '' });
    await bare.hello();
    await bare.identify(alice.token);
  });

  it('refuses upgrades on other paths or with a malformed URL, and keeps serving', async () => {
    const { url, server: hearth } = await start();
    const status = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/not-the-gateway`);
      ws.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      ws.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
    const { port } = new URL(url);
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write('GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const alice = await createAccount(hearth.context, 'alice');
    const client = await connect(url);
    await client.hello();
    await client.identify(alice.token);
  });

  it('asks a silent client for a heartbeat, then closes with 4009 and keeps the session resumable', async () => {
    const { url, server: hearth } = await start();
    const alice = await createAccount(hearth.context, 'alice');
    const client = await connect(url);
    await client.hello();
    const ready = await client.identify(alice.token);
    await client.next((p) => p.op === 1, 3000);
    expect((await client.waitForClose(3000)).code).toBe(4009);

    const again = await connect(url);
    await again.hello();
    again.sendResume(alice.token, ready.session_id, client.lastSeq);
    await again.waitForDispatch('RESUMED');
  });

  it('sends RECONNECT and closes with a resumable code on graceful shutdown', async () => {
    const { url, server: hearth } = await start();
    const alice = await createAccount(hearth.context, 'alice');
    const client = await connect(url);
    await client.hello();
    await client.identify(alice.token);
    const closing = server?.close();
    server = undefined;
    await client.next((p) => p.op === 7);
    expect((await client.waitForClose()).code).toBe(4000);
    await closing;
  });
});
