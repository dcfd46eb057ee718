/**
 * Bot applications (what Discord's developer portal does, as REST calls): any user creates an
 * application, which comes with a bot user (`bot: true`) and a token shown once; its owner lists,
 * renames, deletes it and resets the token (every older token stops working), and adds the bot
 * to a guild where they have MANAGE_GUILD, with a managed role carrying the chosen permissions.
 * The bot itself reads its application at `GET /applications/@me` (discord.js does).
 *
 * Hearth applications are private (`bot_public: false`): only their owner adds the bot to guilds.
 * `flags` carries the privileged intents the owner allows (all on at creation; IDENTIFY asking
 * for one that is off closes with 4014).
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { ALL_PERMISSIONS, Permission } from '../../shared/permissions.js';
import type { Application, GuildMember } from '../../shared/protocol/entities.js';
import {
  USERNAME_PATTERN, addGuildBotSchema, createApplicationSchema, modifyApplicationSchema,
  type BotTokenResponse, type CreatedApplication,
} from '../../shared/protocol/rest.js';
import { isSnowflake, type Snowflake } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import { APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS } from '../gateway/intents.js';
import { UsernameTakenError, type ApplicationRecord, type MemberRecord, type UserRecord } from '../store/store.js';
import { hashToken, newToken } from '../domain/auth.js';
import { requireGuildPermission } from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { createManagedRole, findManagedRole } from './bot-roles.js';
import { announceJoin, removeMember } from './members.js';
import { Buckets } from './rate-limit.js';
import { toMember, toRole, toUser } from '../domain/shapes.js';

/** Applications one user may own (Discord's limit). */
export const MAX_APPLICATIONS_PER_USER = 25;

/** Tries at a free bot username before giving up (each retry adds random digits). */
const USERNAME_ATTEMPTS = 5;

/**
 * The bot's username from the application's name: lowercase, runs of other characters become
 * `_`, 2–32 characters, as {@link USERNAME_PATTERN} requires. `suffix` makes a taken name free.
 */
export function botUsername(name: string, suffix = ''): string {
  let base = name.toLowerCase().replace(/[^a-z0-9_.]+/g, '_').replace(/\.{2,}/g, '.').replace(/^[_.]+|[_.]+$/g, '');
  if (base.length < 2) base = `bot${base}`;
  const username = `${base.slice(0, 32 - suffix.length)}${suffix}`;
  return USERNAME_PATTERN.test(username) ? username : `bot${suffix}`;
}

/** The application as its owner and its bot see it. */
async function toApplication(ctx: ServerContext, application: ApplicationRecord): Promise<Application> {
  const [owner, bot, guildIds] = await Promise.all([
    ctx.store.getUser(application.ownerId),
    ctx.store.getUser(application.botUserId),
    ctx.store.listGuildIdsOfUser(application.botUserId),
  ]);
  const shape: Application = {
    id: application.id,
    name: application.name,
    description: application.description,
    icon: null,
    bot_public: false,
    bot_require_code_grant: false,
    flags: application.flags,
    approximate_guild_count: guildIds.length,
  };
  if (owner) shape.owner = toUser(owner);
  if (bot) shape.bot = toUser(bot);
  return shape;
}

/** Signs every token of the bot out; its gateway sessions on every node close with 4004. */
async function revokeBotTokens(ctx: ServerContext, botUserId: Snowflake): Promise<void> {
  await ctx.store.deleteTokensOfUser(botUserId);
  ctx.events.publishControl({ kind: 'user-tokens-revoked', userId: botUserId });
}

/** Issues a token for the bot; `revokeOthers` first signs every older token out (reset). */
async function issueBotToken(ctx: ServerContext, botUserId: Snowflake, revokeOthers: boolean): Promise<string> {
  if (revokeOthers) await revokeBotTokens(ctx, botUserId);
  const token = newToken(botUserId);
  await ctx.store.addToken(hashToken(token), botUserId, Date.now());
  return token;
}

/** Users (not bots) manage applications, as on Discord's developer portal. */
function requireHuman(user: UserRecord): void {
  if (user.bot) throw new HearthError('BOTS_CANNOT_USE_ENDPOINT');
}

/**
 * Creates the application and its bot user in one store write. The bot's username comes from
 * the name; when it is taken, random digits are appended (the display name stays the name).
 */
