import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GatewayIntent } from '../../shared/protocol/gateway.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient, gatewayUrlOf } from '../test-support/gateway-client.js';
import { createAccount, type TestAccount } from '../test-support/gateway-fixtures.js';

let server: TestServer;
let alice: TestAccount;
const clients: GatewayTestClient[] = [];

async function start(config: Parameters<typeof startTestServer>[0] = {}): Promise<void> {
  server = await startTestServer({ heartbeatIntervalMs: 30_000, ...config });
  alice = await createAccount(server.server.context, 'alice');
}

async function connect(options: Parameters<typeof GatewayTestClient.connect>[1] = {}): Promise<GatewayTestClient> {
  const client = await GatewayTestClient.connect(server.url, options);
  clients.push(client);
  return client;
}

/** A connected client that got HELLO (and READY when `identify`). */
async function ready(identify = true): Promise<GatewayTestClient> {
  const client = await connect();
  await client.hello();
  if (identify) await client.identify(alice.token);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server.close();
});

describe('Gateway close codes', () => {
  it('4001 for an unknown opcode', async () => {
    await start();
    const client = await ready();
    client.send({ op: 5, d: null });
    expect(await client.waitForClose()).toMatchObject({ code: 4001 });
  });

  it('4002 for a payload that is not JSON, has no op, or whose d does not parse', async () => {
    await start();
    const notJson = await ready(false);
    notJson.sendRaw('{"op": 1, "d": ');
    expect((await notJson.waitForClose()).code).toBe(4002);

    const noOp = await ready(false);
    noOp.sendRaw('[1, 2, 3]');
    expect((await noOp.waitForClose()).code).toBe(4002);

    const badIdentify = await ready(false);
    badIdentify.send({ op: 2, d: { token: 42 } });
    expect((await badIdentify.waitForClose()).code).toBe(4002);

    const badPresence = await ready();
    badPresence.send({ op: 3, d: { status: 'sleeping' } });
    expect((await badPresence.waitForClose()).code).toBe(4002);
  });

  it('4002 for a payload over 4096 bytes', async () => {
    await start();
    const client = await ready();
    client.send({ op: 1, d: null, padding: 'x'.repeat(4100) } as { op: number; d: unknown });
    expect((await client.waitForClose()).code).toBe(4002);
  });

  it('4002 for an encoding or compression the server does not speak', async () => {
    await start();
    const etf = await connect({ query: 'v=10&encoding=etf' });
    expect((await etf.waitForClose()).code).toBe(4002);
    const zstd = await connect({ query: 'v=10&encoding=json&compress=zstd-stream' });
    expect((await zstd.waitForClose()).code).toBe(4002);
  });

  it('4003 for a payload other than a heartbeat before IDENTIFY', async () => {
    await start();
    const client = await ready(false);
    client.setPresence('idle');
    expect((await client.waitForClose()).code).toBe(4003);
  });

  it('4003 for a connection that has not identified within the deadline, heartbeats or not', async () => {
    await start({ identifyTimeoutMs: 400 });
    const identifiedClient = await ready();
    const silent = await ready(false);
    const heartbeating = await ready(false);
    await heartbeating.heartbeat();
    expect(await silent.waitForClose()).toEqual({ code: 4003, reason: 'Not authenticated: IDENTIFY or RESUME within 0.4 seconds.' });
    expect((await heartbeating.waitForClose()).code).toBe(4003);
    // The identified connection keeps going.
    await identifiedClient.heartbeat();
  });

  it('refuses more unidentified connections from one address than the cap, with HTTP 429 before upgrading', async () => {
    await start({ maxUnidentifiedPerAddress: 3 });
    const waiting = [await ready(false), await ready(false), await ready(false)];
    /** The HTTP status of an upgrade attempt: 101 when accepted. */
    const upgradeStatus = () => new Promise<number>((resolve) => {
      const ws = new WebSocket(`${gatewayUrlOf(server.url)}?v=10&encoding=json`);
      ws.on('error', () => undefined);
      ws.once('upgrade', () => {
        resolve(101);
        ws.terminate();
      });
      ws.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
      });
    });
    expect(await upgradeStatus()).toBe(429);
    // Identifying frees the place (so does closing).
    await waiting[0]?.identify(alice.token);
    expect(await upgradeStatus()).toBe(101);
    waiting[1]?.terminate();
    await waiting[1]?.closed;
    await expect.poll(upgradeStatus).toBe(101);
    // Identified connections never count: the identified one and its successors are not refused.
    await ready();
  });

  it('4002 for a binary frame on a JSON connection, even one holding valid JSON', async () => {
    await start();
    const client = await ready();
    client.sendRaw(Buffer.from(JSON.stringify({ op: 1, d: client.lastSeq })));
    expect(await client.waitForClose()).toEqual({ code: 4002, reason: 'Binary frames are not accepted with encoding=json.' });
  });

  it('4004 for a bad token, on IDENTIFY and on RESUME', async () => {
    await start();
    const identify = await ready(false);
    identify.sendIdentify('not-a-token');
    expect(await identify.waitForClose()).toEqual({ code: 4004, reason: 'Invalid authentication token provided' });
    const resume = await ready(false);
    resume.sendResume('not-a-token', 'f'.repeat(32), 1);
    expect((await resume.waitForClose()).code).toBe(4004);
  });

  it('4005 for a second IDENTIFY', async () => {
    await start();
    const client = await ready();
    client.sendIdentify(alice.token);
    expect((await client.waitForClose()).code).toBe(4005);
  });

  it('4007 for a RESUME with a sequence number the session never reached', async () => {
    await start();
    const first = await ready();
    const sessionId = first.sessionId as string;
    first.terminate();
    const second = await ready(false);
    second.sendResume(alice.token, sessionId, 99);
    expect((await second.waitForClose()).code).toBe(4007);
  });

  it('4008 for more than 120 payloads in 60 seconds', async () => {
    await start();
    const client = await ready();
    for (let i = 0; i < 121; i += 1) client.send({ op: 1, d: client.lastSeq });
    expect((await client.waitForClose()).code).toBe(4008);
    // IDENTIFY was the first of the 120 allowed: 119 heartbeats were answered, the next one closed.
    expect(client.received.filter((p) => p.op === 11)).toHaveLength(119);
  });

  it('4008 for more than 5 presence updates in 20 seconds', async () => {
    await start();
    const client = await ready();
    for (const status of ['idle', 'dnd', 'online', 'idle', 'dnd', 'online'] as const) client.setPresence(status);
    expect((await client.waitForClose()).code).toBe(4008);
  });

  it('4008 when a user starts more sessions than the identify limit', async () => {
    await start({ identifyLimit: 2 });
    await ready();
    await ready();
    const third = await ready(false);
    third.sendIdentify(alice.token);
    expect((await third.waitForClose()).code).toBe(4008);
  });

  it('4010 for a shard other than [0, 1]', async () => {
    await start();
    const client = await ready(false);
    client.sendIdentify(alice.token, { shard: [1, 2] });
    expect((await client.waitForClose()).code).toBe(4010);
  });

  it('4012 for an API version other than 10', async () => {
    await start();
    const client = await connect({ query: 'v=9&encoding=json' });
    expect((await client.waitForClose()).code).toBe(4012);
  });

  it('4013 for unknown intent bits, and for a bot that sends no intents', async () => {
    await start();
    const client = await ready(false);
    client.sendIdentify(alice.token, { intents: 1 << 30 });
    expect((await client.waitForClose()).code).toBe(4013);
    const bot = await createAccount(server.server.context, 'quietbot', { bot: true });
    const botClient = await ready(false);
    botClient.sendIdentify(bot.token);
    expect((await botClient.waitForClose()).code).toBe(4013);
    const fine = await ready(false);
    expect((await fine.identify(bot.token, { intents: GatewayIntent.GUILDS })).user.id).toBe(bot.user.id);
  });

  it('keeps serving everyone else while one client sends garbage', async () => {
    await start();
    const healthy = await ready();
    const attacker = await ready(false);
    attacker.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    expect((await attacker.waitForClose()).code).toBe(4002);
    await healthy.heartbeat();
    const newcomer = await ready();
    await newcomer.heartbeat();
  });
});
