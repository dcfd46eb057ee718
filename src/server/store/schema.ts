/**
 * Versioned schema migrations, shared in spirit by every Store implementation: each entry is one
 * version, applied in order inside a transaction at start-up, recorded in `schema_version`.
 * SQL here is the SQLite dialect; the PostgreSQL store keeps its own list with the same versions.
 *
 * Messages are keyed by (channel_id, id) as Discord's Cassandra schema: a page of history is one
 * range scan of the primary key, newest first.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, guilds, channels, roles, members, invites, messages, reactions, read states',
    sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL UNIQUE,
  global_name TEXT,
  avatar TEXT,
  bot INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  bot_user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);

CREATE TABLE guilds (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  icon TEXT,
  owner_id TEXT NOT NULL REFERENCES users(id),
  system_channel_id TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  color INTEGER NOT NULL DEFAULT 0,
  hoist INTEGER NOT NULL DEFAULT 0,
  mentionable INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL,
  permissions TEXT NOT NULL
);
CREATE INDEX roles_by_guild ON roles(guild_id, position);

CREATE TABLE members (
  guild_id TEXT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  nick TEXT,
  joined_at INTEGER NOT NULL,
  mute INTEGER NOT NULL DEFAULT 0,
  deaf INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members(user_id);

CREATE TABLE member_roles (
  guild_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (guild_id, user_id, role_id),
  FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  type INTEGER NOT NULL,
  name TEXT NOT NULL,
  topic TEXT,
  parent_id TEXT,
  position INTEGER NOT NULL DEFAULT 0,
  bitrate INTEGER,
  user_limit INTEGER,
  last_message_id TEXT
);
CREATE INDEX channels_by_guild ON channels(guild_id);

CREATE TABLE overwrites (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  target_id TEXT NOT NULL,
  type INTEGER NOT NULL,
  allow TEXT NOT NULL,
  deny TEXT NOT NULL,
  PRIMARY KEY (channel_id, target_id)
) WITHOUT ROWID;

CREATE TABLE invites (
  code TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  inviter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  max_age INTEGER NOT NULL,
  max_uses INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  temporary INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX invites_by_guild ON invites(guild_id);

CREATE TABLE messages (
  channel_id TEXT NOT NULL,
  id TEXT NOT NULL,
  guild_id TEXT,
  author_id TEXT NOT NULL,
  type INTEGER NOT NULL DEFAULT 0,
  content TEXT NOT NULL,
  edited_at INTEGER,
  nonce TEXT,
  flags INTEGER NOT NULL DEFAULT 0,
  pinned INTEGER NOT NULL DEFAULT 0,
  tts INTEGER NOT NULL DEFAULT 0,
  mention_everyone INTEGER NOT NULL DEFAULT 0,
  mentions TEXT NOT NULL DEFAULT '[]',
  mention_roles TEXT NOT NULL DEFAULT '[]',
  attachments TEXT NOT NULL DEFAULT '[]',
  embeds TEXT NOT NULL DEFAULT '[]',
  reference_message_id TEXT,
  PRIMARY KEY (channel_id, id)
) WITHOUT ROWID;
CREATE INDEX messages_by_nonce ON messages(channel_id, author_id, nonce) WHERE nonce IS NOT NULL;

CREATE TABLE reactions (
  channel_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, message_id, emoji, user_id)
) WITHOUT ROWID;

CREATE TABLE read_states (
  user_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  last_message_id TEXT,
  mention_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, channel_id)
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    description: 'bots: managed roles, privileged-intent flags of applications (all on by default)',
    sql: `
ALTER TABLE roles ADD COLUMN bot_user_id TEXT;
ALTER TABLE applications ADD COLUMN flags INTEGER NOT NULL DEFAULT 282624;
`,
  },
  {
    version: 3,
    description: 'sign-ins: when and from what client each token was last used; server-wide secrets',
    sql: `
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;
ALTER TABLE tokens ADD COLUMN client_os TEXT;
ALTER TABLE tokens ADD COLUMN client_platform TEXT;
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
];