export async function createApplication(ctx: ServerContext, owner: UserRecord, body: unknown): Promise<CreatedApplication> {
  requireHuman(owner);
  const input = parseBody(createApplicationSchema, body);
  if ((await ctx.store.listApplications(owner.id)).length >= MAX_APPLICATIONS_PER_USER) {
    throw invalidFormBody({ name: { code: 'APPLICATION_LIMIT', message: `You can own at most ${MAX_APPLICATIONS_PER_USER} applications.` } });
  }
  const now = Date.now();
  const application: ApplicationRecord = {
    id: ctx.ids.next(), ownerId: owner.id, botUserId: ctx.ids.next(), name: input.name, description: input.description,
    flags: APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS, createdAt: now,
  };
  for (let attempt = 0; ; attempt += 1) {
    const suffix = attempt === 0 ? '' : `_${randomInt(10_000).toString().padStart(4, '0')}`;
    const bot: UserRecord = {
      id: application.botUserId, username: botUsername(input.name, suffix), globalName: input.name,
      avatar: null, bot: true, passwordHash: null, createdAt: now,
    };
    try {
      await ctx.store.createApplication(application, bot);
      break;
    } catch (error) {
      if (!(error instanceof UsernameTakenError) || attempt + 1 >= USERNAME_ATTEMPTS) throw error;
    }
  }
  const token = await issueBotToken(ctx, application.botUserId, false);
  return { ...(await toApplication(ctx, application)), token };
}

/** The caller's own application by ID (`@me` for a bot: its application); 10002 otherwise. */
async function ownedApplication(ctx: ServerContext, caller: UserRecord, id: string): Promise<ApplicationRecord> {
  if (id === '@me') {
    if (!caller.bot) throw new HearthError('ONLY_BOTS_CAN_USE_ENDPOINT');
    const application = await ctx.store.getApplicationByBotUser(caller.id);
    if (!application) throw new HearthError('UNKNOWN_APPLICATION');
    return application;
  }
  const application = isSnowflake(id) ? await ctx.store.getApplication(id) : undefined;
  // Someone else's application answers as missing, so IDs reveal nothing.
  if (!application || application.ownerId !== caller.id) throw new HearthError('UNKNOWN_APPLICATION');
  return application;
}

async function modifyApplication(ctx: ServerContext, caller: UserRecord, id: string, body: unknown): Promise<Application> {
  const input = parseBody(modifyApplicationSchema, body);
  const application = await ownedApplication(ctx, caller, id);
  if (input.flags !== undefined && (input.flags & ~APPLICATION_FLAGS_ALL_PRIVILEGED_INTENTS) !== 0) {
    throw invalidFormBody({ flags: { code: 'APPLICATION_FLAGS_INVALID', message: 'Only the privileged intent flags (1<<12, 1<<14, 1<<18) can be changed.' } });
  }
  const changes = { name: input.name, description: input.description, flags: input.flags };
  await ctx.store.updateApplication(application.id, changes);
  return toApplication(ctx, {
    ...application,
    name: changes.name ?? application.name,
    description: changes.description ?? application.description,
    flags: changes.flags ?? application.flags,
  });
}

/**
 * Deletes the application: the bot leaves every guild (its managed roles go with it) and its
 * tokens stop working. The bot user stays, so the messages it sent keep their author.
 */
async function deleteApplication(ctx: ServerContext, caller: UserRecord, id: string): Promise<void> {
  requireHuman(caller);
  const application = await ownedApplication(ctx, caller, id);
  const bot = await ctx.store.getUser(application.botUserId);
  await revokeBotTokens(ctx, application.botUserId);
  if (bot) {
    for (const guildId of await ctx.store.listGuildIdsOfUser(bot.id)) await removeMember(ctx, guildId, bot);
  }
  await ctx.store.deleteApplication(application.id);
}

/** Signs every token of the application's bot out and issues a new one. */
export async function resetBotToken(ctx: ServerContext, caller: UserRecord, applicationId: string): Promise<BotTokenResponse> {
  requireHuman(caller);
  const application = await ownedApplication(ctx, caller, applicationId);
  return { token: await issueBotToken(ctx, application.botUserId, true) };
}

/** The caller's applications, oldest first. */
export async function listApplications(ctx: ServerContext, caller: UserRecord): Promise<Application[]> {
  requireHuman(caller);
  return Promise.all((await ctx.store.listApplications(caller.id)).map((application) => toApplication(ctx, application)));
}

