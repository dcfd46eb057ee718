/**
 * The storage contract. Every implementation (SQLite embedded default, PostgreSQL for several
 * nodes) passes the same contract suite (`*.contract.ts`). Methods are async so that a networked
 * database fits; records are plain rows, turned into wire shapes by the API layer.
 *
 * Writes that must be seen together (a new guild with its roles and channels, a member with roles)
 * are single methods so each implementation can make them one transaction.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { Attachment, Embed } from '../../shared/protocol/entities.js';

// ---- Records ----

export interface UserRecord {
  id: Snowflake;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
  /** scrypt hash `scrypt$N$r$p$salt$hash` (base64 parts); null for bots. */
  passwordHash: string | null;
  createdAt: number;
}

export interface ApplicationRecord {
  id: Snowflake;
  ownerId: Snowflake;
  botUserId: Snowflake;
  name: string;
  description: string;
  /**
   * Discord's application flags; Hearth uses the privileged-intent bits (GATEWAY_PRESENCE,
   * GATEWAY_GUILD_MEMBERS, GATEWAY_MESSAGE_CONTENT) that the owner switches on or off.
   */
  flags: number;
  createdAt: number;
}

export interface GuildRecord {
  id: Snowflake;
  name: string;
  icon: string | null;
  ownerId: Snowflake;
  systemChannelId: Snowflake | null;
  createdAt: number;
}

export interface RoleRecord {
  id: Snowflake;
  guildId: Snowflake;
  name: string;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  position: number;
  permissions: bigint;
  /**
   * Set on the managed role Hearth creates when a bot joins a guild (Discord's `tags.bot_id`):
   * only the bot holds it, and it goes when the bot leaves.
   */
  botUserId?: Snowflake;
}

export interface MemberRecord {
  guildId: Snowflake;
  userId: Snowflake;
  nick: string | null;
  joinedAt: number;
  mute: boolean;
  deaf: boolean;
  /** Role IDs, not including @everyone. */
  roleIds: Snowflake[];
}

export interface OverwriteRecord {
  targetId: Snowflake;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface ChannelRecord {
  id: Snowflake;
  guildId: Snowflake;
  /** 0 text, 2 voice, 4 category. */
  type: 0 | 2 | 4;
  name: string;
  topic: string | null;
  parentId: Snowflake | null;
  position: number;
  bitrate: number | null;
  userLimit: number | null;
  lastMessageId: Snowflake | null;
  overwrites: OverwriteRecord[];
}

export interface InviteRecord {
  code: string;
  guildId: Snowflake;
  channelId: Snowflake;
  inviterId: Snowflake | null;
  /** Seconds; 0 = never expires. */
  maxAge: number;
  /** 0 = unlimited. */
  maxUses: number;
  uses: number;
  temporary: boolean;
  createdAt: number;
}

export interface MessageRecord {
  id: Snowflake;
  channelId: Snowflake;
  guildId: Snowflake | null;
  authorId: Snowflake;
  type: number;
  content: string;
  editedAt: number | null;
  nonce: string | null;
  flags: number;
  pinned: boolean;
  tts: boolean;
  mentionEveryone: boolean;
  mentionIds: Snowflake[];
  mentionRoleIds: Snowflake[];
  attachments: Attachment[];
  embeds: Embed[];
  referenceMessageId: Snowflake | null;
}

/** Reactions on one message, grouped by emoji, in first-reacted order. */
export interface ReactionSummary {
  messageId: Snowflake;
  /** Unicode emoji text. */
  emoji: string;
  count: number;
  /** Whether the asking user is among the reactors. */
  me: boolean;
}

export interface ReadStateRecord {
  userId: Snowflake;
  channelId: Snowflake;
  lastMessageId: Snowflake | null;
  mentionCount: number;
}

/** A page of history: newest first, like Discord. Exactly one of before/after/around, or none. */
export interface HistoryQuery {
  before?: Snowflake;
  after?: Snowflake;
  around?: Snowflake;
  /** 1–100. */
  limit: number;
}

/** A new guild in one transaction: the guild, its @everyone role, the owner as member, its channels. */
export interface NewGuild {
  guild: GuildRecord;
  everyoneRole: RoleRecord;
  channels: ChannelRecord[];
}

// ---- The interface ----

/** A sign-in: one access token (stored as its hash) and what is known of its use. */
export interface TokenRecord {
  tokenHash: string;
  userId: Snowflake;
  createdAt: number;
  /** When it was last used, coarsely (use is recorded at most every few minutes); null before its first use. */
  lastUsedAt: number | null;
  /** The operating system of the client last seen with it, when known. */
  clientOs: string | null;
  /** The app or browser last seen with it, when known. */
  clientPlatform: string | null;
}

/** A recorded use of a token. */
export interface TokenUse {
  at: number;
  /** The client it was used from; replaces what was recorded when given. */
  client?: { os: string | null; platform: string | null };
}

export interface AccountStore {
  /** Fails with `UsernameTakenError` when the username (case-insensitive) exists. */
  createUser(user: UserRecord): Promise<void>;
  getUser(id: Snowflake): Promise<UserRecord | undefined>;
  getUsers(ids: readonly Snowflake[]): Promise<UserRecord[]>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  updateUser(id: Snowflake, changes: Partial<Pick<UserRecord, 'username' | 'globalName' | 'avatar' | 'passwordHash'>>): Promise<void>;
  addToken(tokenHash: string, userId: Snowflake, createdAt: number): Promise<void>;
  getToken(tokenHash: string): Promise<TokenRecord | undefined>;
  /** The user's tokens, most recently used (or created) first. */
  listTokensOfUser(userId: Snowflake): Promise<TokenRecord[]>;
  /** Records a use of the token (nothing happens when it is gone). */
  recordTokenUse(tokenHash: string, use: TokenUse): Promise<void>;
  deleteToken(tokenHash: string): Promise<void>;
  /** Revokes every token of the user (bot token reset). */
  deleteTokensOfUser(userId: Snowflake): Promise<void>;
  /**
   * The server-wide secret called `name`: the first call stores `candidate`, and every later call,
   * on any node sharing the database, returns the stored value.
   */
  getOrCreateSecret(name: string, candidate: string): Promise<string>;

