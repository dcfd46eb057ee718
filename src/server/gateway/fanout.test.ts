import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayIntent } from '../../shared/protocol/gateway.js';
import { Permission } from '../../shared/permissions.js';
import { api, joinGuild, type TestUser } from '../test-support/api.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { addMember, createAccount } from '../test-support/gateway-fixtures.js';
import { sendMessage, setOverwrite, startMessageWorld, type MessageWorld } from '../test-support/messages.js';
import { SEND_BUFFER_FULL_REASON } from './session.js';
import { waitFor } from '../test-support/wait.js';

let world: MessageWorld;
const clients: GatewayTestClient[] = [];

async function identified(user: Pick<TestUser, 'token'>, identify: Parameters<typeof GatewayTestClient.identified>[2] = {}): Promise<GatewayTestClient> {
  const { client } = await GatewayTestClient.identified(world.url, user.token, identify);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  world = await startMessageWorld({ heartbeatIntervalMs: 30_000 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await world.close();
});

/** Sends a marker message in #general and waits until `clients` got it: everything before it was delivered. */
async function settle(...receivers: GatewayTestClient[]): Promise<void> {
  const marker = await sendMessage(world.url, world.owner, world.guild.general.id, `marker ${Date.now()}`);
  for (const client of receivers) await client.waitForDispatch('MESSAGE_CREATE', (m) => m.id === marker.id);
}

describe('Gateway fanout', () => {
  it('keeps a channel\'s events from members without VIEW_CHANNEL, and follows overwrite changes', async () => {
    const secret = await world.newChannel('secret');
    await setOverwrite(world.url, world.owner, secret.id, world.member.id, 1, { deny: Permission.VIEW_CHANNEL });
    const owner = await identified(world.owner);
    const member = await identified(world.member);

    const hidden = await sendMessage(world.url, world.owner, secret.id, 'members cannot see this');
    await api(world.url, 'POST', `/channels/${secret.id}/typing`, { token: world.owner.token });
    await owner.waitForDispatch('MESSAGE_CREATE', (m) => m.id === hidden.id);
    await owner.waitForDispatch('TYPING_START', (t) => t.channel_id === secret.id);
    await settle(member);
    expect(member.dispatches('MESSAGE_CREATE').map((m) => m.channel_id)).not.toContain(secret.id);
    expect(member.dispatches('TYPING_START')).toEqual([]);

    // Lifting the overwrite (CHANNEL_UPDATE) lets the channel's events through at once.
    const lifted = await api(world.url, 'DELETE', `/channels/${secret.id}/permissions/${world.member.id}`, { token: world.owner.token });
    expect(lifted.status).toBe(204);
    const visible = await sendMessage(world.url, world.owner, secret.id, 'now you see it');
    await member.waitForDispatch('MESSAGE_CREATE', (m) => m.id === visible.id);
  });

  it('stops a removed member\'s events at once and sends it GUILD_DELETE', async () => {
    const owner = await identified(world.owner);
    const member = await identified(world.member);
    const kicked = await api(world.url, 'DELETE', `/guilds/${world.guild.guild.id}/members/${world.member.id}`, { token: world.owner.token });
    expect(kicked.status).toBe(204);
    expect(await member.waitForDispatch('GUILD_DELETE')).toEqual({ id: world.guild.guild.id });
    await owner.waitForDispatch('GUILD_MEMBER_REMOVE', (d) => d.user.id === world.member.id);
    await sendMessage(world.url, world.owner, world.guild.general.id, 'after the kick');
    await settle(owner);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = member.received.slice(member.received.findIndex((p) => p.t === 'GUILD_DELETE') + 1);
    expect(after.filter((p) => p.op === 0)).toEqual([]);
  });

  it('sends a joining member GUILD_CREATE with presences, and tells the guild about the newcomer', async () => {
    const owner = await identified(world.owner);
    const newcomer = await identified(world.outsider);
    await joinGuild(world.url, world.owner, world.guild.general.id, world.outsider);
    const guild = await newcomer.waitForDispatch('GUILD_CREATE');
    expect(guild.id).toBe(world.guild.guild.id);
    // The newcomer learns of the guild from GUILD_CREATE, not from its own GUILD_MEMBER_ADD first.
    const firstOfGuild = newcomer.received.find((p) => p.op === 0 && p.t !== 'READY' && p.t !== 'PRESENCE_UPDATE');
    expect(firstOfGuild?.t).toBe('GUILD_CREATE');
    expect(guild.presences.map((p) => p.user.id).sort()).toEqual([world.owner.id, world.outsider.id].sort());
    await owner.waitForDispatch('GUILD_MEMBER_ADD', (m) => m.user.id === world.outsider.id);
    expect(await owner.waitForDispatch('PRESENCE_UPDATE', (p) => p.user.id === world.outsider.id)).toMatchObject({
      guild_id: world.guild.guild.id,
      status: 'online',
    });
    const message = await sendMessage(world.url, world.owner, world.guild.general.id, 'welcome');
    await newcomer.waitForDispatch('MESSAGE_CREATE', (m) => m.id === message.id);
  });

  it('honours intents and empties content for bots without MESSAGE_CONTENT unless mentioned', async () => {
    const ctx = world.server.server.context;
    const bot = await createAccount(ctx, 'contentbot', { bot: true });
    const reader = await createAccount(ctx, 'readerbot', { bot: true });
    await addMember(ctx, world.guild.guild.id, bot.user.id);
    await addMember(ctx, world.guild.guild.id, reader.user.id);
    const limited = await identified(bot, { intents: GatewayIntent.GUILDS | GatewayIntent.GUILD_MESSAGES });
    const full = await identified(reader, {
      intents: GatewayIntent.GUILDS | GatewayIntent.GUILD_MESSAGES | GatewayIntent.MESSAGE_CONTENT | GatewayIntent.GUILD_MESSAGE_TYPING,
    });
    await limited.waitForDispatch('GUILD_CREATE');
    await full.waitForDispatch('GUILD_CREATE');

    await api(world.url, 'POST', `/channels/${world.guild.general.id}/typing`, { token: world.member.token });
    const plain = await sendMessage(world.url, world.member, world.guild.general.id, 'plain words', { embeds: [{ title: 'an embed' }] });
    const mention = await sendMessage(world.url, world.member, world.guild.general.id, `<@${bot.user.id}> ping`);

    const plainSeen = await limited.waitForDispatch('MESSAGE_CREATE', (m) => m.id === plain.id);
    expect(plainSeen).toMatchObject({ content: '', embeds: [], attachments: [], author: { id: world.member.id } });
    expect((await limited.waitForDispatch('MESSAGE_CREATE', (m) => m.id === mention.id)).content).toBe(`<@${bot.user.id}> ping`);
    expect((await full.waitForDispatch('MESSAGE_CREATE', (m) => m.id === plain.id)).content).toBe('plain words');
    expect((await full.waitForDispatch('MESSAGE_CREATE', (m) => m.id === plain.id, 100).catch(() => undefined))).toBeUndefined();
    expect(full.dispatches('TYPING_START')).toHaveLength(1);
    expect(limited.dispatches('TYPING_START')).toEqual([]);
    // No GUILD_MESSAGE_REACTIONS, no GUILD_MEMBERS: neither arrives.
    await api(world.url, 'PUT', `/channels/${world.guild.general.id}/messages/${plain.id}/reactions/${encodeURIComponent('👍')}/@me`, { token: world.member.token });
    await settle(limited);
    expect(limited.dispatches('MESSAGE_REACTION_ADD')).toEqual([]);
    expect(limited.dispatches('GUILD_MEMBER_ADD')).toEqual([]);
  });

  it('serializes a dispatch once for all its recipients', async () => {
    const ctx = world.server.server.context;
    const receivers = [await identified(world.owner), await identified(world.owner), await identified(world.member)];
    const d = { id: world.owner.id, username: 'renamed', discriminator: '0', global_name: 'Shared', avatar: null };
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      ctx.events.publish({ t: 'USER_UPDATE', d, audience: { kind: 'users', userIds: [world.owner.id, world.member.id] } });
      for (const client of receivers) await client.waitForDispatch('USER_UPDATE');
      expect(stringify.mock.calls.filter(([value]) => value === d)).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
  });

  it('cuts off a client that stops reading while everyone else keeps receiving', async () => {
    await world.close();
    world = await startMessageWorld({ heartbeatIntervalMs: 30_000, maxSocketBufferBytes: 65_536 });
    const ctx = world.server.server.context;
    const slow = await identified(world.member);
    const fast = await identified(world.owner);
    const sessionId = slow.sessionId as string;
    slow.ws.pause();
    const big = 'x'.repeat(100_000);
    const count = 120;
    for (let i = 0; i < count; i += 1) {
      // Events arrive over time, as in real use: a client that reads keeps its buffer empty.
      await new Promise((resolve) => setImmediate(resolve));
      ctx.events.publish({
        t: 'USER_UPDATE',
        d: { id: world.owner.id, username: 'owner', discriminator: '0', global_name: `${i} ${big}`, avatar: null },
        audience: { kind: 'users', userIds: [world.owner.id, world.member.id] },
      });
    }
    await fast.waitUntil(() => fast.dispatches('USER_UPDATE').length === count, 15_000);
    const session = world.server.server.gateway.registry.get(sessionId);
    expect(session?.connection).toBeNull();
    slow.ws.resume();
    expect(await slow.waitForClose(10_000)).toEqual({ code: 4000, reason: SEND_BUFFER_FULL_REASON });
    const before = slow.dispatches('USER_UPDATE').length;
    expect(before).toBeLessThan(count);

    // The close is resumable: a RESUME replays exactly what the slow client did not get.
    const again = await GatewayTestClient.connect(world.url);
    clients.push(again);
    await again.hello();
    again.sendResume(world.member.token, sessionId, slow.lastSeq);
    await again.waitForDispatch('RESUMED', undefined, 10_000);
    const names = (client: GatewayTestClient) => client.dispatches('USER_UPDATE').map((u) => u.global_name?.split(' ')[0]);
    expect([...names(slow), ...names(again)]).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  });

  it('cuts a paused client fed 550 messages a second, and its RESUME loses nothing even after the socket was dropped', async () => {
    await world.close();
    // A replay buffer of 200: the old bound (4 MiB of unsent messages) let far more than that go unsent.
    world = await startMessageWorld({ heartbeatIntervalMs: 30_000, replayBufferSize: 200 });
    const ctx = world.server.server.context;
    const serverSockets: Duplex[] = [];
    world.server.server.app.server.on('upgrade', (_request, socket: Duplex) => serverSockets.push(socket));
    const slow = await identified(world.member);
    const slowSocket = serverSockets.at(-1) as Duplex;
    const sessionId = slow.sessionId as string;
    const session = world.server.server.gateway.registry.get(sessionId);
    // The client stops reading from its socket: the kernel's buffers fill, then the server's.
    slow.ws.pause();
    const padding = 'x'.repeat(2000);
    let published = 0;
    await new Promise<void>((resolve, reject) => {
      // 11 messages every 20 ms is 550 a second, until the server gives up on the paused client.
      const timer = setInterval(() => {
        for (let i = 0; i < 11; i += 1) {
          ctx.events.publish({
            t: 'USER_UPDATE',
            d: { id: world.member.id, username: 'member', discriminator: '0', global_name: `${published} ${padding}`, avatar: null },
            audience: { kind: 'users', userIds: [world.member.id] },
          });
          published += 1;
        }
        if (session?.connection === null || published > 30_000) {
          clearInterval(timer);
          if (session?.connection === null) resolve();
          else reject(new Error('the paused client was never cut off'));
        }
      }, 20);
    });
    // Still reading nothing, the client never completes the close: the server drops the socket.
    await waitFor(() => slowSocket.destroyed, 'the server to drop the paused socket', 15_000);
    slow.ws.resume();
    // It reads what reached its side, then the close frame (4000) if that made it, else the end of the connection.
    expect([4000, 1006]).toContain((await slow.waitForClose(10_000)).code);
    const names = (client: GatewayTestClient) => client.dispatches('USER_UPDATE').map((u) => Number(u.global_name?.split(' ')[0]));
    expect(names(slow).length).toBeLessThan(published);

    const again = await GatewayTestClient.connect(world.url);
    clients.push(again);
    await again.hello();
    again.sendResume(world.member.token, sessionId, slow.lastSeq);
    await again.waitForDispatch('RESUMED', undefined, 10_000);
    expect([...names(slow), ...names(again)]).toEqual(Array.from({ length: published }, (_, i) => i));
  });
});
