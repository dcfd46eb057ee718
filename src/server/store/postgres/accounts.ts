/**
 * Accounts on PostgreSQL: users (case-insensitive unique usernames), token hashes and their use,
 * bot applications, server-wide secrets.
 */
import { UsernameTakenError, type AccountStore, type ApplicationRecord, type TokenRecord, type UserRecord } from '../store.js';
import {
  execute, idParam, idsParam, isUniqueViolation, num, query, queryOne, statement, transaction, updateColumns, type PgPool, type Queryable,
} from './database.js';

interface UserRow {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: boolean;
  password_hash: string | null;
  created_at: string;
}

interface ApplicationRow {
  id: string;
  owner_id: string;
  bot_user_id: string;
  name: string;
  description: string;
  flags: number;
  created_at: string;
}

interface TokenRow {
  token_hash: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  client_os: string | null;
  client_platform: string | null;
}

const USER = 'id, username, global_name, avatar, bot, password_hash, created_at';
const TOKEN = 'token_hash, user_id, created_at, last_used_at, client_os, client_platform';
const APPLICATION = 'id, owner_id, bot_user_id, name, description, flags, created_at';

const sql = {
  insertUser: statement(`INSERT INTO users (id, username, username_key, global_name, avatar, bot, password_hash, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`),
  user: statement(`SELECT ${USER} FROM users WHERE id = $1`),
  userByKey: statement(`SELECT ${USER} FROM users WHERE username_key = $1`),
  users: statement(`SELECT ${USER} FROM users WHERE id = ANY($1::bigint[])`),
  insertToken: statement('INSERT INTO tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)'),
  token: statement(`SELECT ${TOKEN} FROM tokens WHERE token_hash = $1`),
  userTokens: statement(`SELECT ${TOKEN} FROM tokens WHERE user_id = $1 ORDER BY COALESCE(last_used_at, created_at) DESC, token_hash`),
  tokenUse: statement('UPDATE tokens SET last_used_at = GREATEST(COALESCE(last_used_at, 0), $1) WHERE token_hash = $2'),
  tokenClient: statement('UPDATE tokens SET client_os = $1, client_platform = $2 WHERE token_hash = $3'),
  insertSecret: statement('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING'),
  secret: statement('SELECT value FROM server_secrets WHERE name = $1'),
  deleteToken: statement('DELETE FROM tokens WHERE token_hash = $1'),
  deleteUserTokens: statement('DELETE FROM tokens WHERE user_id = $1'),
  insertApplication: statement(`INSERT INTO applications (${APPLICATION}) VALUES ($1, $2, $3, $4, $5, $6, $7)`),
  application: statement(`SELECT ${APPLICATION} FROM applications WHERE id = $1`),
  applicationByBot: statement(`SELECT ${APPLICATION} FROM applications WHERE bot_user_id = $1`),
  applicationsOfOwner: statement(`SELECT ${APPLICATION} FROM applications WHERE owner_id = $1 ORDER BY created_at, id`),
  deleteApplication: statement('DELETE FROM applications WHERE id = $1'),
};

function toToken(row: TokenRow): TokenRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: num(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : num(row.last_used_at),
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
    bot: row.bot,
    passwordHash: row.password_hash,
    createdAt: num(row.created_at),
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
    createdAt: num(row.created_at),
  };
}

/** The key that makes usernames unique regardless of case (the same rule as the SQLite store). */
function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** Runs a write that may hit the username uniqueness constraint, translating that failure. */
async function guardUsername(write: () => Promise<unknown>, username: string): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error, 'users_username_unique')) throw new UsernameTakenError(`The username "${username}" is taken`);
    throw error;
  }
}

function insertUser(db: Queryable, user: UserRecord): Promise<number> {
  return execute(db, sql.insertUser, [
    user.id, user.username, usernameKey(user.username), user.globalName, user.avatar, user.bot, user.passwordHash, user.createdAt,
  ]);
}

/** The {@link AccountStore} over a migrated database. */
export function postgresAccountStore(pool: PgPool): AccountStore {
  return {
    async createUser(user) {
      await guardUsername(() => insertUser(pool, user), user.username);
    },
    getUser(id) {
      return queryOne(pool, sql.user, [idParam(id)], toUser);
    },
    async getUsers(ids) {
      const wanted = idsParam(ids);
      if (wanted.length === 0) return [];
      return (await query<UserRow>(pool, sql.users, [wanted])).map(toUser);
    },
    getUserByUsername(username) {
      return queryOne(pool, sql.userByKey, [usernameKey(username)], toUser);
    },
    async updateUser(id, changes) {
      const columns = {
        username: changes.username,
        username_key: changes.username === undefined ? undefined : usernameKey(changes.username),
        global_name: changes.globalName,
        avatar: changes.avatar,
        password_hash: changes.passwordHash,
      };
      await guardUsername(() => updateColumns(pool, 'users', columns, { id: idParam(id) }), changes.username ?? '');
    },
    async addToken(tokenHash, userId, createdAt) {
      await execute(pool, sql.insertToken, [tokenHash, userId, createdAt]);
    },
    getToken(tokenHash) {
      return queryOne(pool, sql.token, [tokenHash], toToken);
    },
    async listTokensOfUser(userId) {
      return (await query<TokenRow>(pool, sql.userTokens, [idParam(userId)])).map(toToken);
    },
    async recordTokenUse(tokenHash, use) {
      await execute(pool, sql.tokenUse, [use.at, tokenHash]);
      if (use.client) await execute(pool, sql.tokenClient, [use.client.os, use.client.platform, tokenHash]);
    },
    async deleteToken(tokenHash) {
      await execute(pool, sql.deleteToken, [tokenHash]);
    },
    async deleteTokensOfUser(userId) {
      await execute(pool, sql.deleteUserTokens, [idParam(userId)]);
    },
    async createApplication(application, botUser) {
      await guardUsername(
        () =>
          transaction(pool, async (client) => {
            await insertUser(client, botUser);
            const a = application;
            await execute(client, sql.insertApplication, [a.id, a.ownerId, a.botUserId, a.name, a.description, a.flags, a.createdAt]);
          }),
        botUser.username,
      );
    },
    getApplication(id) {
      return queryOne(pool, sql.application, [idParam(id)], toApplication);
    },
    getApplicationByBotUser(botUserId) {
      return queryOne(pool, sql.applicationByBot, [idParam(botUserId)], toApplication);
    },
    async listApplications(ownerId) {
      return (await query<ApplicationRow>(pool, sql.applicationsOfOwner, [idParam(ownerId)])).map(toApplication);
    },
    async updateApplication(id, changes) {
      await updateColumns(pool, 'applications', { name: changes.name, description: changes.description, flags: changes.flags }, { id: idParam(id) });
    },
    async deleteApplication(id) {
      await execute(pool, sql.deleteApplication, [idParam(id)]);
    },
    async getOrCreateSecret(name, candidate) {
      await execute(pool, sql.insertSecret, [name, candidate]);
      const [row] = await query<{ value: string }>(pool, sql.secret, [name]);
      return row!.value;
    },
  };
}
