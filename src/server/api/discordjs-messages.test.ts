import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentBuilder, Client, EmbedBuilder, Events, GatewayIntentBits, type TextChannel } from 'discord.js';
import { addMember, createAccount, createGuild, type TestAccount } from '../test-support/gateway-fixtures.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
let client: Client;
let channel: TextChannel;
let owner: TestAccount;

beforeAll(async () => {
  server = await startTestServer({ heartbeatIntervalMs: 30_000 });
  const ctx = server.server.context;
  owner = await createAccount(ctx, 'owner');
  const bot = await createAccount(ctx, 'poster', { bot: true });
  const { guild, text } = await createGuild(ctx, owner.user.id, 'Bots post here');
  await addMember(ctx, guild.id, bot.user.id);
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMessageReactions],
    rest: { api: `${server.url}/api` },
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(bot.token);
  await ready;
  channel = client.channels.cache.get(text.id) as TextChannel;
});

afterAll(async () => {
  await client.destroy();
  await server.close();
});

describe('messages through discord.js', () => {
  it('sends content, an embed and a file, and reads them back', async () => {
    const sent = await channel.send({
      content: 'release notes',
      embeds: [new EmbedBuilder().setTitle('v1.2').setDescription('Faster voice').setColor(0x5865f2).addFields({ name: 'Size', value: '12 MB' })],
      files: [new AttachmentBuilder(Buffer.from('changelog'), { name: 'CHANGELOG.txt', description: 'full list' })],
    });
    expect(sent.content).toBe('release notes');
    expect(sent.embeds[0]?.title).toBe('v1.2');
    expect(sent.embeds[0]?.fields).toEqual([{ name: 'Size', value: '12 MB', inline: false }]);
    const file = sent.attachments.first();
    expect(file).toMatchObject({ name: 'CHANGELOG.txt', size: 9, description: 'full list' });
    expect(await (await fetch(file!.url)).text()).toBe('changelog');

    const fetched = await channel.messages.fetch({ limit: 5, cache: false });
    expect(fetched.first()?.id).toBe(sent.id);
  });

  it('replies, edits, reacts and deletes', async () => {
    const original = await channel.send('first');
    const reply = await original.reply('second');
    expect(reply.reference?.messageId).toBe(original.id);
    const edited = await reply.edit('second, edited');
    expect(edited.content).toBe('second, edited');
    expect(edited.editedTimestamp).not.toBeNull();

    await original.react('👍');
    const again = await channel.messages.fetch({ message: original.id, force: true });
    expect(again.reactions.cache.get('👍')?.count).toBe(1);
    const users = await again.reactions.cache.get('👍')!.users.fetch();
    expect([...users.keys()]).toEqual([client.user!.id]);

    await reply.delete();
    await expect(channel.messages.fetch({ message: reply.id, force: true })).rejects.toMatchObject({ code: 10008 });
  });

  it('sees its typing accepted and the channel history paged', async () => {
    await channel.sendTyping();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await channel.send(`page ${i}`)).id);
    const before = await channel.messages.fetch({ before: ids[3], limit: 2, cache: false });
    expect([...before.keys()]).toEqual([ids[2], ids[1]]);
    const after = await channel.messages.fetch({ after: ids[0], limit: 2, cache: false });
    expect([...after.keys()]).toEqual([ids[2], ids[1]]);
  });
});
