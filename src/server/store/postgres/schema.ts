/**
 * PostgreSQL migrations, with the same version numbers as {@link SQLITE_MIGRATIONS}: version N
 * means the same tables and meaning in both dialects.
 *
 * Snowflakes are BIGINT (numeric order is ID order, and the driver hands them back as decimal
 * strings, their wire form); millisecond timestamps are BIGINT; permission bit sets are
 * NUMERIC(20,0) so every unsigned 64-bit value fits. Text that is sorted or compared byte-wise
 * (invite codes, emoji) uses the "C" collation, so order does not depend on the server's locale.
 *
 * Messages are keyed by (channel_id, id) as Discord's Cassandra schema: a page of history is one
 * range scan of the primary key, newest first. Reactions are keyed the same way.
 */
import type { Migration } from '../schema.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, guilds, channels, roles, members, invites, messages, reactions, read states',
    sql: `
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL CONSTRAINT users_username_unique UNIQUE,
  global_name TEXT,
  avatar TEXT,
  bot BOOLEAN NOT NULL DEFAULT FALSE,
  password_hash TEXT,
  created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL
);
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE applications (
  id BIGINT PRIMARY KEY,
  owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  bot_user_id BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX applications_by_owner ON applications(owner_id, created_at);

CREATE TABLE guilds (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  icon TEXT,
  owner_id BIGINT NOT NULL REFERENCES users(id),
  system_channel_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX guilds_by_owner ON guilds(owner_id);

CREATE TABLE roles (
  id BIGINT PRIMARY KEY,
  guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  color INTEGER NOT NULL DEFAULT 0,
  hoist BOOLEAN NOT NULL DEFAULT FALSE,
  mentionable BOOLEAN NOT NULL DEFAULT FALSE,
  position INTEGER NOT NULL,
  permissions NUMERIC(20, 0) NOT NULL CHECK (permissions >= 0)
);
CREATE INDEX roles_by_guild ON roles(guild_id, position);

CREATE TABLE members (
  guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  nick TEXT,
  joined_at BIGINT NOT NULL,
  mute BOOLEAN NOT NULL DEFAULT FALSE,
  deaf BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX members_by_user ON members(user_id, joined_at);

CREATE TABLE member_roles (
  guild_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (guild_id, user_id, role_id),
  FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX member_roles_by_role ON member_roles(role_id);

CREATE TABLE channels (
  id BIGINT PRIMARY KEY,
  guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  type INTEGER NOT NULL,
  name TEXT NOT NULL,
  topic TEXT,
  parent_id BIGINT,
  position INTEGER NOT NULL DEFAULT 0,
  bitrate INTEGER,
  user_limit INTEGER,
  last_message_id BIGINT
);
CREATE INDEX channels_by_guild ON channels(guild_id, position);
CREATE INDEX channels_by_parent ON channels(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE overwrites (
  channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  target_id BIGINT NOT NULL,
  type INTEGER NOT NULL,
  allow NUMERIC(20, 0) NOT NULL CHECK (allow >= 0),
  deny NUMERIC(20, 0) NOT NULL CHECK (deny >= 0),
  PRIMARY KEY (channel_id, target_id)
);
CREATE INDEX overwrites_by_target ON overwrites(target_id);

CREATE TABLE invites (
  code TEXT COLLATE "C" PRIMARY KEY,
  guild_id BIGINT NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  inviter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  max_age INTEGER NOT NULL,
  max_uses INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  temporary BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);
CREATE INDEX invites_by_guild ON invites(guild_id, created_at);
CREATE INDEX invites_by_channel ON invites(channel_id);
CREATE INDEX invites_by_inviter ON invites(inviter_id) WHERE inviter_id IS NOT NULL;

CREATE TABLE messages (
  channel_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  guild_id BIGINT,
  author_id BIGINT NOT NULL,
  type INTEGER NOT NULL DEFAULT 0,
  content TEXT NOT NULL,
  edited_at BIGINT,
  nonce TEXT,
  flags INTEGER NOT NULL DEFAULT 0,
  pinned BOOLEAN NOT NULL DEFAULT FALSE,
  tts BOOLEAN NOT NULL DEFAULT FALSE,
  mention_everyone BOOLEAN NOT NULL DEFAULT FALSE,
  mentions JSONB NOT NULL DEFAULT '[]',
  mention_roles JSONB NOT NULL DEFAULT '[]',
  attachments JSONB NOT NULL DEFAULT '[]',
  embeds JSONB NOT NULL DEFAULT '[]',
  reference_message_id BIGINT,
  CONSTRAINT messages_pkey PRIMARY KEY (channel_id, id)
);
CREATE INDEX messages_by_nonce ON messages(channel_id, author_id, nonce) WHERE nonce IS NOT NULL;

CREATE TABLE reactions (
  channel_id BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  emoji TEXT COLLATE "C" NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, message_id, emoji, user_id)
);

CREATE TABLE read_states (
  user_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  last_message_id BIGINT,
  mention_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, channel_id)
);
CREATE INDEX read_states_by_channel ON read_states(channel_id);
`,
  },
  {
    version: 2,
    description: 'bots: managed roles, privileged-intent flags of applications (all on by default)',
    sql: `
ALTER TABLE roles ADD COLUMN bot_user_id BIGINT;
ALTER TABLE applications ADD COLUMN flags INTEGER NOT NULL DEFAULT 282624;
`,
  },
  {
    version: 3,
    description: 'sign-ins: when and from what client each token was last used; server-wide secrets',
    sql: `
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE tokens ADD COLUMN client_os TEXT;
ALTER TABLE tokens ADD COLUMN client_platform TEXT;
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
];
