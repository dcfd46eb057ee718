/**
 * Roles: list, get, create, modify, reorder, delete. Discord's hierarchy holds throughout: a
 * member with MANAGE_ROLES acts only on roles below their highest role (the owner on all), never
 * grants a permission they do not have, and never edits a role holding one (whatever its
 * position), so nobody can promote themselves. New roles go just below the creator's highest
 * role. @everyone (ID = guild ID) stays at position 0, keeps its name and cannot be deleted.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { ALL_PERMISSIONS, Permission } from '../../shared/permissions.js';
import type { Role } from '../../shared/protocol/entities.js';
import { createRoleSchema, modifyRoleSchema, rolePositionsSchema } from '../../shared/protocol/rest.js';
import { compareSnowflakes } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { RoleRecord } from '../store/store.js';
import {
  assertHoldsRolePermissions, assertPermission, highestRolePosition, requireGuildMember, requireGuildPermission, type GuildAccess,
} from '../domain/access.js';
import { requireUser, userOf } from './auth.js';
import { Buckets } from './rate-limit.js';
import { toRole } from '../domain/shapes.js';

/** Discord's cap on roles in one guild. */
export const MAX_GUILD_ROLES = 250;

type GuildParams = { guildId: string };
type RoleParams = { guildId: string; roleId: string };

function findRole(access: GuildAccess, roleId: string): RoleRecord {
  const role = access.roles.find((r) => r.id === roleId);
  if (!role) throw new HearthError('UNKNOWN_ROLE');
  return role;
}

/** Only roles below the actor's highest role may be changed. */
function assertBelowActor(access: GuildAccess, role: RoleRecord): void {
  if (role.id !== access.guild.id && role.position >= highestRolePosition(access, access.member)) throw new HearthError('MISSING_PERMISSIONS');
}

/** Parses a permission string, refusing bits the actor lacks (unless they hold every permission). */
function grantable(access: GuildAccess, permissions: string): bigint {
  const bits = BigInt(permissions) & ALL_PERMISSIONS;
  assertPermission(access.permissions, bits);
  return bits;
}

/**
 * Where a new role goes among the others (sorted by position): just below the creator's highest
 * role, so the creator controls it and members below them do not; the owner and administrators
 * put it just above @everyone, as Discord does.
 */
function newRoleIndex(access: GuildAccess, others: readonly RoleRecord[]): number {
  if (access.permissions === ALL_PERMISSIONS) return 0;
  const top = highestRolePosition(access, access.member);
  return others.filter((r) => r.position < top).length;
}

/** Positions 1..n in the given order (@everyone stays 0); returns the roles whose position moved. */
export function renumber(ordered: readonly RoleRecord[]): RoleRecord[] {
  const moved: RoleRecord[] = [];
  ordered.forEach((role, index) => {
    if (role.position !== index + 1) moved.push({ ...role, position: index + 1 });
  });
  return moved;
}

/** Stores moved positions and tells the guild (GUILD_ROLE_UPDATE per moved role). */
export async function savePositions(ctx: ServerContext, guildId: string, moved: readonly RoleRecord[]): Promise<void> {
  if (moved.length === 0) return;
  await ctx.store.setRolePositions(guildId, moved.map((r) => ({ id: r.id, position: r.position })));
  for (const role of moved) ctx.events.publish({ t: 'GUILD_ROLE_UPDATE', d: { guild_id: guildId, role: toRole(role) }, audience: { kind: 'guild', guildId } });
}

/** Role order: position, then ID (Discord's tie-break). */
export const byPosition = (a: RoleRecord, b: RoleRecord) => a.position - b.position || compareSnowflakes(a.id, b.id);

async function createRole(ctx: ServerContext, userId: string, guildId: string, body: unknown): Promise<Role> {
  const input = parseBody(createRoleSchema, body);
  const access = await requireGuildPermission(ctx.store, userId, guildId, Permission.MANAGE_ROLES);
  if (access.roles.length >= MAX_GUILD_ROLES) throw new HearthError('MAX_ROLES');
  const everyone = access.roles.find((r) => r.id === guildId);
  const others = access.roles.filter((r) => r.id !== guildId).sort(byPosition);
  const index = newRoleIndex(access, others);
  const role: RoleRecord = {
    id: ctx.ids.next(),
    guildId,
    name: input.name,
    color: input.color,
    hoist: input.hoist,
    mentionable: input.mentionable,
    position: index + 1,
    permissions: input.permissions === undefined ? (everyone?.permissions ?? 0n) : grantable(access, input.permissions),
  };
  await ctx.store.createRole(role);
  ctx.events.publish({ t: 'GUILD_ROLE_CREATE', d: { guild_id: guildId, role: toRole(role) }, audience: { kind: 'guild', guildId } });
  await savePositions(ctx, guildId, renumber([...others.slice(0, index), role, ...others.slice(index)]).filter((r) => r.id !== role.id));
  return toRole(role);
}