/** The adder may grant only permissions they hold (all of them when they hold every one). */
function grantablePermissions(held: bigint, requested: string): bigint {
  const bits = BigInt(requested) & ALL_PERMISSIONS;
  if (held !== ALL_PERMISSIONS && (bits & ~held) !== 0n) throw new HearthError('MISSING_PERMISSIONS');
  return bits;
}

/**
 * Adds the application's bot to the guild (Discord's bot authorization): MANAGE_GUILD in the
 * guild and ownership of the application. The bot joins with a managed role named after the
 * application carrying `permissions` (none when 0). Adding a bot that is already a member
 * updates its managed role's permissions instead and resolves to null (the route answers 204,
 * as Discord's re-authorize).
 */
export async function addBotToGuild(ctx: ServerContext, caller: UserRecord, guildId: string, body: unknown): Promise<GuildMember | null> {
  requireHuman(caller);
  const input = parseBody(addGuildBotSchema, body);
  const access = await requireGuildPermission(ctx.store, caller.id, guildId, Permission.MANAGE_GUILD);
  const application = await ownedApplication(ctx, caller, input.application_id);
  const permissions = grantablePermissions(access.permissions, input.permissions);
  const bot = await ctx.store.getUser(application.botUserId);
  if (!bot) throw new HearthError('UNKNOWN_APPLICATION');
  if (await ctx.store.getMember(guildId, bot.id)) {
    await updateManagedRole(ctx, guildId, bot, application.name, permissions);
    return null;
  }
  const role = permissions === 0n ? undefined : await createManagedRole(ctx, guildId, bot, application.name, permissions);
  const member: MemberRecord = { guildId, userId: bot.id, nick: null, joinedAt: Date.now(), mute: false, deaf: false, roleIds: role ? [role.id] : [] };
  await ctx.store.addMember(member);
  await announceJoin(ctx, member, bot);
  return toMember(member, bot);
}

/** A re-added bot's managed role takes the new permissions (created or removed as needed). */
async function updateManagedRole(ctx: ServerContext, guildId: Snowflake, bot: UserRecord, name: string, permissions: bigint): Promise<void> {
  const role = await findManagedRole(ctx, guildId, bot.id);
  if (role) {
    if (role.permissions === permissions) return;
    await ctx.store.updateRole(role.id, { permissions });
    ctx.events.publish({ t: 'GUILD_ROLE_UPDATE', d: { guild_id: guildId, role: toRole({ ...role, permissions }) }, audience: { kind: 'guild', guildId } });
    return;
  }
  if (permissions === 0n) return;
  const created = await createManagedRole(ctx, guildId, bot, name, permissions);
  const member = await ctx.store.getMember(guildId, bot.id);
  if (!member) return;
  const roleIds = [...member.roleIds, created.id];
  await ctx.store.updateMember(guildId, bot.id, { roleIds });
  ctx.events.publish({
    t: 'GUILD_MEMBER_UPDATE', d: { ...toMember({ ...member, roleIds }, bot), guild_id: guildId }, audience: { kind: 'guild', guildId },
  });
}

export function registerApplicationRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  const read = { onRequest: auth, config: { rateLimit: Buckets.userRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.userWrite } };
  type Id = { Params: { applicationId: string } };

  api.post('/applications', write, async (request, reply) => {
    return reply.code(201).send(await createApplication(ctx, userOf(request), request.body));
  });
  api.get('/applications', read, async (request) => listApplications(ctx, userOf(request)));
  api.get<Id>('/applications/:applicationId', read, async (request) => {
    return toApplication(ctx, await ownedApplication(ctx, userOf(request), request.params.applicationId));
  });
  api.patch<Id>('/applications/:applicationId', write, async (request) => {
    return modifyApplication(ctx, userOf(request), request.params.applicationId, request.body);
  });
  api.delete<Id>('/applications/:applicationId', write, async (request, reply) => {
    await deleteApplication(ctx, userOf(request), request.params.applicationId);
    return reply.code(204).send();
  });
  api.post<Id>('/applications/:applicationId/bot/reset', write, async (request) => {
    return resetBotToken(ctx, userOf(request), request.params.applicationId);
  });
  api.post<{ Params: { guildId: string } }>('/guilds/:guildId/bots', { onRequest: auth, config: { rateLimit: Buckets.guildWrite } }, async (request, reply) => {
    const member = await addBotToGuild(ctx, userOf(request), request.params.guildId, request.body);
    return member ? reply.code(201).send(member) : reply.code(204).send();
  });
}
