import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdUntilTurnEnds } from './turn-writes.js';

/** A connected loopback pair: what `client` writes arrives at the returned `received` list. */
async function socketPair(): Promise<{ client: net.Socket; chunks: string[]; close(): void }> {
  const chunks: string[] = [];
  const server = net.createServer((peer) => peer.on('data', (data) => chunks.push(data.toString())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return { client, chunks, close: () => { client.destroy(); server.close(); } };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('holdUntilTurnEnds', () => {
  let close = () => {};
  afterEach(() => close());

  it('keeps a turn\'s writes to a socket together and sends them once the turn ends', async () => {
    const pair = await socketPair();
    close = pair.close;
    holdUntilTurnEnds(pair.client);
    pair.client.write('one,');
    holdUntilTurnEnds(pair.client);
    pair.client.write('two,');
    pair.client.write('three');
    // Within the turn nothing has reached the system: all three wait in the corked socket.
    expect(pair.client.writableCorked).toBe(1);
    expect(pair.client.writableLength).toBe('one,two,three'.length);

    await nextTurn();
    expect(pair.client.writableCorked).toBe(0);
    await expect.poll(() => pair.chunks.join('')).toBe('one,two,three');
    // One writev of the three writes: the peer reads them as one chunk.
    expect(pair.chunks).toEqual(['one,two,three']);
  });

  it('corks each socket once per turn, and again in the next turn', async () => {
    const first = await socketPair();
    const second = await socketPair();
    close = () => { first.close(); second.close(); };
    holdUntilTurnEnds(first.client);
    holdUntilTurnEnds(second.client);
    holdUntilTurnEnds(first.client);
    expect([first.client.writableCorked, second.client.writableCorked]).toEqual([1, 1]);
    await nextTurn();
    expect([first.client.writableCorked, second.client.writableCorked]).toEqual([0, 0]);

    holdUntilTurnEnds(first.client);
    first.client.write('later');
    expect(first.client.writableCorked).toBe(1);
    await nextTurn();
    await expect.poll(() => first.chunks.join('')).toBe('later');
  });
});
