/**
 * A discord.js v14 bot, changed only in its API base URL, against a Hearth server: the bot is
 * created and added through the applications API, as a user would, then logs in with its token.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, EmbedBuilder, Events, GatewayIntentBits, PermissionFlagsBits, type Guild, type Message, type TextChannel } from 'discord.js';
import { GatewayCloseCode } from '../shared/errors.js';
import { Permission } from '../shared/permissions.js';
import type { Message as WireMessage } from '../shared/protocol/entities.js';
import type { CreatedApplication } from '../shared/protocol/rest.js';
import { api, createGuild, registerUser, type TestGuild, type TestUser } from './test-support/api.js';
import { GatewayTestClient } from './test-support/gateway-client.js';
import { startTestServer, type TestServer } from './test-support/server.js';

let server: TestServer;
let owner: TestUser;
let guild: TestGuild;
let app: CreatedApplication;
let ownerGateway: GatewayTestClient;
let bot: Client;

const BOT_PERMISSIONS = Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES | Permission.ADD_REACTIONS | Permission.READ_MESSAGE_HISTORY
  | Permission.EMBED_LINKS;

async function createApplication(name: string): Promise<CreatedApplication> {
  const response = await api<CreatedApplication>(server.url, 'POST', '/applications', { token: owner.token, body: { name } });
  expect(response.status).toBe(201);
  return response.body;
}

async function addToGuild(application: CreatedApplication, permissions: bigint): Promise<void> {
  const response = await api(server.url, 'POST', `/guilds/${guild.guild.id}/bots`, {
    token: owner.token, body: { application_id: application.id, permissions: permissions.toString() },
  });
  expect(response.status).toBe(201);
}

/** A discord.js client whose only Hearth-specific option is the API base URL. */
function discordClient(intents: GatewayIntentBits[]): Client {
  return new Client({ intents, rest: { api: `${server.url}/api` } });
}

async function login(client: Client, token: string): Promise<void> {
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  await ready;
}

/** Resolves with the first value `subscribe` delivers that matches, then unsubscribes. */
function first<T>(subscribe: (listener: (value: T) => void) => () => void, match: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const unsubscribe = subscribe((value) => {
      if (!match(value)) return;
      unsubscribe();
      resolve(value);
    });
  });
}

function nextMessage(client: Client, match: (message: Message) => boolean): Promise<Message> {
  return first<Message>((listener) => {
    client.on(Events.MessageCreate, listener);
    return () => client.off(Events.MessageCreate, listener);
  }, match);
}

function nextGuild(client: Client, match: (guild: Guild) => boolean): Promise<Guild> {
  return first<Guild>((listener) => {
    client.on(Events.GuildCreate, listener);
    return () => client.off(Events.GuildCreate, listener);
  }, match);
}

/** The owner posts in #general over REST, as the Hearth client does. */
async function ownerSays(content: string): Promise<WireMessage> {
  const response = await api<WireMessage>(server.url, 'POST', `/channels/${guild.general.id}/messages`, { token: owner.token, body: { content } });
  expect(response.status).toBe(200);
  return response.body;
}

function channel(): TextChannel {
  return bot.channels.cache.get(guild.general.id) as TextChannel;
}

beforeAll(async () => {
  server = await startTestServer({ heartbeatIntervalMs: 30_000 });
  owner = await registerUser(server.url);
  guild = await createGuild(server.url, owner, 'Bot Lounge');
  app = await createApplication('Echo');
  await addToGuild(app, BOT_PERMISSIONS);
  ownerGateway = (await GatewayTestClient.identified(server.url, owner.token)).client;
  bot = discordClient([
    GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent,
    GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.GuildMembers,
  ]);
  await login(bot, app.token);
});

afterAll(async () => {
  await bot.destroy();
  await ownerGateway.close();
  await server.close();
});

