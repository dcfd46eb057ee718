/**
 * Store-level fixtures for gateway tests: users with tokens, guilds with a text channel, members.
 * They write through the Store directly (as the REST routes would) so gateway tests do not
 * depend on the REST API; tests then publish events on `ctx.events` the way routes do.
 */
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../shared/permissions.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import { APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS } from '../gateway/intents.js';
import type { ChannelRecord, GuildRecord, UserRecord } from '../store/store.js';
import { hashToken, newToken } from '../domain/auth.js';

export interface TestAccount {
  user: UserRecord;
  token: string;
}

/** A user (or bot, with an application) and a valid token. */
export async function createAccount(ctx: ServerContext, username: string, options: { bot?: boolean } = {}): Promise<TestAccount> {
  const user: UserRecord = {
    id: ctx.ids.next(),
    username,
    globalName: null,
    avatar: null,
    bot: options.bot ?? false,
    passwordHash: null,
    createdAt: Date.now(),
  };
  if (user.bot) {
    const owner = await createAccount(ctx, `${username}_owner`);
    await ctx.store.createApplication(
      {
        id: ctx.ids.next(), ownerId: owner.user.id, botUserId: user.id, name: username, description: '',
        flags: APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS, createdAt: Date.now(),
      },
      user,
    );
  } else {
    await ctx.store.createUser(user);
  }
  const token = newToken(user.id);
  await ctx.store.addToken(hashToken(token), user.id, Date.now());
  return { user, token };
}

export interface TestGuild {
  guild: GuildRecord;
  text: ChannelRecord;
}

/** A guild owned by `ownerId` with the @everyone role and one text channel; the owner is a member. */
export async function createGuild(ctx: ServerContext, ownerId: Snowflake, name = 'Test Guild'): Promise<TestGuild> {
  const guildId = ctx.ids.next();
  const guild: GuildRecord = { id: guildId, name, icon: null, ownerId, systemChannelId: null, createdAt: Date.now() };
  const text: ChannelRecord = {
    id: ctx.ids.next(), guildId, type: 0, name: 'general', topic: null, parentId: null, position: 0,
    bitrate: null, userLimit: null, lastMessageId: null, overwrites: [],
  };
  await ctx.store.createGuild({
    guild,
    everyoneRole: { id: guildId, guildId, name: '@everyone', color: 0, hoist: false, mentionable: false, position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS },
    channels: [text],
  });
  return { guild, text };
}

/** Adds a member with no roles. */
export async function addMember(ctx: ServerContext, guildId: Snowflake, userId: Snowflake): Promise<void> {
  await ctx.store.addMember({ guildId, userId, nick: null, joinedAt: Date.now(), mute: false, deaf: false, roleIds: [] });
}
