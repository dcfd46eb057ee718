/**
 * Users: the current user (get, modify with avatar upload and password change), other users,
 * the current user's guilds, and leaving a guild.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import type { CurrentUser } from '../../shared/protocol/entities.js';
import { currentUserGuildsQuerySchema, modifyCurrentUserSchema, type PartialGuild } from '../../shared/protocol/rest.js';
import { compareSnowflakes, isSnowflake } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import { UsernameTakenError, type UserRecord } from '../store/store.js';
import { hashToken, newToken } from '../domain/auth.js';
import { basePermissionsOf, loadGuildPermissionContext, requireGuildMember } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { applyImageField, deleteImage, IMAGE_BODY_LIMIT } from './images.js';
import { removeMember } from './members.js';
import { issueDeviceToken } from './device-tokens.js';
import { checkCurrentPassword } from './password-checks.js';
import { Buckets, sendRateLimited } from './rate-limit.js';
import { toCurrentUser, toMemberEvent, toUser } from '../domain/shapes.js';

type ModifyCurrentUser = ReturnType<typeof modifyCurrentUserSchema.parse>;

const passwordError = (code: string, message: string) => invalidFormBody({ password: { code, message } });

/**
 * Username and password changes need the current password (Discord's rule for user accounts),
 * checked under the same attempt limits as signing in. Returns the wait when throttled.
 */
async function currentPasswordProblem(ctx: ServerContext, request: FastifyRequest, user: UserRecord, input: ModifyCurrentUser): Promise<{ retryAfterMs: number } | undefined> {
  if (user.bot && input.new_password !== undefined) {
    throw invalidFormBody({ new_password: { code: 'BOT_HAS_NO_PASSWORD', message: 'Bot accounts sign in with their token and have no password.' } });
  }
  const sensitive = (input.username !== undefined && input.username !== user.username) || input.new_password !== undefined;
  if (!sensitive || user.bot) return undefined;
  if (!input.password) throw passwordError('PASSWORD_REQUIRED', 'Your current password is required to change this.');
  const check = await checkCurrentPassword(ctx, ctx.rateLimits, user, input.password, request.ip);
  if (check.outcome === 'throttled') return check;
  if (!check.matches) throw passwordError('PASSWORD_DOES_NOT_MATCH', 'Password does not match.');
  return undefined;
}

/** Tells the user's sessions (USER_UPDATE) and the guilds they are in (GUILD_MEMBER_UPDATE). */
async function announceUserUpdate(ctx: ServerContext, user: UserRecord): Promise<void> {
  ctx.events.publish({ t: 'USER_UPDATE', d: toUser(user), audience: { kind: 'users', userIds: [user.id] } });
  for (const guildId of await ctx.store.listGuildIdsOfUser(user.id)) {
    const member = await ctx.store.getMember(guildId, user.id);
    if (member) ctx.events.publish({ t: 'GUILD_MEMBER_UPDATE', d: toMemberEvent(member, user), audience: { kind: 'guild', guildId } });
  }
}

