import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { createAccount } from '../test-support/gateway-fixtures.js';
import { ZlibStreamCompressor } from './compression.js';

const SYNC_FLUSH_SUFFIX = Buffer.from([0x00, 0x00, 0xff, 0xff]);

describe('ZlibStreamCompressor', () => {
  it('emits each message as a sync-flushed unit that one inflate context decodes in order', async () => {
    const outputs: Buffer[] = [];
    const compressor = new ZlibStreamCompressor((bytes) => outputs.push(bytes));
    const messages = ['{"op":10}', 'x'.repeat(50_000), '{"op":11}', '{"op":0,"t":"READY"}'];
    for (const message of messages) compressor.write(message);
    while (outputs.length < messages.length) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(compressor.pendingBytes).toBe(0);
    const inflate = zlib.createInflate();
    const decoded: string[] = [];
    for (const output of outputs) {
      expect(output.subarray(-4)).toEqual(SYNC_FLUSH_SUFFIX);
      decoded.push(await new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        const onData = (chunk: Buffer) => chunks.push(chunk);
        inflate.on('data', onData);
        inflate.write(output);
        inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          inflate.off('data', onData);
          resolve(Buffer.concat(chunks).toString());
        });
      }));
    }
    expect(decoded).toEqual(messages);
    // The shared context makes repeated content cheap: the second small message is tiny.
    expect(outputs[2]?.length).toBeLessThan(20);
    compressor.close();
  });
});

describe('Gateway zlib-stream', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('round-trips HELLO, READY and heartbeats through one inflate context', async () => {
    server = await startTestServer({ heartbeatIntervalMs: 30_000 });
    const alice = await createAccount(server.server.context, 'alice');
    const { client, ready } = await GatewayTestClient.identified(server.url, alice.token, {}, { compress: true });
    expect(ready.user.id).toBe(alice.user.id);
    await client.heartbeat();
    server.server.context.events.publish({
      t: 'USER_UPDATE',
      d: { id: alice.user.id, username: 'alice', discriminator: '0', global_name: 'Alice'.repeat(200), avatar: null },
      audience: { kind: 'users', userIds: [alice.user.id] },
    });
    expect((await client.waitForDispatch('USER_UPDATE')).global_name).toBe('Alice'.repeat(200));
    expect(client.received.map((p) => p.t ?? `op${p.op}`)).toEqual(['op10', 'READY', 'op11', 'USER_UPDATE']);
    expect(client.rawFrames.length).toBe(client.received.length);
    for (const frame of client.rawFrames) expect(frame.subarray(-4)).toEqual(SYNC_FLUSH_SUFFIX);
    client.terminate();
  });
});
