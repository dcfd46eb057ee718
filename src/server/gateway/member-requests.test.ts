import { afterEach, describe, expect, it } from 'vitest';
import { GatewayIntent } from '../../shared/protocol/gateway.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { addMember, createAccount, createGuild } from '../test-support/gateway-fixtures.js';

let server: TestServer;
afterEach(async () => server.close());

describe('REQUEST_GUILD_MEMBERS (op 8)', () => {
  it('answers by name prefix and by user IDs with GUILD_MEMBERS_CHUNK, and ignores other guilds', async () => {
    server = await startTestServer({ heartbeatIntervalMs: 30_000 });
    const ctx = server.server.context;
    const alice = await createAccount(ctx, 'alice');
    const albert = await createAccount(ctx, 'albert');
    const bob = await createAccount(ctx, 'bob');
    const bot = await createAccount(ctx, 'memberbot', { bot: true });
    const { guild } = await createGuild(ctx, alice.user.id);
    const elsewhere = await createGuild(ctx, bob.user.id, 'Elsewhere');
    for (const account of [albert, bob, bot]) await addMember(ctx, guild.id, account.user.id);

    const { client } = await GatewayTestClient.identified(server.url, bot.token, {
      intents: GatewayIntent.GUILDS | GatewayIntent.GUILD_MEMBERS | GatewayIntent.GUILD_PRESENCES,
    });
    await client.waitForDispatch('GUILD_CREATE');

    client.send({ op: 8, d: { guild_id: elsewhere.guild.id, query: '', limit: 0, nonce: 'not-mine' } });
    client.send({ op: 8, d: { guild_id: guild.id, query: 'AL', limit: 10, nonce: 'by-name' } });
    const byName = await client.waitForDispatch('GUILD_MEMBERS_CHUNK');
    expect(byName).toMatchObject({ guild_id: guild.id, chunk_index: 0, chunk_count: 1, nonce: 'by-name' });
    expect(byName.members.map((m) => m.user.username).sort()).toEqual(['albert', 'alice']);
    expect(byName.presences).toBeUndefined();

    const unknownId = ctx.ids.next();
    client.send({ op: 8, d: { guild_id: guild.id, user_ids: [bob.user.id, unknownId], presences: true, nonce: 'by-id' } });
    const byId = await client.waitForDispatch('GUILD_MEMBERS_CHUNK');
    expect(byId).toMatchObject({ nonce: 'by-id', not_found: [unknownId], presences: [] });
    expect(byId.members.map((m) => m.user.id)).toEqual([bob.user.id]);

    client.send({ op: 8, d: { guild_id: guild.id, query: '', limit: 0 } });
    const everyone = await client.waitForDispatch('GUILD_MEMBERS_CHUNK');
    expect(everyone.members).toHaveLength(4);
    expect(client.dispatches('GUILD_MEMBERS_CHUNK').map((c) => c.nonce)).toEqual(['by-name', 'by-id', undefined]);
    client.terminate();
  });
});
