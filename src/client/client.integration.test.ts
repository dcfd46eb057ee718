/**
 * HearthClient against a real in-process Hearth server (real HTTP, real WebSockets, real SQLite),
 * reached through a proxy that can cut, stall or rate-limit the connection.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Message } from '../shared/protocol/entities.js';
import { guessPasswords, startTestServer, type TestServer } from '../server/test-support/server.js';
import { startHearthProxy, type HearthProxy } from '../server/test-support/hearth-proxy.js';
import { api, joinGuild, registerUser, type TestUser } from '../server/test-support/api.js';
import { HearthClient } from './client.js';
import type { WebSocketConstructor } from './gateway-connection.js';
import { memoryStorage, webStorage, type KeyValueStorage } from './storage.js';
import type { ClientAction, ClientState } from './state/types.js';
import type { ServerConfigInput } from '../server/config.js';
import { waitFor } from '../server/test-support/wait.js';

// `ws` implements the browser's WebSocket surface the connection uses; its types differ in detail.
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

interface Harness {
  server: TestServer;
  proxy: HearthProxy;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHarness(config: ServerConfigInput = {}): Promise<Harness> {
  const proxy = await startHearthProxy();
  const started = await startTestServer({ heartbeatIntervalMs: 1000, heartbeatGraceMs: 1000, ...config, publicUrl: proxy.url });
  // With a public URL the server reports the proxy's address; tests that bypass the proxy need the real one.
  const address = started.server.app.server.address() as AddressInfo;
  const server = { ...started, url: `http://127.0.0.1:${address.port}` };
  proxy.target = server.url;
  cleanups.push(() => started.close(), () => proxy.close());
  return { server, proxy };
}

/** A client with short timings; gateway compression (zlib-stream) is on unless `compress` is false. */
function newClient(storage: KeyValueStorage = memoryStorage(), compress = true, fetchImpl?: typeof fetch): HearthClient {
  const client = new HearthClient({
    WebSocket: NodeWebSocket,
    storage,
    compress,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    platform: 'desktop',
    timings: { backoffBaseMs: 20, backoffMaxMs: 100, invalidSessionDelayMs: [10, 30], stableAfterMs: 60_000, typingSweepMs: 50, retryDelayMs: 20 },
  });
  cleanups.push(() => client.close());
  return client;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`bridge call failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A client signed in as a fresh user, ready, with a guild it owns and #general loaded. */
async function signedInOwner(harness: Harness, storage: KeyValueStorage = memoryStorage(), compress = true) {
  const client = newClient(storage, compress);
  unwrap(await client.setServerUrl(harness.proxy.url));
  const user = unwrap(await client.register({ username: `owner${Math.floor(Math.random() * 1e9)}`, password: 'correct horse battery' }));
  await client.whenReady();
  const guild = unwrap(await client.createGuild({ name: 'Hearth Test' }));
  const general = await waitFor(
    () => Object.values(client.getState().channels).find((c) => c.guild_id === guild.id && c.name === 'general'),
    'GUILD_CREATE with #general',
  );
  unwrap(await client.loadLatestMessages(general.id));
  const token = await storage.get('token');
  if (!token) throw new Error('the token was not remembered');
  const owner: TestUser = { id: user.id, token, username: user.username };
  return { client, user, owner, guild, general };
}

function contents(state: ClientState, channelId: string): string[] {
  return state.messages[channelId]?.messages.map((m) => m.content) ?? [];
}

async function serverMessages(baseUrl: string, token: string, channelId: string): Promise<Message[]> {
  const response = await api<Message[]>(baseUrl, 'GET', `/channels/${channelId}/messages?limit=100`, { token });
  return [...response.body].reverse();
}

async function postAs(baseUrl: string, user: TestUser, channelId: string, content: string): Promise<void> {
  const response = await api(baseUrl, 'POST', `/channels/${channelId}/messages`, { token: user.token, body: { content } });
  expect(response.status).toBe(200);
}

describe('HearthClient session', () => {
  it('checks the server, registers, connects and receives its guilds through the gateway', async () => {
    const harness = await startHarness();
    const { client, guild, general } = await signedInOwner(harness);
    const state = client.getState();
    expect(state.connection.status).toBe('ready');
    expect(state.guildOrder).toEqual([guild.id]);
    expect(state.channels[general.id]?.type).toBe(0);
    expect(state.members[guild.id]?.[state.user!.id]).toBeDefined();
  });

  it('surfaces field errors from the server and refuses addresses that are not Hearth servers', async () => {
    const harness = await startHarness();
    const client = newClient();
    const unreachable = await client.setServerUrl('http://127.0.0.1:1');
    expect(unreachable).toMatchObject({ ok: false, error: { status: 0 } });
    const notHearth = await client.setServerUrl(`${harness.proxy.url}/attachments/nothing-here`);
    expect(notHearth).toMatchObject({ ok: false, error: { message: 'That address answered, but it is not a Hearth server.' } });
    unwrap(await client.setServerUrl(harness.proxy.url));
    const result = await client.register({ username: 'Not Valid!', password: 'short' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(50035);
    expect(result.error.errors?.username).toBeDefined();
    expect(result.error.errors?.password).toBeDefined();
  });

  it('restores the remembered session on start and signs out cleanly', async () => {
    const harness = await startHarness();
    const storage = memoryStorage();
    const first = await signedInOwner(harness, storage);
    first.client.close();
    const second = newClient(storage);
    await second.start();
    await second.whenReady();
    expect(second.getState().guildOrder).toEqual([first.guild.id]);
    unwrap(await second.logout());
    expect(second.getState().user).toBeNull();
    expect(await storage.get('token')).toBeNull();
    const revoked = await api(harness.server.url, 'GET', '/users/@me', { token: first.owner.token });
    expect(revoked.status).toBe(401);
  });

  it('signs in as a known device after signing out, while guesses from elsewhere have the account throttled', async () => {
    const harness = await startHarness();
    // The web client's storage: localStorage (a Map here, with the same surface).
    const items = new Map<string, string>();
    const local = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
    const storage = webStorage(local as unknown as Storage);
    const first = await signedInOwner(harness, storage);
    unwrap(await first.client.logout());
    first.client.close();
    expect(items.get('hearth.devices')).toContain(harness.proxy.url);
    await guessPasswords(harness.server.server, first.user.username, 10);
    const stranger = await api(harness.server.url, 'POST', '/auth/login', { body: { login: first.user.username, password: 'correct horse battery' } });
    expect(stranger.status).toBe(429);
    const logins: Headers[] = [];
    const recording: typeof fetch = (input, init) => {
      if (String(input).endsWith('/auth/login')) logins.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    const again = newClient(storage, true, recording);
    await again.start();
    const user = unwrap(await again.login({ login: first.user.username, password: 'correct horse battery' }));
    expect(user.id).toBe(first.user.id);
    // One request, carrying the device token: no 429 to wait out.
    expect(logins).toHaveLength(1);
    expect(logins[0]?.get('x-hearth-device')).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
    await again.whenReady();
  });

  it('stops for good and signs out when the gateway refuses the token (4004)', async () => {
    const harness = await startHarness();
    const { client, owner } = await signedInOwner(harness);
    await api(harness.server.url, 'POST', '/auth/logout', { token: owner.token });
    harness.proxy.cutGateway();
    await waitFor(() => client.getState().user === null, 'session end after 4004');
    expect(client.getState().connection.status).toBe('idle');
  });

  it('lists its sign-ins, knows which is its own, and signs another device out, which then stops', async () => {
    const harness = await startHarness();
    const first = await signedInOwner(harness);
    const other = newClient();
    unwrap(await other.setServerUrl(harness.proxy.url));
    unwrap(await other.login({ login: first.user.username, password: 'correct horse battery' }));
    await other.whenReady();
    const sessions = unwrap(await first.client.listSessions());
    const mine = first.client.getState().authSessionId;
    const theirs = other.getState().authSessionId;
    expect(sessions.map((s) => s.id_hash).sort()).toEqual([mine, theirs].sort());
    // Both run on the desktop client core (IDENTIFY says Hearth Desktop).
    expect(sessions.map((s) => s.client_info.platform)).toEqual(['Hearth Desktop', 'Hearth Desktop']);
    unwrap(await first.client.logoutSessions(sessions.map((s) => s.id_hash).filter((id) => id !== mine)));
    await waitFor(() => other.getState().user === null, 'the other device signed out (4004)');
    expect(unwrap(await first.client.listSessions()).map((s) => s.id_hash)).toEqual([mine]);
    expect(first.client.getState().user).not.toBeNull();
  });
});

describe('HearthClient sending', () => {
  it('shows a message as pending at once and confirms it from the server without duplicates', async () => {
    const harness = await startHarness();
    const { client, general, owner } = await signedInOwner(harness);
    const receipt = unwrap(await client.sendMessage({ channelId: general.id, content: 'hello hearth' }));
    const optimistic = client.getState().messages[general.id]?.messages.find((m) => m.nonce === receipt.nonce);
    expect(optimistic?.delivery).toBe('pending');
    await waitFor(() => client.getState().messages[general.id]?.messages.find((m) => m.content === 'hello hearth' && m.delivery === 'sent'), 'confirmation');
    expect(contents(client.getState(), general.id).filter((c) => c === 'hello hearth')).toHaveLength(1);
    expect((await serverMessages(harness.server.url, owner.token, general.id)).map((m) => m.content)).toEqual(['hello hearth']);
  });

  it('marks a refused send failed with the error, and a retry reuses the nonce without duplicating', async () => {
    const harness = await startHarness();
    const { general, owner, guild } = await signedInOwner(harness);
    const member = await registerUser(harness.server.url);
    await joinGuild(harness.server.url, owner, general.id, member);
    const deny = await api(harness.server.url, 'PUT', `/channels/${general.id}/permissions/${member.id}`, { token: owner.token, body: { type: 1, allow: '0', deny: String(1 << 11) } });
    expect(deny.status).toBe(204);

    const memberClient = newClient(memoryStorage({ serverUrl: harness.proxy.url, token: member.token, user: JSON.stringify({ id: member.id, username: member.username }) }));
    await memberClient.start();
    await memberClient.whenReady();
    await waitFor(() => memberClient.getState().guilds[guild.id], 'guild in READY');
    const receipt = unwrap(await memberClient.sendMessage({ channelId: general.id, content: 'let me in' }));
    const failed = await waitFor(() => memberClient.getState().messages[general.id]?.messages.find((m) => m.delivery === 'failed'), 'failed send');
    expect(failed.error).toMatchObject({ code: 50013, status: 403 });

    await api(harness.server.url, 'DELETE', `/channels/${general.id}/permissions/${member.id}`, { token: owner.token });
    // The first attempt to retry loses its response: the client repeats it, enforce_nonce keeps it single.
    harness.proxy.loseResponses(1, (method, path) => method === 'POST' && path.endsWith(`/channels/${general.id}/messages`));
    unwrap(await memberClient.retryMessage(general.id, receipt.nonce));
    await waitFor(() => memberClient.getState().messages[general.id]?.messages.find((m) => m.content === 'let me in' && m.delivery === 'sent'), 'retried send');
    const stored = await serverMessages(harness.server.url, owner.token, general.id);
    expect(stored.filter((m) => m.content === 'let me in')).toHaveLength(1);
    expect(contents(memberClient.getState(), general.id).filter((c) => c === 'let me in')).toHaveLength(1);
  });

  it('queues messages written while offline and sends them in order after the reconnect', async () => {
    const harness = await startHarness();
    const { client, general, owner } = await signedInOwner(harness);
    harness.proxy.offline = true;
    harness.proxy.cutGateway();
    await waitFor(() => client.getState().connection.status !== 'ready', 'disconnect');
    for (const text of ['one', 'two', 'three']) unwrap(await client.sendMessage({ channelId: general.id, content: text }));
    expect(client.getState().messages[general.id]?.messages.map((m) => m.delivery)).toEqual(['pending', 'pending', 'pending']);
    expect(await serverMessages(harness.server.url, owner.token, general.id)).toEqual([]);
    harness.proxy.offline = false;
    await waitFor(() => client.getState().messages[general.id]?.messages.every((m) => m.delivery === 'sent') && client.getState().messages[general.id]?.messages.length === 3, 'queued sends delivered');
    expect((await serverMessages(harness.server.url, owner.token, general.id)).map((m) => m.content)).toEqual(['one', 'two', 'three']);
    expect(contents(client.getState(), general.id)).toEqual(['one', 'two', 'three']);
  });

  it('waits out a 429 and then succeeds', async () => {
    const harness = await startHarness();
    const { client, general, owner } = await signedInOwner(harness);
    const matches = (method: string, path: string) => method === 'POST' && path.endsWith(`/channels/${general.id}/messages`);
    harness.proxy.injectRateLimit(2, 0.05, matches);
    unwrap(await client.sendMessage({ channelId: general.id, content: 'patient' }));
    await waitFor(() => client.getState().messages[general.id]?.messages.find((m) => m.content === 'patient' && m.delivery === 'sent'), 'send after 429s');
    expect(harness.proxy.requests.filter((r) => r === `POST /api/v10/channels/${general.id}/messages`)).toHaveLength(3);
    expect((await serverMessages(harness.server.url, owner.token, general.id)).map((m) => m.content)).toEqual(['patient']);
  });

  it('uploads files with progress and shows the attachment once stored', async () => {
    const harness = await startHarness();
    const { client, general } = await signedInOwner(harness);
    const progress: { loaded: number; total: number }[] = [];
    client.subscribeQuietly((_state, action?: ClientAction) => {
      if (action?.type === 'message/upload-progress') progress.push({ loaded: action.loaded, total: action.total });
    });
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    unwrap(await client.sendMessage({ channelId: general.id, content: 'a file', files: [{ name: 'data.bin', type: 'application/octet-stream', bytes }] }));
    const sent = await waitFor(() => client.getState().messages[general.id]?.messages.find((m) => m.content === 'a file' && m.delivery === 'sent'), 'upload');
    expect(sent.attachments.map((a) => [a.filename, a.size])).toEqual([['data.bin', 300_000]]);
    expect(progress.length).toBeGreaterThan(2);
    const last = progress.at(-1)!;
    expect(last.loaded).toBe(last.total);
    expect(last.total).toBeGreaterThan(300_000);
    // The attachment's signed URL can be signed again (what the UI does before it expires).
    const url = sent.attachments[0]!.url;
    const refreshed = unwrap(await client.refreshAttachmentUrls([url]))[url];
    expect(refreshed).toMatch(/\/attachments\/\d+\/\d+\/data\.bin\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}&$/);
    expect((await fetch(refreshed!)).status).toBe(200);
  });
});

describe('HearthClient connection recovery', () => {
  it('detects a zombie connection when ACKs stop and resumes the same session', async () => {
    const harness = await startHarness();
    // Uncompressed, so the proxy can pick the ACKs out of the stream.
    const { client } = await signedInOwner(harness, memoryStorage(), false);
    const sessionId = client.getState().sessionId;
    const statuses: string[] = [];
    client.subscribeQuietly((state) => {
      if (statuses.at(-1) !== state.connection.status) statuses.push(state.connection.status);
    });
    harness.proxy.dropServerOps.add(11);
    await waitFor(() => statuses.includes('resuming') || statuses.includes('reconnecting'), 'zombie detection', 6000);
    harness.proxy.dropServerOps.clear();
    await waitFor(() => client.getState().connection.status === 'ready' && statuses.length > 1, 'resumed');
    expect(client.getState().sessionId).toBe(sessionId);
    expect(client.getState().connection.reason).toBeNull();
  });

  it('resumes after the socket is cut mid-stream with no message lost or duplicated', async () => {
    const harness = await startHarness();
    const { client, general, owner } = await signedInOwner(harness);
    const member = await registerUser(harness.server.url);
    await joinGuild(harness.server.url, owner, general.id, member);
    const sessionId = client.getState().sessionId;
    const sent: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      if (i === 10) harness.proxy.cutGateway();
      sent.push(`stream ${i}`);
      await postAs(harness.server.url, member, general.id, `stream ${i}`);
    }
    await waitFor(() => contents(client.getState(), general.id).length === 30, 'all 30 messages');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(contents(client.getState(), general.id)).toEqual(sent);
    expect(client.getState().sessionId).toBe(sessionId);
  });

  it('tells the server about a status chosen while disconnected once the session resumes', async () => {
    const harness = await startHarness();
    const a = await signedInOwner(harness);
    const member = await registerUser(harness.server.url);
    await joinGuild(harness.server.url, a.owner, a.general.id, member);
    const b = newClient(memoryStorage({ serverUrl: harness.proxy.url, token: member.token, user: JSON.stringify({ id: member.id, username: member.username }) }));
    await b.start();
    await b.whenReady();
    await waitFor(() => a.client.getState().presences[member.id]?.status === 'online', 'member online');
    const sessionId = b.getState().sessionId;

    harness.proxy.offline = true;
    harness.proxy.cutGateway();
    await waitFor(() => b.getState().connection.status !== 'ready', 'disconnect');
    unwrap(await b.setStatus('dnd'));
    harness.proxy.offline = false;
    await waitFor(() => a.client.getState().presences[member.id]?.status === 'dnd', 'dnd seen by the other member');
    expect(b.getState().sessionId).toBe(sessionId);
  });

  it('re-identifies and fills the gap of every held channel when the session expired while away', async () => {
    const harness = await startHarness({ resumeWindowMs: 100 });
    const { client, general, owner, guild } = await signedInOwner(harness);
    const random = unwrap(await client.createChannel(guild.id, { name: 'random', type: 0 }));
    unwrap(await client.loadLatestMessages(random.id));
    const member = await registerUser(harness.server.url);
    await joinGuild(harness.server.url, owner, general.id, member);
    await postAs(harness.server.url, member, general.id, 'before');
    await waitFor(() => contents(client.getState(), general.id).includes('before'), 'live message');
    const sessionId = client.getState().sessionId;

    harness.proxy.offline = true;
    harness.proxy.cutGateway();
    const missed = ['missed 1', 'missed 2', 'missed 3'];
    for (const text of missed) await postAs(harness.server.url, member, general.id, text);
    await postAs(harness.server.url, member, random.id, 'missed in random');
    await new Promise((resolve) => setTimeout(resolve, 400));
    harness.proxy.offline = false;

    await waitFor(() => client.getState().sessionId !== sessionId && client.getState().connection.status === 'ready', 'new session');
    await waitFor(() => contents(client.getState(), general.id).length === 4, 'gap filled');
    expect(contents(client.getState(), general.id)).toEqual(['before', ...missed]);
    await waitFor(() => contents(client.getState(), random.id).length === 1, 'gap filled in #random');
    expect(contents(client.getState(), random.id)).toEqual(['missed in random']);
    await postAs(harness.server.url, member, general.id, 'after');
    await waitFor(() => contents(client.getState(), general.id).includes('after'), 'live after re-identify');
    expect(contents(client.getState(), general.id)).toEqual(['before', ...missed, 'after']);
  });
});

describe('HearthClient state over the bridge', () => {
  it('pushes a snapshot then actions that rebuild the same state with the reducer', async () => {
    const harness = await startHarness();
    const { client, general } = await signedInOwner(harness);
    const { createInitialState, reduce } = await import('./state/reducer.js');
    let mirror = createInitialState();
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'snapshot') mirror = structuredClone(event.state);
      if (event.type === 'action') mirror = reduce(mirror, structuredClone(event.action));
    });
    unwrap(await client.sendMessage({ channelId: general.id, content: 'mirrored' }));
    unwrap(await client.setStatus('dnd'));
    await waitFor(() => client.getState().messages[general.id]?.messages.find((m) => m.delivery === 'sent'), 'sent');
    unsubscribe();
    expect(mirror).toEqual(client.getState());
  });

  it('rejects invalid settings with field errors and remembers valid ones', async () => {
    const storage = memoryStorage();
    const client = newClient(storage);
    await client.start();
    const bad = await client.updateSettings({ voice: { pushToTalkReleaseDelayMs: 5000 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 50035 } });
    const good = unwrap(await client.updateSettings({ theme: 'light', voice: { inputMode: 'push-to-talk' } }));
    expect(good.theme).toBe('light');
    expect(good.voice.inputMode).toBe('push-to-talk');
    expect(good.voice.pushToTalkReleaseDelayMs).toBe(200);
    expect(JSON.parse((await storage.get('settings')) ?? '{}').theme).toBe('light');
  });
});

describe('HearthClient with two users', () => {
  it('invites, joins, and sees each other\'s messages, edits, reactions, typing and presence live', async () => {
    const harness = await startHarness();
    const a = await signedInOwner(harness);
    const channel = unwrap(await a.client.createChannel(a.guild.id, { name: 'plans', topic: 'what next' }));
    expect(a.client.getState().channels[channel.id]?.topic).toBe('what next');
    const invite = unwrap(await a.client.createInvite(a.general.id, { max_age: 3600, max_uses: 5 }));

    const b = newClient();
    unwrap(await b.setServerUrl(harness.proxy.url));
    const bUser = unwrap(await b.register({ username: `guest${Math.floor(Math.random() * 1e9)}`, password: 'correct horse battery' }));
    await b.whenReady();
    const preview = unwrap(await b.getInvite(`hearth://invite/${invite.code}`));
    expect(preview.guild.id).toBe(a.guild.id);
    // The same code in a link that names another server is that server's invite: never looked up here.
    const elsewhere = await b.getInvite(`hearth://invite/other.example/${invite.code}`);
    expect(elsewhere).toEqual({ ok: false, error: expect.objectContaining({ message: 'This invite is for the Hearth server at https://other.example. Switch to that server to join.' }) });
    unwrap(await b.acceptInvite(`${harness.proxy.url}/invite/${invite.code}`));
    await waitFor(() => b.getState().channels[a.general.id], 'GUILD_CREATE for the joined guild');
    await waitFor(() => a.client.getState().members[a.guild.id]?.[bUser.id], 'GUILD_MEMBER_ADD on the owner side');
    unwrap(await b.loadLatestMessages(a.general.id));

    unwrap(await a.client.sendMessage({ channelId: a.general.id, content: `hi <@${bUser.id}>` }));
    const seen = await waitFor(() => b.getState().messages[a.general.id]?.messages.find((m) => m.content.startsWith('hi')), 'message on the other side');
    expect(b.getState().readStates[a.general.id]?.mentionCount).toBe(1);
    unwrap(await b.ackChannel(a.general.id));
    expect(b.getState().readStates[a.general.id]).toEqual({ lastMessageId: seen.id, mentionCount: 0 });

    unwrap(await b.addReaction(a.general.id, seen.id, '🔥'));
    await waitFor(() => a.client.getState().messages[a.general.id]?.messages.find((m) => m.id === seen.id)?.reactions?.[0]?.count === 1, 'reaction on the author side');
    unwrap(await a.client.editMessage(a.general.id, seen.id, 'edited hello'));
    await waitFor(() => b.getState().messages[a.general.id]?.messages.find((m) => m.id === seen.id)?.content === 'edited hello', 'edit on the other side');

    unwrap(await b.sendTyping(a.general.id));
    await waitFor(() => a.client.getState().typing[a.general.id]?.[bUser.id], 'typing indicator');
    // Sending ends the indicator; typing again right after must show it again at once.
    unwrap(await b.sendMessage({ channelId: a.general.id, content: 'on my way' }));
    await waitFor(() => !a.client.getState().typing[a.general.id]?.[bUser.id], 'typing cleared by the message');
    unwrap(await b.sendTyping(a.general.id));
    await waitFor(() => a.client.getState().typing[a.general.id]?.[bUser.id], 'typing indicator after sending');
    unwrap(await b.setStatus('dnd'));
    await waitFor(() => a.client.getState().presences[bUser.id]?.status === 'dnd', 'dnd presence');

    const voice = Object.values(a.client.getState().channels).find((c) => c.guild_id === a.guild.id && c.type === 2)!;
    // The server's voice module comes with the voice issue; here the client's own side of op 4.
    unwrap(await b.joinVoice(a.guild.id, voice.id));
    expect(b.getState().selfVoice).toEqual({ guildId: a.guild.id, channelId: voice.id, selfMute: false, selfDeaf: false });
    unwrap(await b.setSelfDeaf(true));
    expect(b.getState().selfVoice).toMatchObject({ selfMute: true, selfDeaf: true });
    unwrap(await b.setSelfDeaf(false));
    expect(b.getState().selfVoice).toMatchObject({ selfMute: false, selfDeaf: false });
    unwrap(await b.leaveVoice());
    expect(b.getState().selfVoice.channelId).toBeNull();
    expect(await b.leaveVoice()).toMatchObject({ ok: false, error: { message: 'You are not in a voice channel.' } });

    unwrap(await a.client.deleteMessage(a.general.id, seen.id));
    await waitFor(() => !b.getState().messages[a.general.id]?.messages.some((m) => m.id === seen.id), 'delete on the other side');
    expect(unwrap(await a.client.loadMembers(a.guild.id))).toBe(2);
    unwrap(await a.client.kickMember(a.guild.id, bUser.id));
    await waitFor(() => b.getState().guilds[a.guild.id] === undefined, 'kicked member loses the guild');
  });
});
