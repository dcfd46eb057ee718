/**
 * The client core against two Hearth nodes (shared PostgreSQL and Redis, private servers started
 * here) behind a front door routing like docs/deployment.md's nginx: when the node holding the
 * session stops, the client is told to reconnect, its RESUME reaches the other node (op 9, the
 * session is not there), it identifies again and fills the gap from history, losing no message.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { api, joinGuild, registerUser } from '../server/test-support/api.js';
import { clusterMissing, startTestCluster, useClusterBackends, type TestNode } from '../server/test-support/cluster.js';
import { skipWhenMissing } from '../server/test-support/requirements.js';
import { HearthClient } from './client.js';
import type { WebSocketConstructor } from './gateway-connection.js';
import { memoryStorage } from './storage.js';
import { waitFor } from '../server/test-support/wait.js';

// `ws` implements the browser WebSocket surface the client core uses; its types differ in detail.
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

const backends = useClusterBackends();
const { cleanups } = backends;

describe('HearthClient with several nodes', skipWhenMissing(clusterMissing), () => {
  it('moves a client core of a stopping node to the other node without losing a message', async () => {
    const cluster = await startTestCluster(backends, 2);
    cleanups.push(() => cluster.close());
    const { nodes, front } = cluster;
    const [a, b] = nodes as [TestNode, TestNode];
    const storage = memoryStorage();
    const client = new HearthClient({
      WebSocket: NodeWebSocket,
      storage,
      platform: 'desktop',
      timings: { backoffBaseMs: 20, backoffMaxMs: 200, invalidSessionDelayMs: [10, 30], stableAfterMs: 60_000, typingSweepMs: 50, retryDelayMs: 20 },
    });
    cleanups.push(() => client.close());
    const expectOk = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      return result.value;
    };
    expectOk(await client.setServerUrl(front.url));
    const user = expectOk(await client.register({ username: `mover${Date.now() % 1e6}`, password: 'correct horse battery' }));
    await client.whenReady();
    const guild = expectOk(await client.createGuild({ name: 'Failover' }));
    const general = await waitFor(() => Object.values(client.getState().channels).find((c) => c.guild_id === guild.id && c.name === 'general'), '#general');
    expectOk(await client.loadLatestMessages(general.id));
    const token = await storage.get('token');
    if (!token) throw new Error('the client remembered no token');
    const bob = await registerUser(b.direct);
    await joinGuild(b.direct, { id: user.id, token, username: user.username }, general.id, bob);

    // The client is on node 0 (the front door's first node).
    const sessionBefore = await waitFor(() => [...a.server.gateway.registry.all()].find((s) => s.userId === user.id), 'session on node 0');
    const post = async (content: string) => {
      const response = await api(b.direct, 'POST', `/channels/${general.id}/messages`, { token: bob.token, body: { content } });
      expect(response.status).toBe(200);
    };
    await post('before');
    await waitFor(() => client.getState().messages[general.id]?.messages.some((m) => m.content === 'before'), '"before" live');

    // Node 0 stops: op 7, then the resume lands on node 1, which answers op 9; the client identifies there and fills the gap.
    const reasons: string[] = [];
    cleanups.push(client.subscribeQuietly((state) => {
      const reason = state.connection.reason;
      if (reason && reasons.at(-1) !== reason) reasons.push(reason);
    }));
    const stopping = a.close({ keepData: true });
    await post('during 1');
    await stopping;
    await post('during 2');
    await waitFor(() => [...b.server.gateway.registry.all()].find((s) => s.userId === user.id && s.id !== sessionBefore.id), 'new session on node 1', 15_000);
    await post('after');
    // 'after' arrives live right after READY; the gap fill's page with the two missed ones follows.
    const contents = () => client.getState().messages[general.id]?.messages.map((m) => m.content) ?? [];
    await waitFor(() => contents().length >= 4, 'the gap filled', 15_000).catch(() => undefined);
    expect(contents().slice(-4)).toEqual(['before', 'during 1', 'during 2', 'after']);
    expect(client.getState().connection.status).toBe('ready');
    // The RESUME reached node 1, which did not know the session (op 9); op 7 itself is checked in scale-out.test.ts.
    expect(reasons).toContain('Session invalidated');
  }, 40_000);
});
