/**
 * Accounts on SQLite: users (case-insensitive unique usernames), token hashes and their use, bot
 * applications, server-wide secrets.
 */
import { UsernameTakenError, type AccountStore, type ApplicationRecord, type TokenRecord, type UserRecord } from '../store.js';
import type { SqliteDatabase } from './database.js';
import { partialUpdate } from './updates.js';

interface UserRow {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: number;
  password_hash: string | null;
  created_at: number;
}

interface ApplicationRow {
  id: string;
  owner_id: string;
  bot_user_id: string;
  name: string;
  description: string;
  flags: number;
  created_at: number;
}

interface TokenRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_used_at: number | null;
  client_os: string | null;
  client_platform: string | null;
}

function toToken(row: TokenRow): TokenRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    clientOs: row.client_os,
    clientPlatform: row.client_platform,
  };
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    globalName: row.global_name,
    avatar: row.avatar,
    bot: row.bot === 1,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

function toApplication(row: ApplicationRow): ApplicationRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    botUserId: row.bot_user_id,
    name: row.name,
    description: row.description,
    flags: row.flags,
    createdAt: row.created_at,
  };
}

/** The key that makes usernames unique regardless of case. */
function usernameKey(username: string): string {
  return username.toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Runs a write that may hit the username uniqueness constraint, translating that failure. */
function guardUsername(write: () => void, username: string): void {
  try {
    write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new UsernameTakenError(`The username "${username}" is taken`);
    throw error;
  }
}

/** The {@link AccountStore} over an open, migrated database. */
export function sqliteAccountStore(db: SqliteDatabase): AccountStore {
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, username_key, global_name, avatar, bot, password_hash, created_at)
     VALUES (@id, @username, @usernameKey, @globalName, @avatar, @bot, @passwordHash, @createdAt)`,
  );
  const selectUser = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const selectUserByKey = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_key = ?');
  const selectUsers = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))');
  const insertToken = db.prepare('INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)');
  const selectToken = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE token_hash = ?');
  const selectUserTokens = db.prepare<[string], TokenRow>(
    'SELECT * FROM tokens WHERE user_id = ? ORDER BY COALESCE(last_used_at, created_at) DESC, token_hash',
  );
  const updateTokenUse = db.prepare('UPDATE tokens SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE token_hash = ?');
  const updateTokenClient = db.prepare('UPDATE tokens SET client_os = ?, client_platform = ? WHERE token_hash = ?');
  const insertSecret = db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
  const selectSecret = db.prepare<[string], { value: string }>('SELECT value FROM server_secrets WHERE name = ?');
  const deleteToken = db.prepare('DELETE FROM tokens WHERE token_hash = ?');
  const deleteUserTokens = db.prepare('DELETE FROM tokens WHERE user_id = ?');
  const insertApplication = db.prepare(
    `INSERT INTO applications (id, owner_id, bot_user_id, name, description, flags, created_at)
     VALUES (@id, @ownerId, @botUserId, @name, @description, @flags, @createdAt)`,
  );
  const selectApplication = db.prepare<[string], ApplicationRow>('SELECT * FROM applications WHERE id = ?');
  const selectApplicationByBot = db.prepare<[string], ApplicationRow>('SELECT * FROM applications WHERE bot_user_id = ?');
  const selectApplicationsOfOwner = db.prepare<[string], ApplicationRow>(
    'SELECT * FROM applications WHERE owner_id = ? ORDER BY created_at, id',
  );

  const deleteApplication = db.prepare('DELETE FROM applications WHERE id = ?');
  const updateUserColumns = partialUpdate(db, 'users', 'id = @id');
  const updateApplicationColumns = partialUpdate(db, 'applications', 'id = @id');

  const userParams = (user: UserRecord) => ({
    ...user,
    usernameKey: usernameKey(user.username),
    bot: user.bot ? 1 : 0,
  });

  const createApplicationTx = db.transaction((application: ApplicationRecord, botUser: UserRecord) => {
    insertUser.run(userParams(botUser));
    insertApplication.run(application);
  });

  return {
    async createUser(user) {
      guardUsername(() => insertUser.run(userParams(user)), user.username);
    },
    async getUser(id) {
      const row = selectUser.get(id);
      return row && toUser(row);
    },
    async getUsers(ids) {
      if (ids.length === 0) return [];
      return selectUsers.all(JSON.stringify(ids)).map(toUser);
    },
    async getUserByUsername(username) {
      const row = selectUserByKey.get(usernameKey(username));
      return row && toUser(row);
    },
    async updateUser(id, changes) {
      const columns = {
        username: changes.username,
        username_key: changes.username === undefined ? undefined : usernameKey(changes.username),
        global_name: changes.globalName,
        avatar: changes.avatar,
        password_hash: changes.passwordHash,
      };
      guardUsername(() => updateUserColumns(columns, { id }), changes.username ?? '');
    },
    async addToken(tokenHash, userId, createdAt) {
      insertToken.run(tokenHash, userId, createdAt);
    },
    async getToken(tokenHash) {
      const row = selectToken.get(tokenHash);
      return row && toToken(row);
    },
    async listTokensOfUser(userId) {
      return selectUserTokens.all(userId).map(toToken);
    },
    async recordTokenUse(tokenHash, use) {
      updateTokenUse.run(use.at, tokenHash);
      if (use.client) updateTokenClient.run(use.client.os, use.client.platform, tokenHash);
    },
    async deleteToken(tokenHash) {
      deleteToken.run(tokenHash);
    },
    async deleteTokensOfUser(userId) {
      deleteUserTokens.run(userId);
    },
    async createApplication(application, botUser) {
      guardUsername(() => createApplicationTx(application, botUser), botUser.username);
    },
    async getApplication(id) {
      const row = selectApplication.get(id);
      return row && toApplication(row);
    },
    async getApplicationByBotUser(botUserId) {
      const row = selectApplicationByBot.get(botUserId);
      return row && toApplication(row);
    },
    async listApplications(ownerId) {
      return selectApplicationsOfOwner.all(ownerId).map(toApplication);
    },
    async updateApplication(id, changes) {
      updateApplicationColumns({ name: changes.name, description: changes.description, flags: changes.flags }, { id });
    },
    async deleteApplication(id) {
      deleteApplication.run(id);
    },
    async getOrCreateSecret(name, candidate) {
      insertSecret.run(name, candidate);
      return selectSecret.get(name)!.value;
    },
  };
}
