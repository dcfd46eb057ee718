/**
 * Voice test setup over the real API: a server, a guild with its starter voice channel, members
 * joined by invite, and identified gateway clients that send op 4 / op 40.
 */
import type { VoiceState } from '../../../shared/protocol/entities.js';
import type { VoiceErrorData } from '../../../shared/protocol/gateway.js';
import type { ServerConfigInput } from '../../config.js';
import { api, createGuild, joinGuild, registerUser, type TestGuild, type TestUser } from '../../test-support/api.js';
import { GatewayTestClient } from '../../test-support/gateway-client.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';

export interface VoiceWorld {
  server: TestServer;
  url: string;
  owner: TestUser;
  guild: TestGuild;
  guildId: string;
  /** The starter "General" voice channel. */
  voiceId: string;
}

/** A server and a guild owned by a fresh user. */
export async function startVoiceWorld(config: ServerConfigInput = {}): Promise<VoiceWorld> {
  const server = await startTestServer(config);
  const owner = await registerUser(server.url);
  const guild = await createGuild(server.url, owner);
  return { server, url: server.url, owner, guild, guildId: guild.guild.id, voiceId: guild.voice.id };
}

/** A new user who joined the guild by invite. */
export async function addVoiceMember(world: VoiceWorld): Promise<TestUser> {
  const user = await registerUser(world.url);
  await joinGuild(world.url, world.owner, world.guild.general.id, user);
  return user;
}

/** An identified gateway client of `user` (every intent). */
export async function connectGateway(world: VoiceWorld, user: TestUser): Promise<GatewayTestClient> {
  const { client } = await GatewayTestClient.identified(world.url, user.token);
  return client;
}

/** Sends op 4. */
export function sendVoiceState(client: GatewayTestClient, guildId: string, channelId: string | null, self: { mute?: boolean; deaf?: boolean } = {}): void {
  client.send({ op: 4, d: { guild_id: guildId, channel_id: channelId, self_mute: self.mute ?? false, self_deaf: self.deaf ?? false } });
}

/** Sends op 4 and waits for the server to confirm the user's state in that channel. */
export async function joinVoice(client: GatewayTestClient, guildId: string, channelId: string, self: { mute?: boolean; deaf?: boolean } = {}): Promise<VoiceState> {
  sendVoiceState(client, guildId, channelId, self);
  return client.waitForDispatch('VOICE_STATE_UPDATE', (d) => d.session_id === client.sessionId && d.channel_id === channelId);
}

/** The next HEARTH_VOICE_ERROR the client receives. */
export function nextVoiceError(client: GatewayTestClient): Promise<VoiceErrorData> {
  return client.waitForDispatch('HEARTH_VOICE_ERROR');
}

/** Creates another voice channel in the world's guild. */
export async function createVoiceChannel(world: VoiceWorld, body: { name: string; user_limit?: number }): Promise<string> {
  const response = await api<{ id: string }>(world.url, 'POST', `/guilds/${world.guildId}/channels`, { token: world.owner.token, body: { type: 2, ...body } });
  if (response.status !== 201 && response.status !== 200) throw new Error(`create channel failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}
