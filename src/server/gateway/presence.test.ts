import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayGuild } from '../../shared/protocol/gateway.js';
import type { ServerContext } from '../context.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { addMember, createAccount, createGuild, type TestAccount } from '../test-support/gateway-fixtures.js';

let server: TestServer;
let ctx: ServerContext;
let alice: TestAccount;
let bob: TestAccount;
let carol: TestAccount;
let guildId: string;
const clients: GatewayTestClient[] = [];

/** alice and bob share a guild; carol shares none with them. */
async function start(config: Parameters<typeof startTestServer>[0] = {}): Promise<void> {
  server = await startTestServer({ heartbeatIntervalMs: 30_000, ...config });
  ctx = server.server.context;
  alice = await createAccount(ctx, 'alice');
  bob = await createAccount(ctx, 'bob');
  carol = await createAccount(ctx, 'carol');
  guildId = (await createGuild(ctx, alice.user.id)).guild.id;
  await addMember(ctx, guildId, bob.user.id);
  await createGuild(ctx, carol.user.id, 'Carol alone');
}

async function identified(account: TestAccount, identify: Parameters<typeof GatewayTestClient.identified>[2] = {}): Promise<GatewayTestClient> {
  const { client } = await GatewayTestClient.identified(server.url, account.token, identify);
  clients.push(client);
  return client;
}

function presencesOf(client: GatewayTestClient, userId: string) {
  return client.dispatches('PRESENCE_UPDATE').filter((p) => p.user.id === userId);
}

/** Publishes a USER_UPDATE to the clients' users and waits for it: everything before it was delivered. */
async function settle(...receivers: [GatewayTestClient, TestAccount][]): Promise<void> {
  const marker = `marker ${Math.random()}`;
  ctx.events.publish({
    t: 'USER_UPDATE',
    d: { id: alice.user.id, username: 'alice', discriminator: '0', global_name: marker, avatar: null },
    audience: { kind: 'users', userIds: receivers.map(([, account]) => account.user.id) },
  });
  for (const [client] of receivers) await client.waitForDispatch('USER_UPDATE', (u) => u.global_name === marker);
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server.close();
});

describe('Gateway presence', () => {
  it('sends PRESENCE_UPDATE only to users who share a guild, with the guild ID', async () => {
    await start();
    const aliceClient = await identified(alice);
    const carolClient = await identified(carol);
    const bobClient = await identified(bob);
    expect(await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id)).toEqual({
      user: { id: bob.user.id }, guild_id: guildId, status: 'online', activities: [], client_status: { web: 'online' },
    });
    bobClient.setPresence('idle', [{ name: 'Factorio', type: 0 }]);
    expect(await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id)).toMatchObject({
      status: 'idle', activities: [{ name: 'Factorio', type: 0 }], client_status: { web: 'idle' },
    });
    await settle([aliceClient, alice], [carolClient, carol]);
    expect(presencesOf(carolClient, bob.user.id)).toEqual([]);
    expect(presencesOf(carolClient, alice.user.id)).toEqual([]);
  });

  it('shows an invisible user as offline, in READY and in updates, and sends nothing when nothing visible changed', async () => {
    await start();
    const bobClient = await identified(bob, { presence: { status: 'invisible', since: null, activities: [], afk: false } });
    const aliceClient = await identified(alice);
    const guild = aliceClient.dispatches('READY')[0]?.guilds[0] as GatewayGuild;
    expect(guild.presences.map((p) => p.user.id)).toEqual([alice.user.id]);

    bobClient.setPresence('dnd');
    await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id && p.status === 'dnd');
    bobClient.setPresence('invisible');
    expect(await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id)).toEqual({
      user: { id: bob.user.id }, guild_id: guildId, status: 'offline', activities: [], client_status: {},
    });
    bobClient.setPresence('invisible');
    bobClient.setPresence('invisible');
    await settle([aliceClient, alice]);
    expect(presencesOf(aliceClient, bob.user.id).map((p) => p.status)).toEqual(['dnd', 'offline']);
  });

  it('merges a user\'s sessions into one status with client_status per platform', async () => {
    await start();
    const aliceClient = await identified(alice);
    const web = await identified(bob);
    await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id);
    web.setPresence('idle');
    await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id && p.status === 'idle');
    await identified(bob, { properties: { os: 'linux', browser: 'Hearth Desktop', device: 'Hearth Desktop' } });
    expect(await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id)).toMatchObject({
      status: 'online', client_status: { web: 'idle', desktop: 'online' },
    });
  });

  it('takes a user offline when the last session ends after the resume window', async () => {
    await start({ resumeWindowMs: 150 });
    const aliceClient = await identified(alice);
    const bobClient = await identified(bob);
    await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id && p.status === 'online');
    const droppedAt = Date.now();
    bobClient.terminate();
    expect(await aliceClient.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === bob.user.id)).toMatchObject({ status: 'offline' });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(150);
  });
});
