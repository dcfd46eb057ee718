import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/protocol/entities.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { addMember, createAccount, createGuild, type TestAccount, type TestGuild } from '../test-support/gateway-fixtures.js';

let server: TestServer;
let ctx: ServerContext;
let alice: TestAccount;
let bob: TestAccount;
let guild: TestGuild;
const clients: GatewayTestClient[] = [];
/** IDs of the messages published, in order. */
let published: Snowflake[] = [];

async function start(config: Parameters<typeof startTestServer>[0] = {}): Promise<void> {
  server = await startTestServer({ heartbeatIntervalMs: 30_000, ...config });
  ctx = server.server.context;
  alice = await createAccount(ctx, 'alice');
  bob = await createAccount(ctx, 'bob');
  guild = await createGuild(ctx, alice.user.id);
  await addMember(ctx, guild.guild.id, bob.user.id);
  published = [];
}

async function identified(account: TestAccount): Promise<GatewayTestClient> {
  const { client } = await GatewayTestClient.identified(server.url, account.token);
  clients.push(client);
  return client;
}

async function connect(): Promise<GatewayTestClient> {
  const client = await GatewayTestClient.connect(server.url);
  clients.push(client);
  await client.hello();
  return client;
}

/** Publishes a MESSAGE_CREATE in the guild's text channel, as the messages route does. */
function publishMessage(): Snowflake {
  const id = ctx.ids.next();
  const message: Message = {
    id, channel_id: guild.text.id, guild_id: guild.guild.id, content: `message ${published.length}`,
    author: { id: bob.user.id, username: 'bob', discriminator: '0', global_name: null, avatar: null },
    timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [],
    mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0,
  };
  published.push(id);
  ctx.events.publish({ t: 'MESSAGE_CREATE', d: message, audience: { kind: 'channel', guildId: guild.guild.id, channelId: guild.text.id } });
  return id;
}

function messageIds(...received: GatewayTestClient[]): Snowflake[] {
  return received.flatMap((client) => client.dispatches('MESSAGE_CREATE').map((m) => m.id));
}

function dispatchSeqs(...received: GatewayTestClient[]): number[] {
  return received.flatMap((client) => client.received.filter((p) => p.op === 0).map((p) => p.s as number));
}

/** Waits until the server noticed the dropped socket (the session is detached). */
async function waitDetached(sessionId: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (server.server.gateway.registry.get(sessionId)?.connection) {
    if (Date.now() > deadline) throw new Error('session never detached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server.close();
});

describe('Gateway resume', () => {
  it('replays exactly the missed events, in order, then RESUMED, while others keep sending', async () => {
    await start();
    const first = await identified(alice);
    const watcher = await identified(bob);
    const sessionId = first.sessionId as string;
    for (let i = 0; i < 5; i += 1) publishMessage();
    await first.waitUntil(() => first.dispatches('MESSAGE_CREATE').length === 5);

    // Some events reach the dying socket before the server notices; the replay covers them too.
    first.terminate();
    for (let i = 0; i < 5; i += 1) publishMessage();
    await waitDetached(sessionId);
    const sender = setInterval(publishMessage, 2);
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const second = await connect();
      second.sendResume(alice.token, sessionId, first.lastSeq);
      await second.waitForDispatch('RESUMED');
      await new Promise((resolve) => setTimeout(resolve, 30));
    } finally {
      clearInterval(sender);
    }
    const last = publishMessage();
    const second = clients.at(-1) as GatewayTestClient;
    await second.waitUntil(() => messageIds(second).includes(last));
    await watcher.waitUntil(() => messageIds(watcher).includes(last));

    const seen = messageIds(first, second);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(published);
    expect(messageIds(watcher)).toEqual(published);
    const seqs = dispatchSeqs(first, second);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    // Replayed events come before RESUMED; everything after it is live.
    const resumedAt = second.received.findIndex((p) => p.t === 'RESUMED');
    const replayed = second.received.slice(0, resumedAt).filter((p) => p.t === 'MESSAGE_CREATE');
    expect(replayed.length).toBeGreaterThanOrEqual(5);
  });

  it('answers op 9 d:false when the replay buffer dropped missed events, then accepts IDENTIFY', async () => {
    await start({ replayBufferSize: 10 });
    const first = await identified(alice);
    const sessionId = first.sessionId as string;
    first.terminate();
    await waitDetached(sessionId);
    for (let i = 0; i < 20; i += 1) publishMessage();
    const second = await connect();
    second.sendResume(alice.token, sessionId, first.lastSeq);
    expect(await second.next((p) => p.op === 9)).toEqual({ op: 9, d: false, s: null, t: null });
    const ready = await second.identify(alice.token);
    expect(ready.session_id).not.toBe(sessionId);
  });

  it('answers op 9 for an unknown session and for a session of another user', async () => {
    await start();
    const first = await identified(alice);
    first.terminate();
    await waitDetached(first.sessionId as string);
    const unknown = await connect();
    unknown.sendResume(alice.token, 'a'.repeat(32), 1);
    expect((await unknown.next((p) => p.op === 9)).d).toBe(false);
    const stranger = await connect();
    stranger.sendResume(bob.token, first.sessionId as string, first.lastSeq);
    expect((await stranger.next((p) => p.op === 9)).d).toBe(false);
  });

  it('takes the session over from a connection that is still open (zombie)', async () => {
    await start();
    const zombie = await identified(alice);
    const second = await connect();
    second.sendResume(alice.token, zombie.sessionId as string, zombie.lastSeq);
    await second.waitForDispatch('RESUMED');
    expect((await zombie.waitForClose()).code).toBe(4000);
    const id = publishMessage();
    await second.waitUntil(() => messageIds(second).includes(id));
  });

  it('ends the session after the resume window: RESUME then gets op 9', async () => {
    await start({ resumeWindowMs: 100 });
    const first = await identified(alice);
    const sessionId = first.sessionId as string;
    first.terminate();
    await waitDetached(sessionId);
    const deadline = Date.now() + 5000;
    while (server.server.gateway.registry.get(sessionId)) {
      if (Date.now() > deadline) throw new Error('session never ended');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = await connect();
    second.sendResume(alice.token, sessionId, first.lastSeq);
    expect((await second.next((p) => p.op === 9)).d).toBe(false);
  });
});
