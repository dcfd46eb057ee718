import { afterEach, describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../shared/protocol/rest.js';
import { api, registerUser } from '../test-support/api.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { startTestServer, TEST_PASSWORD_COST, type TestServer } from '../test-support/server.js';
import { OWASP_SCRYPT, PasswordHasher } from './passwords.js';

describe('password hashing', () => {
  let test: TestServer | undefined;
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  it("hashes at OWASP's scrypt minimum (N=2^17, r=8, p=1) unless a test asks for less", async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131_072, r: 8, p: 1 });
    test = await startTestServer({}, { passwordCost: undefined });
    const alice = await registerUser(test.url, 'alice', 'right password');
    const stored = (await test.server.context.store.getUser(alice.id))?.passwordHash;
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'right password' } })).status).toBe(200);
  });

  it('replaces a hash made with older parameters at the next sign-in', async () => {
    test = await startTestServer();
    const alice = await registerUser(test.url, 'alice', 'right password');
    const store = test.server.context.store;
    // The format earlier Hearth versions stored: scrypt N=2^14.
    const old = await new PasswordHasher({ N: 16_384, r: 8, p: 1 }).hash('right password');
    await store.updateUser(alice.id, { passwordHash: old });
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'wrong password' } })).status).toBe(400);
    expect((await store.getUser(alice.id))?.passwordHash).toBe(old);

    const signedIn = await api<AuthResponse>(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'right password' } });
    expect(signedIn.status).toBe(200);
    const upgraded = (await store.getUser(alice.id))?.passwordHash;
    expect(upgraded).toMatch(new RegExp(`^scrypt\\$${TEST_PASSWORD_COST.N}\\$8\\$1\\$`));
    expect(upgraded).not.toBe(old);
    expect((await api(test.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'right password' } })).status).toBe(200);
    // The device token handed out with the upgrade is bound to the new hash, and works.
    const again = await api(test.url, 'POST', '/auth/login', {
      body: { login: 'alice', password: 'right password' }, headers: { 'x-hearth-device': signedIn.body.device_token },
    });
    expect(again.status).toBe(200);
  });

  it('keeps the thread pool free for the gateway while many passwords are hashed', async () => {
    // A cost high enough that a hash outlasts a compressed heartbeat by far (about 100 ms).
    test = await startTestServer({ heartbeatIntervalMs: 30_000 }, { passwordCost: { N: 16_384, r: 8, p: 1 } });
    const url = test.url;
    const alice = await registerUser(url, 'alice');
    // zlib-stream deflates every message on libuv's thread pool, where scrypt runs too.
    const { client } = await GatewayTestClient.identified(url, alice.token, {}, { compress: true });
    try {
      let finished = 0;
      const registrations = Array.from({ length: 24 }, (_, i) =>
        api(url, 'POST', '/auth/register', { body: { username: `crowd${i}`, password: 'a long password' } }).then((response) => {
          finished += 1;
          return response.status;
        }));
      // Once one is done, every other registration is queued for a hash.
      await Promise.race(registrations);
      const finishedBefore = finished;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      await client.heartbeat();
      // Answered while the hashes still run: at most the two in progress (and a stray one) finished meanwhile.
      expect(finished - finishedBefore).toBeLessThanOrEqual(4);
      expect(finished).toBeLessThan(24);
      expect(await Promise.all(registrations)).toEqual(Array.from({ length: 24 }, () => 201));
    } finally {
      client.terminate();
    }
  });
});
