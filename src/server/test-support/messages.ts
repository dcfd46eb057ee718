/**
 * Fixtures for message tests over real HTTP: one server with an owner, a member and an outsider
 * in one guild, a fresh text channel per test, and a recorder of published events.
 */
import type { Channel, Message } from '../../shared/protocol/entities.js';
import type { HearthEvent } from '../bus/events.js';
import { api, createGuild, joinGuild, registerUser, type ApiResponse, type TestGuild, type TestUser } from './api.js';
import { startTestServer, type TestServer } from './server.js';

export interface MessageWorld {
  server: TestServer;
  url: string;
  owner: TestUser;
  member: TestUser;
  /** Registered but not in the guild. */
  outsider: TestUser;
  guild: TestGuild;
  /** Every event published since the world started, in order. */
  events: HearthEvent[];
  /** A new text channel in the guild. */
  newChannel(name?: string): Promise<Channel>;
  close(): Promise<void>;
}

/** Starts a server and sets up the owner, member and outsider. */
export async function startMessageWorld(config: Parameters<typeof startTestServer>[0] = {}): Promise<MessageWorld> {
  const server = await startTestServer(config);
  const { url } = server;
  const events: HearthEvent[] = [];
  const unsubscribe = server.server.context.events.subscribe((event) => events.push(event));
  const owner = await registerUser(url);
  const member = await registerUser(url);
  const outsider = await registerUser(url);
  const guild = await createGuild(url, owner);
  await joinGuild(url, owner, guild.general.id, member);
  let channels = 0;
  return {
    server, url, owner, member, outsider, guild, events,
    async newChannel(name = `room-${++channels}`) {
      const response = await api<Channel>(url, 'POST', `/guilds/${guild.guild.id}/channels`, { token: owner.token, body: { name } });
      if (response.status !== 201 && response.status !== 200) throw new Error(`create channel failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async close() {
      unsubscribe();
      await server.close();
    },
  };
}

/** `POST /channels/:id/messages` with a JSON body. */
export function postMessage(url: string, user: TestUser, channelId: string, body: unknown): Promise<ApiResponse<Message>> {
  return api<Message>(url, 'POST', `/channels/${channelId}/messages`, { token: user.token, body });
}

/** Sends a message that must succeed and returns it. */
export async function sendMessage(url: string, user: TestUser, channelId: string, content: string, extra: object = {}): Promise<Message> {
  const response = await postMessage(url, user, channelId, { content, ...extra });
  if (response.status !== 200) throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Sets a channel overwrite for a member (type 1) or role (type 0); permissions as bigints. */
export async function setOverwrite(
  url: string, owner: TestUser, channelId: string, targetId: string, type: 0 | 1, bits: { allow?: bigint; deny?: bigint },
): Promise<void> {
  const response = await api(url, 'PUT', `/channels/${channelId}/permissions/${targetId}`, {
    token: owner.token,
    body: { type, allow: (bits.allow ?? 0n).toString(), deny: (bits.deny ?? 0n).toString() },
  });
  if (response.status !== 204) throw new Error(`overwrite failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The events of one type published so far. */
export function eventsOf<T extends HearthEvent['t']>(events: readonly HearthEvent[], t: T): Extract<HearthEvent, { t: T }>[] {
  return events.filter((e): e is Extract<HearthEvent, { t: T }> => e.t === t);
}
