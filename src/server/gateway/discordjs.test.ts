import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import { GatewayCloseCode } from '../../shared/errors.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { addMember, createAccount, createGuild, type TestAccount } from '../test-support/gateway-fixtures.js';
import { sendMessage } from '../test-support/messages.js';

let server: TestServer;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await server.close();
});

/** A user message in the channel, as sent through the REST API. */
function say(owner: TestAccount, channelId: string, content: string) {
  return sendMessage(server.url, { id: owner.user.id, token: owner.token, username: owner.user.username }, channelId, content);
}

function nextMessage(bot: Client): Promise<Message> {
  return new Promise((resolve) => bot.once(Events.MessageCreate, resolve));
}

describe('Gateway with discord.js', () => {
  it('logs a bot in through /gateway/bot, fills its caches from GUILD_CREATE, and delivers messages', async () => {
    server = await startTestServer({ heartbeatIntervalMs: 30_000 });
    const ctx = server.server.context;
    const owner = await createAccount(ctx, 'owner');
    const bot = await createAccount(ctx, 'djsbot', { bot: true });
    const { guild, text } = await createGuild(ctx, owner.user.id, 'Bots welcome');
    await addMember(ctx, guild.id, bot.user.id);

    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMembers],
      rest: { api: `${server.url}/api` },
    });
    const ready = new Promise((resolve) => client?.once(Events.ClientReady, resolve));
    await client.login(bot.token);
    await ready;
    const cached = client.guilds.cache.get(guild.id);
    expect(cached?.name).toBe('Bots welcome');
    expect(cached?.channels.cache.has(text.id)).toBe(true);
    expect(client.user?.id).toBe(bot.user.id);
    expect(client.application?.id).toBeDefined();

    // Without MESSAGE_CONTENT the content is empty unless the bot is mentioned.
    const plain = nextMessage(client);
    await say(owner, text.id, 'hello bot');
    expect(await plain).toMatchObject({ content: '', author: { id: owner.user.id } });
    const mention = nextMessage(client);
    await say(owner, text.id, `<@${bot.user.id}> hello`);
    expect((await mention).content).toBe(`<@${bot.user.id}> hello`);

    const members = await cached?.members.fetch();
    expect([...(members?.keys() ?? [])].sort()).toEqual([bot.user.id, owner.user.id].sort());
  });

  it('resumes after the server drops the socket and keeps receiving', async () => {
    server = await startTestServer({ heartbeatIntervalMs: 30_000 });
    const ctx = server.server.context;
    const owner = await createAccount(ctx, 'owner');
    const bot = await createAccount(ctx, 'djsbot', { bot: true });
    const { guild, text } = await createGuild(ctx, owner.user.id);
    await addMember(ctx, guild.id, bot.user.id);
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      rest: { api: `${server.url}/api` },
    });
    const ready = new Promise((resolve) => client?.once(Events.ClientReady, resolve));
    await client.login(bot.token);
    await ready;

    const contents: string[] = [];
    client.on(Events.MessageCreate, (message) => contents.push(message.content));
    const [session] = server.server.gateway.registry.sessionsOfUser(bot.user.id);
    const resumed = new Promise((resolve) => client?.once(Events.ShardResume, resolve));
    session?.connection?.close(GatewayCloseCode.UNKNOWN_ERROR, 'test drop');
    await say(owner, text.id, 'sent while the bot was away');
    await resumed;
    await say(owner, text.id, 'after the resume');
    const deadline = Date.now() + 5000;
    while (contents.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // Replayed from the session's buffer, then live: none lost, none twice.
    expect(contents).toEqual(['sent while the bot was away', 'after the resume']);
    expect(session?.connection).not.toBeNull();
  });
});
