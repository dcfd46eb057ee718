/**
 * The start-up prefetch of the expected channel's newest page, against a real in-process server
 * (real HTTP, real WebSockets, real SQLite). The client's fetch is wrapped to count channel page
 * requests and to hold `GET /gateway` back, so READY comes only when a test lets it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Channel, CurrentUser, Message } from '../shared/protocol/entities.js';
import { Permission } from '../shared/permissions.js';
import { startTestServer } from '../server/test-support/server.js';
import { api, createGuild, joinGuild, registerUser, type TestUser } from '../server/test-support/api.js';
import { waitFor } from '../server/test-support/wait.js';
import { HearthClient } from './client.js';
import type { WebSocketConstructor } from './gateway-connection.js';
import { memoryStorage } from './storage.js';

// `ws` implements the browser's WebSocket surface the connection uses; its types differ in detail.
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A page request the client made: its query, and whether the server has answered it. */
interface PageRequest {
  channelId: string;
  query: URLSearchParams;
  answered: boolean;
}

/** fetch that records channel page GETs and holds `GET /gateway` until `openGateway()`. */
function instrumentedFetch() {
  const pages: PageRequest[] = [];
  let openGateway!: () => void;
  const gateway = new Promise<void>((resolve) => {
    openGateway = resolve;
  });
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.pathname.endsWith('/api/v10/gateway')) await gateway;
    const page = /\/channels\/(\d+)\/messages$/.exec(url.pathname);
    const request = page && (init?.method ?? 'GET') === 'GET' ? { channelId: page[1] as string, query: url.searchParams, answered: false } : undefined;
    if (request) pages.push(request);
    const response = await fetch(input, init);
    if (request) request.answered = true;
    return response;
  };
  return { fetch: wrapped, pages, openGateway, pagesOf: (channelId: string) => pages.filter((p) => p.channelId === channelId) };
}

interface World {
  url: string;
  owner: TestUser;
  general: Channel;
  guildId: string;
}

async function startWorld(): Promise<World> {
  const server = await startTestServer({ heartbeatIntervalMs: 1000, heartbeatGraceMs: 1000 });
  cleanups.push(() => server.close());
  const owner = await registerUser(server.url);
  const { guild, general } = await createGuild(server.url, owner);
  return { url: server.url, owner, general, guildId: guild.id };
}

async function post(world: World, user: TestUser, channelId: string, content: string): Promise<Message> {
  const response = await api<Message>(world.url, 'POST', `/channels/${channelId}/messages`, { token: user.token, body: { content } });
  expect(response.status).toBe(200);
  return response.body;
}

/** A client whose storage remembers `user`'s session, as a reloaded page has it (not started). */
async function rememberedClient(world: World, user: TestUser, timings: { prefetchMaxAgeMs?: number } = {}) {
  const me = await api<CurrentUser>(world.url, 'GET', '/users/@me', { token: user.token });
  const storage = memoryStorage({ serverUrl: world.url, token: user.token, user: JSON.stringify(me.body) });
  const net = instrumentedFetch();
  const client = new HearthClient({
    WebSocket: NodeWebSocket, storage, platform: 'web', fetch: net.fetch,
    timings: { backoffBaseMs: 20, backoffMaxMs: 100, retryDelayMs: 20, typingSweepMs: 50, ...timings },
  });
  cleanups.push(() => client.close());
  return { client, net };
}

/** Starts the client as the web client does (start, then the renderer's hint). */
async function startExpecting(client: HearthClient, channelId: string): Promise<void> {
  void client.start();
  const hint = await client.expectChannel(channelId);
  expect(hint).toEqual({ ok: true, value: null });
}

/** Gives the hint and waits until the prefetch request has been answered (whatever the answer). */
async function prefetchAnswered(client: HearthClient, net: ReturnType<typeof instrumentedFetch>, channelId: string, what = 'the prefetched page'): Promise<void> {
  await startExpecting(client, channelId);
  await waitFor(() => net.pagesOf(channelId)[0]?.answered, what);
}

