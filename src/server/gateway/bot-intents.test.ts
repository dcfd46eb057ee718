/**
 * GUILD_PRESENCES and GUILD_VOICE_STATES for bots: with the intent a bot's GUILD_CREATE carries
 * the guild's presences and voice states and it receives their updates; without it, it receives
 * neither presences nor their updates (as on Discord).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayIntent } from '../../shared/protocol/gateway.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { addMember, createAccount } from '../test-support/gateway-fixtures.js';
import { joinVoice, sendVoiceState, startVoiceWorld, type VoiceWorld } from '../voice/test-support/voice-world.js';

let world: VoiceWorld;
const clients: GatewayTestClient[] = [];

/** A bot account in the world's guild, identified with `intents`. */
async function botWith(name: string, intents: number): Promise<GatewayTestClient> {
  const ctx = world.server.server.context;
  const bot = await createAccount(ctx, name, { bot: true });
  await addMember(ctx, world.guildId, bot.user.id);
  const { client } = await GatewayTestClient.identified(world.url, bot.token, { intents });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  world = await startVoiceWorld({ heartbeatIntervalMs: 30_000 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await world.server.close();
});

describe('Bot intents for presences and voice states', () => {
  it('gives presences and voice states, and their updates, only to bots that asked for them', async () => {
    const { client: owner } = await GatewayTestClient.identified(world.url, world.owner.token);
    clients.push(owner);
    await joinVoice(owner, world.guildId, world.voiceId);

    const watcher = await botWith('watcherbot', GatewayIntent.GUILDS | GatewayIntent.GUILD_PRESENCES | GatewayIntent.GUILD_VOICE_STATES);
    const blind = await botWith('blindbot', GatewayIntent.GUILDS);
    const watched = await watcher.waitForDispatch('GUILD_CREATE');
    expect(watched.presences).toContainEqual(expect.objectContaining({ user: { id: world.owner.id }, status: 'online', guild_id: world.guildId }));
    expect(watched.voice_states).toEqual([expect.objectContaining({ user_id: world.owner.id, channel_id: world.voiceId })]);
    const unwatched = await blind.waitForDispatch('GUILD_CREATE');
    expect(unwatched.presences).toEqual([]);

    owner.setPresence('dnd');
    expect(await watcher.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === world.owner.id && p.status === 'dnd')).toMatchObject({
      guild_id: world.guildId,
    });
    sendVoiceState(owner, world.guildId, null);
    await watcher.waitForDispatch('VOICE_STATE_UPDATE', (v) => v.user_id === world.owner.id && v.channel_id === null);
    // The fanout delivered both events to every recipient before the watcher could read them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(blind.dispatches('PRESENCE_UPDATE')).toEqual([]);
    expect(blind.dispatches('VOICE_STATE_UPDATE')).toEqual([]);
  });
});