  createApplication(application: ApplicationRecord, botUser: UserRecord): Promise<void>;
  getApplication(id: Snowflake): Promise<ApplicationRecord | undefined>;
  getApplicationByBotUser(botUserId: Snowflake): Promise<ApplicationRecord | undefined>;
  listApplications(ownerId: Snowflake): Promise<ApplicationRecord[]>;
  updateApplication(id: Snowflake, changes: Partial<Pick<ApplicationRecord, 'name' | 'description' | 'flags'>>): Promise<void>;
  /** Deletes the application row only; its bot user stays (messages keep their author). */
  deleteApplication(id: Snowflake): Promise<void>;
}

export interface GuildStore {
  createGuild(newGuild: NewGuild): Promise<void>;
  getGuild(id: Snowflake): Promise<GuildRecord | undefined>;
  updateGuild(id: Snowflake, changes: Partial<Pick<GuildRecord, 'name' | 'icon' | 'ownerId' | 'systemChannelId'>>): Promise<void>;
  /** Deletes the guild with its roles, members, channels, invites, messages, reactions and read states. */
  deleteGuild(id: Snowflake): Promise<void>;
  /** IDs of the guilds the user is a member of, oldest membership first. */
  listGuildIdsOfUser(userId: Snowflake): Promise<Snowflake[]>;

  addMember(member: MemberRecord): Promise<void>;
  getMember(guildId: Snowflake, userId: Snowflake): Promise<MemberRecord | undefined>;
  /** Members ordered by user ID, after the given user ID. */
  listMembers(guildId: Snowflake, options: { after?: Snowflake; limit: number }): Promise<MemberRecord[]>;
  countMembers(guildId: Snowflake): Promise<number>;
  updateMember(guildId: Snowflake, userId: Snowflake, changes: Partial<Pick<MemberRecord, 'nick' | 'mute' | 'deaf' | 'roleIds'>>): Promise<void>;
  removeMember(guildId: Snowflake, userId: Snowflake): Promise<void>;

  createRole(role: RoleRecord): Promise<void>;
  listRoles(guildId: Snowflake): Promise<RoleRecord[]>;
  updateRole(id: Snowflake, changes: Partial<Omit<RoleRecord, 'id' | 'guildId'>>): Promise<void>;
  /** Also removes the role from every member and overwrite. */
  deleteRole(id: Snowflake): Promise<void>;
  setRolePositions(guildId: Snowflake, positions: readonly { id: Snowflake; position: number }[]): Promise<void>;

