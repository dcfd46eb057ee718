/**
 * Accounts on PostgreSQL: users (case-insensitive unique usernames), token hashes, bot applications.
 */
import { UsernameTakenError, type AccountStore, type ApplicationRecord, type UserRecord } from '../store.js';
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

const USER = 'id, username, global_name, avatar, bot, password_hash, created_at';
const APPLICATION = 'id, owner_id, bot_user_id, name, description, flags, created_at';

const sql = {
  insertUser: statement(`INSERT INTO users (id, username, username_key, global_name, avatar, bot, password_hash, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`),
  user: statement(`SELECT ${USER} FROM users WHERE id = $1`),
  userByKey: statement(`SELECT ${USER} FROM users WHERE username_key = $1`),
  users: statement(`SELECT ${USER} FROM users WHERE id = ANY($1::bigint[])`),
  insertToken: statement('INSERT INTO tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)'),
  token: statement('SELECT user_id FROM tokens WHERE token_hash = $1'),
  deleteToken: statement('DELETE FROM tokens WHERE token_hash = $1'),
  deleteUserTokens: statement('DELETE FROM tokens WHERE user_id = $1'),
  insertApplication: statement(`INSERT INTO applications (${APPLICATION}) VALUES ($1, $2, $3, $4, $5, $6, $7)`),
  application: statement(`SELECT ${APPLICATION} FROM applications WHERE id = $1`),
  applicationByBot: statement(`SELECT ${APPLICATION} FROM applications WHERE bot_user_id = $1`),
  applicationsOfOwner: statement(`SELECT ${APPLICATION} FROM applications WHERE owner_id = $1 ORDER BY created_at, id`),
  deleteApplication: statement('DELETE FROM applications WHERE id = $1'),
};

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
    async getUserIdByToken(tokenHash) {
      return (await query<{ user_id: string }>(pool, sql.token, [tokenHash]))[0]?.user_id;
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
  };
}