/** `PATCH /users/@me`; a new password also answers with a fresh `token` and `device_token`. */
async function modifyCurrentUser(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply, user: UserRecord): Promise<(CurrentUser & { token?: string; device_token?: string }) | FastifyReply> {
  const input = parseBody(modifyCurrentUserSchema, request.body);
  const throttled = await currentPasswordProblem(ctx, request, user, input);
  if (throttled) return sendRateLimited(reply, throttled.retryAfterMs, { scope: 'user' });
  const existing = input.username === undefined ? undefined : await ctx.store.getUserByUsername(input.username);
  if (existing && existing.id !== user.id) {
    throw invalidFormBody({ username: { code: 'USERNAME_ALREADY_TAKEN', message: 'Username is unavailable.' } });
  }
  const avatar = await applyImageField(ctx, 'avatars', user.id, 'avatar', input.avatar);
  const changes = {
    username: input.username,
    globalName: input.global_name === undefined ? undefined : input.global_name || null,
    avatar,
    passwordHash: input.new_password === undefined ? undefined : await ctx.passwords.hash(input.new_password),
  };
  try {
    await ctx.store.updateUser(user.id, changes);
  } catch (error) {
    if (error instanceof UsernameTakenError) throw invalidFormBody({ username: { code: 'USERNAME_ALREADY_TAKEN', message: 'Username is unavailable.' } });
    throw error;
  }
  if (avatar !== undefined && user.avatar !== avatar) await deleteImage(ctx.config.dataDir, 'avatars', user.id, user.avatar);
  const updated: UserRecord = {
    ...user,
    username: changes.username ?? user.username,
    globalName: changes.globalName === undefined ? user.globalName : changes.globalName,
    avatar: avatar === undefined ? user.avatar : avatar,
    passwordHash: changes.passwordHash ?? user.passwordHash,
  };
  await announceUserUpdate(ctx, updated);
  if (changes.passwordHash === undefined) return toCurrentUser(updated);
  // A new password signs out every session; the caller continues with a fresh token.
  await ctx.store.deleteTokensOfUser(user.id);
  ctx.events.publishControl({ kind: 'user-tokens-revoked', userId: user.id });
  const token = newToken(user.id);
  await ctx.store.addToken(hashToken(token), user.id, Date.now());
  // Device tokens are bound to the password hash: the old ones are void, this client gets a new one.
  return { ...toCurrentUser(updated), token, device_token: issueDeviceToken(user.id, changes.passwordHash) };
}

async function listCurrentUserGuilds(ctx: ServerContext, user: UserRecord, query: unknown): Promise<PartialGuild[]> {
  const { before, after, limit, with_counts } = parseBody(currentUserGuildsQuerySchema, query);
  const ids = (await ctx.store.listGuildIdsOfUser(user.id))
    .filter((id) => (before === undefined || compareSnowflakes(id, before) < 0) && (after === undefined || compareSnowflakes(id, after) > 0))
    .sort(compareSnowflakes)
    .slice(0, limit);
  const guilds: PartialGuild[] = [];
  for (const id of ids) {
    const [context, member] = await Promise.all([loadGuildPermissionContext(ctx.store, id), ctx.store.getMember(id, user.id)]);
    if (!context || !member) continue;
    const entry: PartialGuild = {
      id,
      name: context.guild.name,
      icon: context.guild.icon,
      owner: context.guild.ownerId === user.id,
      permissions: basePermissionsOf(context, member).toString(),
      features: [],
    };
    if (with_counts === 'true') {
      entry.approximate_member_count = await ctx.store.countMembers(id);
    }
    guilds.push(entry);
  }
  return guilds;
}

export function registerUserRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  const read = { onRequest: auth, config: { rateLimit: Buckets.userRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.userWrite } };

  api.get('/users/@me', read, async (request) => toCurrentUser(userOf(request)));

  api.patch('/users/@me', { ...write, bodyLimit: IMAGE_BODY_LIMIT }, async (request, reply) => modifyCurrentUser(ctx, request, reply, userOf(request)));

  api.get('/users/@me/guilds', read, async (request) => listCurrentUserGuilds(ctx, userOf(request), request.query));

  api.delete<{ Params: { guildId: string } }>('/users/@me/guilds/:guildId', write, async (request, reply) => {
    const user = userOf(request);
    const access = await requireGuildMember(ctx.store, user.id, request.params.guildId);
    if (access.guild.ownerId === user.id) throw new HearthError('OWNER_CANNOT_LEAVE');
    await removeMember(ctx, access.guild.id, user);
    return reply.code(204).send();
  });

  api.get<{ Params: { userId: string } }>('/users/:userId', read, async (request) => {
    const { userId } = request.params;
    const user = isSnowflake(userId) ? await ctx.store.getUser(userId) : undefined;
    if (!user) throw new HearthError('UNKNOWN_USER');
    return toUser(user);
  });
}