  createChannel(channel: ChannelRecord): Promise<void>;
  getChannel(id: Snowflake): Promise<ChannelRecord | undefined>;
  listChannels(guildId: Snowflake): Promise<ChannelRecord[]>;
  /** `overwrites`, when given, replaces the whole set. */
  updateChannel(id: Snowflake, changes: Partial<Omit<ChannelRecord, 'id' | 'guildId' | 'type'>>): Promise<void>;
  /** Deletes the channel with its messages, reactions, invites and read states; children become uncategorized. */
  deleteChannel(id: Snowflake): Promise<void>;
  setChannelPositions(guildId: Snowflake, positions: readonly { id: Snowflake; position: number; parentId?: Snowflake | null }[]): Promise<void>;
  putOverwrite(channelId: Snowflake, overwrite: OverwriteRecord): Promise<void>;
  deleteOverwrite(channelId: Snowflake, targetId: Snowflake): Promise<void>;

  createInvite(invite: InviteRecord): Promise<void>;
  getInvite(code: string): Promise<InviteRecord | undefined>;
  listInvites(guildId: Snowflake): Promise<InviteRecord[]>;
  deleteInvite(code: string): Promise<void>;
  /**
   * Atomically counts one use and adds the member. Returns false (and changes nothing) when the
   * invite is gone, expired at `now`, or used up.
   */
  useInvite(code: string, member: MemberRecord, now: number): Promise<boolean>;
}

export interface MessageStore {
  /** Stores the message durably and sets the channel's last message ID. */
  createMessage(message: MessageRecord): Promise<void>;
  getMessage(channelId: Snowflake, id: Snowflake): Promise<MessageRecord | undefined>;
  getMessages(channelId: Snowflake, ids: readonly Snowflake[]): Promise<MessageRecord[]>;
  /** The message this author sent in this channel with this nonce (for `enforce_nonce`). */
  getMessageByNonce(channelId: Snowflake, authorId: Snowflake, nonce: string): Promise<MessageRecord | undefined>;
  /** Newest first; `around` returns up to limit/2 on each side plus the message itself. */
  listMessages(channelId: Snowflake, query: HistoryQuery): Promise<MessageRecord[]>;
  updateMessage(channelId: Snowflake, id: Snowflake, changes: Partial<Pick<MessageRecord, 'content' | 'editedAt' | 'embeds' | 'mentionIds' | 'mentionRoleIds' | 'mentionEveryone' | 'attachments' | 'flags' | 'pinned'>>): Promise<void>;
  deleteMessage(channelId: Snowflake, id: Snowflake): Promise<void>;

  /** Returns false when the user had already reacted with this emoji. */
  addReaction(channelId: Snowflake, messageId: Snowflake, emoji: string, userId: Snowflake, createdAt: number): Promise<boolean>;
  /** Returns false when there was no such reaction. */
  removeReaction(channelId: Snowflake, messageId: Snowflake, emoji: string, userId: Snowflake): Promise<boolean>;
  /** Removes all reactions, or all of one emoji. */
  removeAllReactions(channelId: Snowflake, messageId: Snowflake, emoji?: string): Promise<void>;
  /** Reaction counts for several messages of one channel, with `me` for `viewerId`. */
  listReactions(channelId: Snowflake, messageIds: readonly Snowflake[], viewerId: Snowflake): Promise<ReactionSummary[]>;
  /** Users who reacted with the emoji, by user ID after `after`. */
  listReactionUsers(channelId: Snowflake, messageId: Snowflake, emoji: string, options: { after?: Snowflake; limit: number }): Promise<Snowflake[]>;

  getReadStates(userId: Snowflake): Promise<ReadStateRecord[]>;
  getReadState(userId: Snowflake, channelId: Snowflake): Promise<ReadStateRecord | undefined>;
  /** Marks the channel read up to `lastMessageId` for the user, with the given remaining mention count. */
  setReadState(state: ReadStateRecord): Promise<void>;
  /** Adds one mention to each user's read state of the channel (creating it when absent). */
  incrementMentions(channelId: Snowflake, userIds: readonly Snowflake[]): Promise<void>;
}

export interface Store extends AccountStore, GuildStore, MessageStore {
  /** Flushes and closes; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** Thrown by `createUser`/`updateUser` when the username is taken (case-insensitive). */
export class UsernameTakenError extends Error {
  override readonly name = 'UsernameTakenError';
}
