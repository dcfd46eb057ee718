/**
 * The gateway's event catalogue end to end: REST changes made by real requests reach, over real
 * WebSockets, exactly the sessions allowed to see them (guild membership for guild events,
 * VIEW_CHANNEL for a channel's events, the user's own sessions for MESSAGE_ACK and USER_UPDATE).
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Permission } from '../../shared/permissions.js';
import type { DispatchEventName } from '../../shared/protocol/gateway.js';
import type { Invite, Role } from '../../shared/protocol/entities.js';
import { api, type TestUser } from '../test-support/api.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { sendMessage, setOverwrite, startMessageWorld, type MessageWorld } from '../test-support/messages.js';

let world: MessageWorld;
const clients: GatewayTestClient[] = [];

async function identified(user: Pick<TestUser, 'token'>): Promise<GatewayTestClient> {
  const { client } = await GatewayTestClient.identified(world.url, user.token);
  clients.push(client);
  return client;
}

/** A REST call that must succeed (2xx); returns the body. */
async function ok<T>(method: string, path: string, user: TestUser, body?: unknown): Promise<T> {
  const response = await api<T>(world.url, method, path, { token: user.token, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Dispatch names a client received after READY, in order. */
function eventNames(client: GatewayTestClient): DispatchEventName[] {
  return client.received.filter((p) => p.op === 0 && p.t !== 'READY').map((p) => p.t as DispatchEventName);
}

/** Whether a received dispatch is one of the channel's events (it carries the channel's `channel_id`). */
function concernsChannel(d: unknown, channelId: string): boolean {
  return (d as { channel_id?: unknown } | null)?.channel_id === channelId;
}

beforeEach(async () => {
  world = await startMessageWorld({ heartbeatIntervalMs: 30_000 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await world.close();
});

describe('Gateway event catalogue', () => {
  it('delivers guild events to members, channel events only to its viewers, and nothing to outsiders', async () => {
    const { owner, member, outsider } = world;
    const guildId = world.guild.guild.id;
    const ownerClient = await identified(owner);
    const memberClient = await identified(member);
    const outsiderClient = await identified(outsider);

    const secret = await world.newChannel('secret');
    await setOverwrite(world.url, owner, secret.id, member.id, 1, { deny: Permission.VIEW_CHANNEL });
    await ok('PATCH', `/guilds/${guildId}`, owner, { name: 'Renamed Guild' });
    const role = await ok<Role>('POST', `/guilds/${guildId}/roles`, owner, { name: 'Helpers' });
    await ok('PATCH', `/guilds/${guildId}/roles/${role.id}`, owner, { name: 'Helpers+' });
    await ok('DELETE', `/guilds/${guildId}/roles/${role.id}`, owner);
    await ok('PATCH', `/guilds/${guildId}/members/${member.id}`, owner, { nick: 'Nicky' });

    const hidden = await sendMessage(world.url, owner, secret.id, 'for viewers only');
    await ok('PATCH', `/channels/${secret.id}/messages/${hidden.id}`, owner, { content: 'edited, still hidden' });
    const reaction = `/channels/${secret.id}/messages/${hidden.id}/reactions/${encodeURIComponent('👍')}`;
    await ok('PUT', `${reaction}/@me`, owner);
    await ok('DELETE', `${reaction}/@me`, owner);
    await ok('PUT', `${reaction}/@me`, owner);
    await ok('DELETE', `/channels/${secret.id}/messages/${hidden.id}/reactions`, owner);
    await ok('POST', `/channels/${secret.id}/typing`, owner);
    const invite = await ok<Invite>('POST', `/channels/${secret.id}/invites`, owner, {});
    await ok('DELETE', `/invites/${invite.code}`, owner);
    await ok('DELETE', `/channels/${secret.id}/messages/${hidden.id}`, owner);
    await ok('DELETE', `/channels/${secret.id}`, owner);

    // A marker in #general, seen by both members, means everything before it was delivered.
    const marker = await sendMessage(world.url, owner, world.guild.general.id, 'marker');
    for (const client of [ownerClient, memberClient]) await client.waitForDispatch('MESSAGE_CREATE', (m) => m.id === marker.id);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const channelEvents: DispatchEventName[] = [
      'MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE', 'MESSAGE_REACTION_ADD',
      'MESSAGE_REACTION_REMOVE_ALL', 'TYPING_START', 'INVITE_CREATE', 'INVITE_DELETE', 'MESSAGE_DELETE',
    ];
    const guildEvents: DispatchEventName[] = [
      'CHANNEL_CREATE', 'CHANNEL_UPDATE', 'GUILD_UPDATE', 'GUILD_ROLE_CREATE', 'GUILD_ROLE_UPDATE', 'GUILD_ROLE_DELETE',
      'GUILD_MEMBER_UPDATE', 'CHANNEL_DELETE',
    ];
    const inSecret = (client: GatewayTestClient) =>
      client.received.filter((p) => p.op === 0 && concernsChannel(p.d, secret.id)).map((p) => p.t as DispatchEventName);

    // The owner sees every event, each once, in the order the changes were made.
    expect(inSecret(ownerClient)).toEqual(channelEvents);
    expect(eventNames(ownerClient).filter((t) => guildEvents.includes(t))).toEqual(guildEvents);
    expect(ownerClient.dispatches('GUILD_UPDATE')[0]).toMatchObject({ id: guildId, name: 'Renamed Guild' });
    expect(ownerClient.dispatches('GUILD_ROLE_UPDATE')).toContainEqual(expect.objectContaining({ guild_id: guildId, role: expect.objectContaining({ id: role.id, name: 'Helpers+' }) }));
    expect(ownerClient.dispatches('GUILD_MEMBER_UPDATE').at(-1)).toMatchObject({ guild_id: guildId, nick: 'Nicky', user: { id: member.id } });

    // The member gets the guild's events but none of the hidden channel's.
    expect(inSecret(memberClient)).toEqual([]);
    expect(eventNames(memberClient).filter((t) => guildEvents.includes(t))).toEqual(guildEvents);
    // The outsider shares no guild: it receives nothing at all.
    expect(eventNames(outsiderClient)).toEqual([]);
  });

  it('sends MESSAGE_ACK and USER_UPDATE to the user\'s own sessions only, and READY carries the read state', async () => {
    const { owner, member } = world;
    const general = world.guild.general.id;
    const ownerClient = await identified(owner);
    const desktop = await identified(member);
    const web = await identified(member);
    const message = await sendMessage(world.url, owner, general, 'read me');

    await ok('POST', `/channels/${general}/messages/${message.id}/ack`, member, {});
    for (const client of [desktop, web]) {
      expect(await client.waitForDispatch('MESSAGE_ACK')).toEqual({ channel_id: general, message_id: message.id, mention_count: 0 });
    }
    await ok('PATCH', '/users/@me', member, { global_name: 'Member Prime' });
    for (const client of [desktop, web]) {
      expect(await client.waitForDispatch('USER_UPDATE')).toMatchObject({ id: member.id, global_name: 'Member Prime' });
    }
    // Others learn of the new name through the member object, not USER_UPDATE.
    expect(await ownerClient.waitForDispatch('GUILD_MEMBER_UPDATE', (m) => m.user.id === member.id)).toMatchObject({
      user: { global_name: 'Member Prime' },
    });
    expect(ownerClient.dispatches('MESSAGE_ACK')).toEqual([]);
    expect(ownerClient.dispatches('USER_UPDATE')).toEqual([]);

    const { ready } = await GatewayTestClient.identified(world.url, member.token).then((r) => {
      clients.push(r.client);
      return r;
    });
    expect(ready.read_state).toContainEqual({ id: general, last_message_id: message.id, mention_count: 0 });
  });

  it('needs no User-Agent or other header beyond Host for discovery', async () => {
    const { port } = new URL(world.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET /api/v10/gateway HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toMatch(/"url":"ws:\/\/[^"]+\/gateway"/);
  });
});