async function modifyRole(ctx: ServerContext, userId: string, params: RoleParams, body: unknown): Promise<Role> {
  const input = parseBody(modifyRoleSchema, body);
  const access = await requireGuildPermission(ctx.store, userId, params.guildId, Permission.MANAGE_ROLES);
  const role = findRole(access, params.roleId);
  assertBelowActor(access, role);
  assertHoldsRolePermissions(access, role);
  const isEveryone = role.id === params.guildId;
  if (isEveryone && input.name !== undefined && input.name !== role.name) {
    throw invalidFormBody({ name: { code: 'INVALID_ROLE', message: 'The @everyone role cannot be renamed.' } });
  }
  const changes: Partial<RoleRecord> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.permissions !== undefined) changes.permissions = grantable(access, input.permissions);
  if (input.color != null) changes.color = input.color;
  if (input.hoist != null && !isEveryone) changes.hoist = input.hoist;
  if (input.mentionable != null && !isEveryone) changes.mentionable = input.mentionable;
  await ctx.store.updateRole(role.id, changes);
  const updated = { ...role, ...changes };
  ctx.events.publish({ t: 'GUILD_ROLE_UPDATE', d: { guild_id: params.guildId, role: toRole(updated) }, audience: { kind: 'guild', guildId: params.guildId } });
  return toRole(updated);
}

async function reorderRoles(ctx: ServerContext, userId: string, guildId: string, body: unknown): Promise<Role[]> {
  const input = parseBody(rolePositionsSchema, body);
  const access = await requireGuildPermission(ctx.store, userId, guildId, Permission.MANAGE_ROLES);
  const top = highestRolePosition(access, access.member);
  const wanted = new Map<string, number>();
  for (const [index, entry] of input.entries()) {
    const role = access.roles.find((r) => r.id === entry.id);
    if (!role || role.id === guildId) throw invalidFormBody({ [`${index}.id`]: { code: 'INVALID_ROLE', message: `Role ${entry.id} cannot be moved.` } });
    if (entry.position == null) continue;
    if (role.position >= top || entry.position >= top) throw new HearthError('MISSING_PERMISSIONS');
    wanted.set(role.id, entry.position);
  }
  // Moved roles take their new place; ties go to the moved role, then the rest keep their order.
  const positionOf = (r: RoleRecord) => wanted.get(r.id) ?? r.position;
  const ordered = access.roles
    .filter((r) => r.id !== guildId)
    .sort((a, b) => positionOf(a) - positionOf(b) || Number(wanted.has(b.id)) - Number(wanted.has(a.id)) || byPosition(a, b));
  const moved = renumber(ordered);
  await savePositions(ctx, guildId, moved);
  const final = new Map(access.roles.map((r) => [r.id, r]));
  for (const role of moved) final.set(role.id, role);
  return [...final.values()].sort(byPosition).map(toRole);
}

async function deleteRole(ctx: ServerContext, userId: string, params: RoleParams): Promise<void> {
  const access = await requireGuildPermission(ctx.store, userId, params.guildId, Permission.MANAGE_ROLES);
  const role = findRole(access, params.roleId);
  // A bot's managed role goes only with the bot (kick it, or delete its application).
  if (role.id === params.guildId || role.botUserId !== undefined) throw new HearthError('INVALID_ROLE');
  assertBelowActor(access, role);
  await ctx.store.deleteRole(role.id);
  ctx.events.publish({ t: 'GUILD_ROLE_DELETE', d: { guild_id: params.guildId, role_id: role.id }, audience: { kind: 'guild', guildId: params.guildId } });
  const rest = access.roles.filter((r) => r.id !== params.guildId && r.id !== role.id).sort(byPosition);
  await savePositions(ctx, params.guildId, renumber(rest));
}

export function registerRoleRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);
  const read = { onRequest: auth, config: { rateLimit: Buckets.guildRead } };
  const write = { onRequest: auth, config: { rateLimit: Buckets.guildWrite } };

  api.get<{ Params: GuildParams }>('/guilds/:guildId/roles', read, async (request) => {
    const access = await requireGuildMember(ctx.store, userOf(request).id, request.params.guildId);
    return [...access.roles].sort(byPosition).map(toRole);
  });
  api.get<{ Params: RoleParams }>('/guilds/:guildId/roles/:roleId', read, async (request) => {
    const access = await requireGuildMember(ctx.store, userOf(request).id, request.params.guildId);
    return toRole(findRole(access, request.params.roleId));
  });
  api.post<{ Params: GuildParams }>('/guilds/:guildId/roles', write, async (request) => {
    return createRole(ctx, userOf(request).id, request.params.guildId, request.body);
  });
  api.patch<{ Params: GuildParams }>('/guilds/:guildId/roles', write, async (request) => {
    return reorderRoles(ctx, userOf(request).id, request.params.guildId, request.body);
  });
  api.patch<{ Params: RoleParams }>('/guilds/:guildId/roles/:roleId', write, async (request) => {
    return modifyRole(ctx, userOf(request).id, request.params, request.body);
  });
  api.delete<{ Params: RoleParams }>('/guilds/:guildId/roles/:roleId', write, async (request, reply) => {
    await deleteRole(ctx, userOf(request).id, request.params);
    return reply.code(204).send();
  });
}
