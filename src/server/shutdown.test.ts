import fs from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayOpcode } from '../shared/protocol/gateway.js';
import { registerUser } from './test-support/api.js';
import { GatewayTestClient, gatewayUrlOf } from './test-support/gateway-client.js';
import { startTestServer, type TestServer } from './test-support/server.js';

/** The HTTP status a WebSocket upgrade to `url` gets, or 101 when it is accepted. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

describe('graceful shutdown', () => {
  let test: TestServer | undefined;
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  it('stops accepting gateway connections, tells connected clients to reconnect, and closes them resumably', async () => {
    test = await startTestServer();
    const alice = await registerUser(test.url);
    const { client } = await GatewayTestClient.identified(test.url, alice.token);
    expect(await upgradeStatus(gatewayUrlOf(test.url))).toBe(101);

    const stopping = test.server.gateway.shutdown();
    // A client arriving now is turned away (a load balancer then tries another node) ...
    expect(await upgradeStatus(gatewayUrlOf(test.url))).toBe(503);
    // ... while the connected one hears op 7 and a close code that allows RESUME.
    await client.next((p) => p.op === GatewayOpcode.RECONNECT);
    expect((await client.waitForClose()).code).toBe(4000);
    await stopping;
  });

  it('checkpoints and closes the SQLite database', async () => {
    test = await startTestServer();
    await registerUser(test.url);
    const { server, dataDir } = test;
    await test.close({ keepData: true });
    test = undefined;
    const wal = path.join(dataDir, 'hearth.db-wal');
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    await expect(async () => server.context.store.getUser('1')).rejects.toThrow(/not open/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