describe('a discord.js bot on Hearth', () => {
  it('logs in as the application bot, with the guild, its managed role and its application', async () => {
    expect(bot.user).toMatchObject({ id: app.bot?.id, bot: true, username: 'echo' });
    const cached = bot.guilds.cache.get(guild.guild.id) as Guild;
    expect(cached.name).toBe('Bot Lounge');
    const role = cached.roles.cache.find((r) => r.managed);
    expect(role).toMatchObject({ name: 'Echo', tags: { botId: app.bot?.id } });
    expect(cached.members.me?.roles.cache.has(role!.id)).toBe(true);
    expect(channel().permissionsFor(bot.user!)?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(channel().permissionsFor(bot.user!)?.has(PermissionFlagsBits.ManageMessages)).toBe(false);
    const application = await bot.application!.fetch();
    expect(application).toMatchObject({ id: app.id, name: 'Echo' });
    expect(application.owner?.id).toBe(owner.id);
  });

  it('receives a user message and replies; the user sees the reply with the bot as author', async () => {
    const received = nextMessage(bot, (m) => m.author.id === owner.id);
    const sent = await ownerSays('!ping');
    const message = await received;
    expect(message).toMatchObject({ id: sent.id, content: '!ping', channelId: guild.general.id, guildId: guild.guild.id });
    expect(message.member?.id).toBe(owner.id);

    const reply = await message.reply('pong');
    const seen = await ownerGateway.waitForDispatch('MESSAGE_CREATE', (d) => d.id === reply.id);
    expect(seen).toMatchObject({
      content: 'pong', author: { id: app.bot?.id, bot: true, username: 'echo' }, message_reference: { message_id: sent.id },
    });
  });

  it('sends an embed, reacts, edits and deletes, and the user sees each change', async () => {
    const sent = await channel().send({ embeds: [new EmbedBuilder().setTitle('Status').setDescription('All good').setColor(0x57f287)] });
    const created = await ownerGateway.waitForDispatch('MESSAGE_CREATE', (d) => d.id === sent.id);
    expect(created.embeds[0]).toMatchObject({ title: 'Status', description: 'All good', color: 0x57f287 });

    await sent.react('✅');
    const reaction = await ownerGateway.waitForDispatch('MESSAGE_REACTION_ADD', (d) => d.message_id === sent.id);
    expect(reaction).toMatchObject({ user_id: app.bot?.id, emoji: { name: '✅' } });

    const edited = await sent.edit({ content: 'Status: all good', embeds: [] });
    expect(edited.content).toBe('Status: all good');
    const update = await ownerGateway.waitForDispatch('MESSAGE_UPDATE', (d) => d.id === sent.id);
    expect(update).toMatchObject({ content: 'Status: all good', embeds: [] });

    await sent.delete();
    expect(await ownerGateway.waitForDispatch('MESSAGE_DELETE', (d) => d.id === sent.id)).toMatchObject({ channel_id: guild.general.id });
  });

  it('gets Discord-shaped errors that discord.js turns into DiscordAPIError', async () => {
    const sent = await channel().send('short-lived');
    await sent.delete();
    // Asked of the server (`force`): discord.js drops its cached copy only when MESSAGE_DELETE arrives,
    // which may come after the DELETE's response.
    const gone = await channel().messages.fetch({ message: sent.id, force: true }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(DiscordAPIError);
    expect(gone).toMatchObject({ status: 404, code: 10008, message: 'Unknown Message' });

    // The bot's role lacks MANAGE_MESSAGES: deleting the owner's message is refused.
    const owners = await ownerSays('not yours to delete');
    const cached = await channel().messages.fetch(owners.id);
    const refused = await cached.delete().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect(refused).toMatchObject({ status: 403, code: 50013, message: 'Missing Permissions' });
  });

  it('fetches guild members and channel history', async () => {
    const members = await bot.guilds.cache.get(guild.guild.id)!.members.fetch();
    expect([...members.keys()].sort()).toEqual([owner.id, app.bot!.id].sort());
    expect(members.get(app.bot!.id)?.user.bot).toBe(true);

    for (const content of ['one', 'two', 'three']) await ownerSays(content);
    const history = await channel().messages.fetch({ limit: 2 });
    expect([...history.values()].map((m) => m.content)).toEqual(['three', 'two']);
  });

  it('gets GUILD_CREATE when added to another guild while connected', async () => {
    const second = await createGuild(server.url, owner, 'Second Home');
    const joined = nextGuild(bot, (g) => g.id === second.guild.id);
    const response = await api(server.url, 'POST', `/guilds/${second.guild.id}/bots`, { token: owner.token, body: { application_id: app.id, permissions: '1024' } });
    expect(response.status).toBe(201);
    const created = await joined;
    expect(created.name).toBe('Second Home');
    expect(created.channels.cache.has(second.general.id)).toBe(true);
  });
});

describe('privileged intents', () => {
  it('refuses a privileged intent the application has switched off with 4014', async () => {
    const quiet = await createApplication('Quiet');
    await addToGuild(quiet, Permission.VIEW_CHANNEL);
    const patched = await api(server.url, 'PATCH', `/applications/${quiet.id}`, { token: owner.token, body: { flags: 1 << 14 } });
    expect(patched.status).toBe(200);
    const client = await GatewayTestClient.connect(server.url);
    await client.hello();
    client.sendIdentify(quiet.token, { intents: GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent });
    expect((await client.waitForClose()).code).toBe(GatewayCloseCode.DISALLOWED_INTENTS);

    // GUILD_MEMBERS stays allowed, and without MESSAGE_CONTENT messages arrive without content.
    const allowed = discordClient([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMembers]);
    try {
      await login(allowed, quiet.token);
      const received = nextMessage(allowed, (m) => m.author.id === owner.id);
      const secret = await ownerSays('secret plans');
      expect((await received).content).toBe('');
      // REST gives no way around it; a message that mentions the bot keeps its content.
      const mention = await ownerSays(`<@${quiet.bot?.id}> hello`);
      const history = await api<WireMessage[]>(server.url, 'GET', `/channels/${guild.general.id}/messages?limit=2`, { token: `Bot ${quiet.token}` });
      expect(history.body.map((m) => [m.id, m.content])).toEqual([[mention.id, `<@${quiet.bot?.id}> hello`], [secret.id, '']]);
      const one = await api<WireMessage>(server.url, 'GET', `/channels/${guild.general.id}/messages/${secret.id}`, { token: `Bot ${quiet.token}` });
      expect(one.body).toMatchObject({ id: secret.id, content: '', author: { id: owner.id } });
      const full = await api<WireMessage>(server.url, 'GET', `/channels/${guild.general.id}/messages/${secret.id}`, { token: `Bot ${app.token}` });
      expect(full.body.content).toBe('secret plans');
    } finally {
      await allowed.destroy();
    }
  });

  it('ends the bot\'s live sessions with 4004 when its token is reset', async () => {
    const resettable = await createApplication('Resettable');
    await addToGuild(resettable, Permission.VIEW_CHANNEL);
    const { client } = await GatewayTestClient.identified(server.url, `Bot ${resettable.token}`, { intents: GatewayIntentBits.Guilds });
    const reset = await api<{ token: string }>(server.url, 'POST', `/applications/${resettable.id}/bot/reset`, { token: owner.token });
    expect(reset.status).toBe(200);
    expect((await client.waitForClose()).code).toBe(GatewayCloseCode.AUTHENTICATION_FAILED);
    const again = await GatewayTestClient.identified(server.url, `Bot ${reset.body.token}`, { intents: GatewayIntentBits.Guilds });
    expect(again.ready.user.id).toBe(resettable.bot?.id);
    await again.client.close();
  });

  it('closes with 4013 for intent bits that do not exist', async () => {
    const client = await GatewayTestClient.connect(server.url);
    await client.hello();
    client.sendIdentify(`Bot ${app.token}`, { intents: 1 << 30 });
    expect((await client.waitForClose()).code).toBe(GatewayCloseCode.INVALID_INTENTS);
  });
});

describe('examples/ping-bot', () => {
  it('answers !ping with pong, unchanged but for the server URL', async () => {
    const pinger = await createApplication('Pinger');
    await addToGuild(pinger, BOT_PERMISSIONS);
    const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/ping-bot/index.js');
    const child = spawn(process.execPath, [script], { env: { ...process.env, HEARTH_URL: server.url, BOT_TOKEN: pinger.token }, stdio: 'pipe' });
    try {
      const output: string[] = [];
      const loggedIn = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('Logged in as pinger')) resolve();
      }));
      await loggedIn;
      const asked = await ownerSays('!ping');
      const answer = await ownerGateway.waitForDispatch('MESSAGE_CREATE', (d) => d.author.id === pinger.bot?.id);
      expect(answer).toMatchObject({ content: 'pong', message_reference: { message_id: asked.id } });
    } finally {
      child.kill();
    }
  });
});
