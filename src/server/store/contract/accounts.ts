/**
 * Contract cases for {@link AccountStore}: users, usernames, tokens and their use, applications, secrets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsernameTakenError, type Store, type UserRecord } from '../store.js';
import type { OpenStore } from './index.js';

/** A user record with sensible defaults for contract tests. */
export function userRecord(id: string, username: string, extra: Partial<UserRecord> = {}): UserRecord {
  return { id, username, globalName: null, avatar: null, bot: false, passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', createdAt: 1_700_000_000_000, ...extra };
}

export function accountContract(open: OpenStore): void {
  describe('accounts', () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a user and reads it back by ID and by username in any case', async () => {
      const alice = userRecord('100', 'Alice', { globalName: 'Alice A.', avatar: 'abc' });
      await store.createUser(alice);
      expect(await store.getUser('100')).toEqual(alice);
      expect(await store.getUserByUsername('alice')).toEqual(alice);
      expect(await store.getUserByUsername('ALICE')).toEqual(alice);
      expect(await store.getUser('999')).toBeUndefined();
      expect(await store.getUserByUsername('bob')).toBeUndefined();
    });

    it('refuses a username taken in another case', async () => {
      await store.createUser(userRecord('100', 'alice'));
      await expect(store.createUser(userRecord('101', 'ALICE'))).rejects.toBeInstanceOf(UsernameTakenError);
      expect(await store.getUser('101')).toBeUndefined();
    });

    it('reads several users at once, skipping unknown IDs', async () => {
      await store.createUser(userRecord('100', 'alice'));
      await store.createUser(userRecord('101', 'bob'));
      const users = await store.getUsers(['101', '100', '555']);
      expect(users.map((u) => u.username).sort()).toEqual(['alice', 'bob']);
      expect(await store.getUsers([])).toEqual([]);
    });

    it('updates only the given fields, and keeps usernames unique on rename', async () => {
      await store.createUser(userRecord('100', 'alice', { globalName: 'Al' }));
      await store.createUser(userRecord('101', 'bob'));
      await store.updateUser('100', { avatar: 'f00d' });
      expect(await store.getUser('100')).toMatchObject({ username: 'alice', globalName: 'Al', avatar: 'f00d' });
      await store.updateUser('100', { globalName: null, username: 'alicia' });
      expect(await store.getUser('100')).toMatchObject({ username: 'alicia', globalName: null, avatar: 'f00d' });
      expect(await store.getUserByUsername('alice')).toBeUndefined();
      await expect(store.updateUser('100', { username: 'Bob' })).rejects.toBeInstanceOf(UsernameTakenError);
      expect((await store.getUser('100'))?.username).toBe('alicia');
    });

    it('resolves token hashes to users and revokes them one by one or all together', async () => {
      await store.createUser(userRecord('100', 'alice'));
      await store.addToken('hash-a', '100', 1);
      await store.addToken('hash-b', '100', 2);
      expect(await store.getToken('hash-a')).toEqual({ tokenHash: 'hash-a', userId: '100', createdAt: 1, lastUsedAt: null, clientOs: null, clientPlatform: null });
      await store.deleteToken('hash-a');
      expect(await store.getToken('hash-a')).toBeUndefined();
      expect((await store.getToken('hash-b'))?.userId).toBe('100');
      await store.addToken('hash-c', '100', 3);
      await store.deleteTokensOfUser('100');
      expect(await store.getToken('hash-b')).toBeUndefined();
      expect(await store.getToken('hash-c')).toBeUndefined();
    });

    it('records when and from what client a token was used, and lists a user\'s tokens most recently used first', async () => {
      await store.createUser(userRecord('100', 'alice'));
      await store.createUser(userRecord('101', 'bob'));
      await store.addToken('hash-a', '100', 1_000);
      await store.addToken('hash-b', '100', 2_000);
      await store.addToken('hash-c', '100', 3_000);
      await store.addToken('hash-bob', '101', 4_000);
      await store.recordTokenUse('hash-a', { at: 5_000, client: { os: 'Linux', platform: 'Hearth Desktop' } });
      // A use without client keeps the client; an older use never moves the time back.
      await store.recordTokenUse('hash-a', { at: 6_000 });
      await store.recordTokenUse('hash-a', { at: 5_500 });
      await store.recordTokenUse('hash-gone', { at: 7_000 });
      expect(await store.getToken('hash-a')).toEqual({
        tokenHash: 'hash-a', userId: '100', createdAt: 1_000, lastUsedAt: 6_000, clientOs: 'Linux', clientPlatform: 'Hearth Desktop',
      });
      await store.recordTokenUse('hash-b', { at: 2_500, client: { os: null, platform: 'Firefox' } });
      expect((await store.listTokensOfUser('100')).map((t) => [t.tokenHash, t.lastUsedAt, t.clientOs, t.clientPlatform])).toEqual([
        ['hash-a', 6_000, 'Linux', 'Hearth Desktop'],
        ['hash-c', null, null, null],
        ['hash-b', 2_500, null, 'Firefox'],
      ]);
      expect(await store.getToken('hash-gone')).toBeUndefined();
    });

    it('keeps the first value of a server secret, whoever asks later', async () => {
      expect(await store.getOrCreateSecret('attachment-urls', 'first')).toBe('first');
      expect(await store.getOrCreateSecret('attachment-urls', 'second')).toBe('first');
      expect(await store.getOrCreateSecret('other', 'x')).toBe('x');
    });

    it('creates an application with its bot user in one step', async () => {
      await store.createUser(userRecord('100', 'alice'));
      const bot = userRecord('200', 'helper-bot', { bot: true, passwordHash: null });
      const application = { id: '300', ownerId: '100', botUserId: '200', name: 'Helper', description: 'Helps', flags: 0, createdAt: 5 };
      await store.createApplication(application, bot);
      expect(await store.getApplication('300')).toEqual(application);
      expect(await store.getApplicationByBotUser('200')).toEqual(application);
      expect(await store.listApplications('100')).toEqual([application]);
      expect(await store.getUser('200')).toEqual(bot);
      expect(await store.listApplications('200')).toEqual([]);
    });

    it('renames, describes and deletes an application, keeping its bot user', async () => {
      await store.createUser(userRecord('100', 'alice'));
      const bot = userRecord('200', 'helper-bot', { bot: true, passwordHash: null });
      const application = { id: '300', ownerId: '100', botUserId: '200', name: 'Helper', description: '', flags: 1 << 18, createdAt: 5 };
      await store.createApplication(application, bot);
      await store.updateApplication('300', { name: 'Helper 2' });
      await store.updateApplication('300', { description: 'Helps more', flags: 1 << 12 });
      expect(await store.getApplication('300')).toEqual({ ...application, name: 'Helper 2', description: 'Helps more', flags: 1 << 12 });
      await store.deleteApplication('300');
      expect(await store.getApplication('300')).toBeUndefined();
      expect(await store.getApplicationByBotUser('200')).toBeUndefined();
      expect(await store.listApplications('100')).toEqual([]);
      expect(await store.getUser('200')).toEqual(bot);
    });

    it('creates neither the application nor the bot when the bot username is taken', async () => {
      await store.createUser(userRecord('100', 'alice'));
      const bot = userRecord('200', 'Alice', { bot: true, passwordHash: null });
      await expect(
        store.createApplication({ id: '300', ownerId: '100', botUserId: '200', name: 'X', description: '', flags: 0, createdAt: 5 }, bot),
      ).rejects.toBeInstanceOf(UsernameTakenError);
      expect(await store.getApplication('300')).toBeUndefined();
      expect(await store.getUser('200')).toBeUndefined();
    });
  });
}
