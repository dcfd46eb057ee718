// A plain discord.js v14 bot. The only Hearth-specific line is `rest.api`: the bot talks to your
// Hearth server instead of discord.com, and finds the gateway through its GET /gateway/bot.
import { Client, Events, GatewayIntentBits } from 'discord.js';

const server = process.env.HEARTH_URL ?? 'http://localhost:8080';
const token = process.env.BOT_TOKEN;
if (!token) {
  console.error('Set BOT_TOKEN to the token printed when the bot was created.');
  process.exit(1);
}

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
  rest: { api: `${server}/api` },
});

client.once(Events.ClientReady, (ready) => {
  console.log(`Logged in as ${ready.user.username}, in ${ready.guilds.cache.size} guild(s)`);
});

client.on(Events.MessageCreate, async (message) => {
  if (message.author.bot || message.content !== '!ping') return;
  await message.reply('pong');
});

await client.login(token);