function contents(client: HearthClient, channelId: string): string[] {
  return client.getState().messages[channelId]?.messages.map((m) => m.content) ?? [];
}

describe('HistoryPrefetch', () => {
  it('requests the expected channel before READY and the first load uses that answer: one page request, not two', async () => {
    const world = await startWorld();
    for (const content of ['one', 'two', 'three']) await post(world, world.owner, world.general.id, content);
    const { client, net } = await rememberedClient(world, world.owner);
    await startExpecting(client, world.general.id);
    // The gateway is held back, so this answer came without READY.
    await waitFor(() => net.pagesOf(world.general.id)[0]?.answered, 'the prefetched page');
    expect(client.getState().connection.status).not.toBe('ready');
    expect(client.getState().messages[world.general.id]).toBeUndefined();
    net.openGateway();
    await client.whenReady();
    const page = await client.loadLatestMessages(world.general.id);
    expect(page).toEqual({ ok: true, value: { added: 3, hasMoreBefore: false, hasMoreAfter: false } });
    expect(contents(client, world.general.id)).toEqual(['one', 'two', 'three']);
    expect(net.pagesOf(world.general.id).map((p) => p.query.toString())).toEqual(['limit=50']);
  });

  it('adds messages created after the page was read, before and after READY, once each', async () => {
    const world = await startWorld();
    const old = await post(world, world.owner, world.general.id, 'old');
    const { client, net } = await rememberedClient(world, world.owner);
    await prefetchAnswered(client, net, world.general.id);
    await post(world, world.owner, world.general.id, 'before READY');
    net.openGateway();
    await client.whenReady();
    // Delivered by the gateway while no window holds the channel: only its last_message_id moves.
    const afterReady = await post(world, world.owner, world.general.id, 'after READY');
    await waitFor(() => client.getState().channels[world.general.id]?.last_message_id === afterReady.id, 'MESSAGE_CREATE');
    const page = await client.loadLatestMessages(world.general.id);
    expect(page).toMatchObject({ ok: true, value: { added: 3, hasMoreAfter: false } });
    expect(contents(client, world.general.id)).toEqual(['old', 'before READY', 'after READY']);
    const requests = net.pagesOf(world.general.id);
    // The page, then one request for what came after its newest message.
    expect(requests.map((p) => p.query.get('after'))).toEqual([null, old.id]);
  });

  it('drops a refused prefetch (403) silently; the load then reports the refusal as before', async () => {
    const world = await startWorld();
    const member = await registerUser(world.url);
    await joinGuild(world.url, world.owner, world.general.id, member);
    const secret = await api<Channel>(world.url, 'POST', `/guilds/${world.guildId}/channels`, {
      token: world.owner.token,
      body: { name: 'staff', type: 0, permission_overwrites: [{ id: world.guildId, type: 0, allow: '0', deny: String(Permission.VIEW_CHANNEL) }] },
    });
    expect(secret.status).toBe(201);
    const { client, net } = await rememberedClient(world, member);
    await prefetchAnswered(client, net, secret.body.id, 'the refused prefetch');
    net.openGateway();
    await client.whenReady();
    const load = await client.loadLatestMessages(secret.body.id);
    expect(load).toMatchObject({ ok: false, error: { code: 50001, status: 403 } });
    expect(net.pagesOf(secret.body.id)).toHaveLength(2);
    expect(client.getState().messages[secret.body.id]?.messages ?? []).toEqual([]);
  });

  it('drops a prefetch of a channel that no longer exists (404); the channel opened instead loads normally', async () => {
    const world = await startWorld();
    await post(world, world.owner, world.general.id, 'hello');
    const gone = await api<Channel>(world.url, 'POST', `/guilds/${world.guildId}/channels`, { token: world.owner.token, body: { name: 'gone', type: 0 } });
    await api(world.url, 'DELETE', `/channels/${gone.body.id}`, { token: world.owner.token });
    const { client, net } = await rememberedClient(world, world.owner);
    await prefetchAnswered(client, net, gone.body.id, 'the prefetch of a deleted channel');
    net.openGateway();
    await client.whenReady();
    expect(client.getState().channels[gone.body.id]).toBeUndefined();
    expect(await client.loadLatestMessages(world.general.id)).toMatchObject({ ok: true, value: { added: 1 } });
    expect(contents(client, world.general.id)).toEqual(['hello']);
    expect(net.pagesOf(world.general.id)).toHaveLength(1);
    expect(client.getState().messages[gone.body.id]).toBeUndefined();
  });

  it('discards a prefetch older than its age limit and loads the page afresh (an edit since then shows)', async () => {
    const world = await startWorld();
    const first = await post(world, world.owner, world.general.id, 'first draft');
    const { client, net } = await rememberedClient(world, world.owner, { prefetchMaxAgeMs: 50 });
    await prefetchAnswered(client, net, world.general.id);
    // Edited before READY, so no MESSAGE_UPDATE will reach this session.
    await api(world.url, 'PATCH', `/channels/${world.general.id}/messages/${first.id}`, { token: world.owner.token, body: { content: 'final' } });
    await new Promise((resolve) => setTimeout(resolve, 120));
    net.openGateway();
    await client.whenReady();
    await client.loadLatestMessages(world.general.id);
    expect(contents(client, world.general.id)).toEqual(['final']);
    expect(net.pagesOf(world.general.id)).toHaveLength(2);
  });

  it('never shows a prefetch for another channel: opening a different channel discards it', async () => {
    const world = await startWorld();
    await post(world, world.owner, world.general.id, 'in general');
    const other = await api<Channel>(world.url, 'POST', `/guilds/${world.guildId}/channels`, { token: world.owner.token, body: { name: 'other', type: 0 } });
    await post(world, world.owner, other.body.id, 'in other');
    const { client, net } = await rememberedClient(world, world.owner);
    await prefetchAnswered(client, net, world.general.id);
    net.openGateway();
    await client.whenReady();
    await client.loadLatestMessages(other.body.id);
    expect(contents(client, other.body.id)).toEqual(['in other']);
    expect(client.getState().messages[world.general.id]).toBeUndefined();
    await client.loadLatestMessages(world.general.id);
    expect(contents(client, world.general.id)).toEqual(['in general']);
    expect(net.pagesOf(world.general.id)).toHaveLength(2);
  });

  it('forgets the prefetch on sign-out, and fetches a hint given while signed out at sign-in', async () => {
    const world = await startWorld();
    await post(world, world.owner, world.general.id, 'hello');
    const { client, net } = await rememberedClient(world, world.owner);
    await prefetchAnswered(client, net, world.general.id);
    net.openGateway();
    expect(await client.logout()).toEqual({ ok: true, value: null });
    const password = 'correct horse battery';
    expect(await client.login({ login: world.owner.username, password })).toMatchObject({ ok: true });
    await client.whenReady();
    await client.loadLatestMessages(world.general.id);
    expect(net.pagesOf(world.general.id)).toHaveLength(2);

    // Signed out, the hint waits for a token; signing in requests the page once.
    expect(await client.logout()).toEqual({ ok: true, value: null });
    expect(await client.expectChannel(world.general.id)).toEqual({ ok: true, value: null });
    expect(net.pagesOf(world.general.id)).toHaveLength(2);
    expect(await client.login({ login: world.owner.username, password })).toMatchObject({ ok: true });
    await client.whenReady();
    await client.loadLatestMessages(world.general.id);
    expect(contents(client, world.general.id)).toEqual(['hello']);
    expect(net.pagesOf(world.general.id)).toHaveLength(3);
  });

  it('refuses a channel ID that is not a snowflake', async () => {
    const world = await startWorld();
    const { client, net } = await rememberedClient(world, world.owner);
    const result = await client.expectChannel('../users/@me');
    expect(result).toMatchObject({ ok: false, error: { code: 50035, errors: { channel_id: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } } } });
    expect(net.pages).toHaveLength(0);
  });
});
