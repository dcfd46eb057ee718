import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes structured JSON lines with the level and message', () => {
    const { stream, lines } = capture();
    createLogger('info', stream).info({ userId: '1' }, 'signed in');
    expect(lines()[0]).toMatchObject({ level: 30, msg: 'signed in', userId: '1', service: 'hearth' });
  });

  it('redacts tokens, passwords and authorization headers', () => {
    const { stream, lines } = capture();
    const logger = createLogger('info', stream);
    logger.info({ token: 'secret-token', password: 'hunter22', req: { headers: { authorization: 'Bot abc' } } }, 'x');
    logger.info({ body: { password: 'p4ssw0rd!', token: 't' } }, 'y');
    logger.info({ payload: { d: { token: 'gateway-token' } } }, 'z');
    const text = JSON.stringify(lines());
    for (const secret of ['secret-token', 'hunter22', 'Bot abc', 'p4ssw0rd!', 'gateway-token']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
