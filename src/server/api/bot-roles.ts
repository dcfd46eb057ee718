/**
 * Managed roles, as Discord gives every bot it adds to a guild: a role named after the bot,
 * carrying the permissions chosen when adding it, held only by the bot (`managed: true`,
 * `tags.bot_id`). Nobody can assign or delete it; it is removed when the bot leaves.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import type { RoleRecord, UserRecord } from '../store/store.js';
import { byPosition, renumber, savePositions } from './roles.js';
import { toRole } from '../domain/shapes.js';

/** Role names are at most 100 characters; bot names are shorter, so this only guards the rule. */
const ROLE_NAME_MAX = 100;

/**
 * Creates the bot's managed role just above @everyone (where Discord puts new roles) and moves
 * the other roles up one, announcing each change to the guild.
 */
export async function createManagedRole(
  ctx: ServerContext,
  guildId: Snowflake,
  bot: UserRecord,
  name: string,
  permissions: bigint,
): Promise<RoleRecord> {
  const existing = await ctx.store.listRoles(guildId);
  const role: RoleRecord = {
    id: ctx.ids.next(),
    guildId,
    name: name.slice(0, ROLE_NAME_MAX),
    color: 0,
    hoist: false,
    mentionable: false,
    position: 1,
    permissions,
    botUserId: bot.id,
  };
  await ctx.store.createRole(role);
  ctx.events.publish({ t: 'GUILD_ROLE_CREATE', d: { guild_id: guildId, role: toRole(role) }, audience: { kind: 'guild', guildId } });
  const others = existing.filter((r) => r.id !== guildId).sort(byPosition);
  await savePositions(ctx, guildId, renumber([role, ...others]).filter((r) => r.id !== role.id));
  return role;
}

/** The bot's managed role in the guild, if it has one. */
export async function findManagedRole(ctx: ServerContext, guildId: Snowflake, botUserId: Snowflake): Promise<RoleRecord | undefined> {
  return (await ctx.store.listRoles(guildId)).find((r) => r.botUserId === botUserId);
}

/** Deletes the bot's managed roles in the guild (the bot left or was removed) and closes the gap. */
export async function removeManagedRoles(ctx: ServerContext, guildId: Snowflake, botUserId: Snowflake): Promise<void> {
  const roles = await ctx.store.listRoles(guildId);
  const managed = roles.filter((r) => r.botUserId === botUserId);
  if (managed.length === 0) return;
  for (const role of managed) {
    await ctx.store.deleteRole(role.id);
    ctx.events.publish({ t: 'GUILD_ROLE_DELETE', d: { guild_id: guildId, role_id: role.id }, audience: { kind: 'guild', guildId } });
  }
  const rest = roles.filter((r) => r.id !== guildId && r.botUserId !== botUserId).sort(byPosition);
  await savePositions(ctx, guildId, renumber(rest));
}
