import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlEvent } from '../bus/events.js';
import { createLogger } from '../logger.js';
import { userRecord } from '../store/contract/accounts.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import { Authenticator, TOKEN_USE_INTERVAL_MS, hashToken, newToken } from './auth.js';
import { clientFromIdentify, clientFromUserAgent } from './client-info.js';

const DAY = 86_400_000;

describe('Authenticator', () => {
  let dir: string;
  let store: Store;
  let now: number;
  let revoked: ControlEvent[];
  const authenticator = (inactivityExpiryMs = 0) =>
    new Authenticator(store, { inactivityExpiryMs, events: { publishControl: (event) => revoked.push(event) }, logger: createLogger('silent'), now: () => now });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-auth-'));
    store = openSqliteStore(path.join(dir, 'hearth.db'));
    now = 1_800_000_000_000;
    revoked = [];
    await store.createUser(userRecord('100', 'alice'));
    await store.createUser(userRecord('200', 'robot', { bot: true, passwordHash: null }));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function tokenOf(userId: string, createdAt = now): Promise<string> {
    const token = newToken(userId);
    await store.addToken(hashToken(token), userId, createdAt);
    return token;
  }
  const lastUsed = async (token: string) => (await store.getToken(hashToken(token)))?.lastUsedAt;

  it('records a use at most once per interval, from requests and from gateway heartbeats alike', async () => {
    const auth = authenticator();
    const token = await tokenOf('100');
    await auth.authenticate(token);
    expect(await lastUsed(token)).toBe(now);
    const first = now;
    now += TOKEN_USE_INTERVAL_MS - 1;
    await auth.authenticate(token);
    auth.noteUse(hashToken(token));
    expect(await lastUsed(token)).toBe(first);
    now += 1;
    auth.noteUse(hashToken(token));
    await expect.poll(() => lastUsed(token)).toBe(now);
  });

  it('keeps what IDENTIFY says about the client over what a User-Agent says', async () => {
    const auth = authenticator();
    const token = await tokenOf('100');
    const client = async () => {
      const record = await store.getToken(hashToken(token));
      return [record?.clientOs, record?.clientPlatform];
    };
    await auth.authenticate(token, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36');
    expect(await client()).toEqual(['Windows', 'Chrome']);
    await auth.authenticateGatewayToken(token, clientFromIdentify({ os: 'Linux x86_64', browser: 'Hearth Web' }));
    expect(await client()).toEqual(['Linux', 'Hearth Web']);
    await auth.authenticate(token, 'curl/8.5.0');
    expect(await client()).toEqual(['Linux', 'Hearth Web']);
  });

  it('signs out user sign-ins unused for the configured time, announcing the revocation; bots never expire', async () => {
    const auth = authenticator(7 * DAY);
    const unused = await tokenOf('100', now - 8 * DAY);
    const used = await tokenOf('100', now - 30 * DAY);
    await store.recordTokenUse(hashToken(used), { at: now - 6 * DAY });
    const bot = await tokenOf('200', now - 365 * DAY);
    await expect(auth.authenticate(unused)).rejects.toMatchObject({ errorName: 'UNAUTHORIZED' });
    await expect(auth.authenticateGatewayToken(unused)).rejects.toMatchObject({ errorName: 'INVALID_AUTH_TOKEN' });
    expect(await store.getToken(hashToken(unused))).toBeUndefined();
    expect(revoked).toEqual([{ kind: 'tokens-revoked', tokenHashes: [hashToken(unused)] }]);
    expect((await auth.authenticate(used)).id).toBe('100');
    expect((await auth.authenticate(`Bot ${bot}`)).id).toBe('200');
    // Without an expiry configured, nothing expires.
    const old = await tokenOf('100', now - 3650 * DAY);
    expect((await authenticator(0).authenticate(old)).id).toBe('100');
  });
});

describe('client descriptions', () => {
  it('names operating systems and apps from User-Agents and IDENTIFY properties', () => {
    expect(clientFromUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15')).toEqual({ os: 'macOS', platform: 'Safari' });
    expect(clientFromUserAgent('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36')).toEqual({ os: 'Android', platform: 'Chrome' });
    expect(clientFromUserAgent('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0')).toEqual({ os: 'Windows', platform: 'Edge' });
    expect(clientFromUserAgent('DiscordBot (https://discord.js.org, 2.5.1) Node.js/v20.19.0')).toEqual({ os: null, platform: 'Bot library' });
    expect(clientFromUserAgent('curl/8.5.0')).toEqual({ os: null, platform: 'curl' });
    expect(clientFromUserAgent('')).toBeUndefined();
    expect(clientFromIdentify({ os: 'darwin', browser: 'Hearth Desktop' })).toEqual({ os: 'macOS', platform: 'Hearth Desktop' });
    expect(clientFromIdentify({ os: 'unknown', browser: 'discord.js' })).toEqual({ os: null, platform: 'discord.js' });
  });
});
