/**
 * Guilds on PostgreSQL: guilds, members with their roles, roles, invites (channels live in
 * `channels.ts`). Writes that touch several rows are one statement or one transaction; using an
 * invite is one transaction whose conditional UPDATE serialises concurrent uses of the same code.
 */
import type { GuildRecord, GuildStore, InviteRecord, MemberRecord, RoleRecord } from '../store.js';
import { insertChannel, postgresChannelStore } from './channels.js';
import {
  afterParam, execute, idParam, num, query, queryOne, statement, transaction, updateColumns, type PgPool, type Queryable,
} from './database.js';

interface GuildRow { id: string; name: string; icon: string | null; owner_id: string; system_channel_id: string | null; created_at: string }
interface RoleRow {
  id: string; guild_id: string; name: string; color: number; hoist: boolean; mentionable: boolean; position: number; permissions: string;
  bot_user_id: string | null;
}
interface MemberRow { guild_id: string; user_id: string; nick: string | null; joined_at: string; mute: boolean; deaf: boolean; role_ids: string[] }
interface InviteRow {
  code: string; guild_id: string; channel_id: string; inviter_id: string | null; max_age: number;
  max_uses: number; uses: number; temporary: boolean; created_at: string;
}

const GUILD = 'id, name, icon, owner_id, system_channel_id, created_at';
const ROLE = 'id, guild_id, name, color, hoist, mentionable, position, permissions::text AS permissions, bot_user_id';
const INVITE = 'code, guild_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, created_at';
const SELECT_MEMBER = `SELECT m.guild_id, m.user_id, m.nick, m.joined_at, m.mute, m.deaf,
  ARRAY(SELECT r.role_id::text FROM member_roles r WHERE r.guild_id = m.guild_id AND r.user_id = m.user_id ORDER BY r.role_id) AS role_ids
  FROM members m`;

/** An invite can be used at $3 (ms) when it has not expired and has uses left: `inviteUsable` (../invites.ts) in SQL. */
const INVITE_USABLE = '(max_age = 0 OR created_at + max_age * 1000::bigint > $3) AND (max_uses = 0 OR uses < max_uses)';

const sql = {
  insertGuild: statement(`INSERT INTO guilds (${GUILD}) VALUES ($1, $2, $3, $4, $5, $6)`),
  guild: statement(`SELECT ${GUILD} FROM guilds WHERE id = $1`),
  guildsOfUser: statement('SELECT guild_id FROM members WHERE user_id = $1 ORDER BY joined_at, guild_id'),
  deleteGuildReactions: statement('DELETE FROM reactions WHERE channel_id IN (SELECT id FROM channels WHERE guild_id = $1)'),
  deleteGuildMessages: statement('DELETE FROM messages WHERE channel_id IN (SELECT id FROM channels WHERE guild_id = $1)'),
  deleteGuildReadStates: statement('DELETE FROM read_states WHERE channel_id IN (SELECT id FROM channels WHERE guild_id = $1)'),
  // Roles, members, channels, overwrites and invites follow through ON DELETE CASCADE.
  deleteGuild: statement('DELETE FROM guilds WHERE id = $1'),

  insertMember: statement(`INSERT INTO members (guild_id, user_id, nick, joined_at, mute, deaf) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT DO NOTHING`),
  insertMemberRoles: statement(`INSERT INTO member_roles (guild_id, user_id, role_id) SELECT $1, $2, unnest($3::bigint[])
    ON CONFLICT DO NOTHING`),
  deleteMemberRoles: statement('DELETE FROM member_roles WHERE guild_id = $1 AND user_id = $2'),
  member: statement(`${SELECT_MEMBER} WHERE m.guild_id = $1 AND m.user_id = $2`),
  members: statement(`${SELECT_MEMBER} WHERE m.guild_id = $1 AND m.user_id > $2 ORDER BY m.user_id LIMIT $3`),
  countMembers: statement('SELECT COUNT(*) AS n FROM members WHERE guild_id = $1'),
  deleteMember: statement('DELETE FROM members WHERE guild_id = $1 AND user_id = $2'),

  insertRole: statement(`INSERT INTO roles (id, guild_id, name, color, hoist, mentionable, position, permissions, bot_user_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`),
  roles: statement(`SELECT ${ROLE} FROM roles WHERE guild_id = $1 ORDER BY position, id`),
  deleteRoleOverwrites: statement('DELETE FROM overwrites WHERE target_id = $1 AND type = 0'),
  // member_roles rows go with the role through ON DELETE CASCADE.
  deleteRole: statement('DELETE FROM roles WHERE id = $1'),
  setRolePositions: statement(`UPDATE roles r SET position = v.position FROM unnest($2::bigint[], $3::int[]) AS v(id, position)
    WHERE r.id = v.id AND r.guild_id = $1`),

  insertInvite: statement(`INSERT INTO invites (${INVITE}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`),
  invite: statement(`SELECT ${INVITE} FROM invites WHERE code = $1`),
  invites: statement(`SELECT ${INVITE} FROM invites WHERE guild_id = $1 ORDER BY created_at, code`),
  deleteInvite: statement('DELETE FROM invites WHERE code = $1'),
  uncountInviteUse: statement('UPDATE invites SET uses = uses - 1 WHERE code = $1'),
  countInviteUse: statement(`UPDATE invites SET uses = uses + 1 WHERE code = $1 AND guild_id = $2 AND ${INVITE_USABLE}`),
};

const toGuild = (row: GuildRow): GuildRecord => ({
  id: row.id, name: row.name, icon: row.icon, ownerId: row.owner_id, systemChannelId: row.system_channel_id, createdAt: num(row.created_at),
});

const toRole = (row: RoleRow): RoleRecord => ({
  id: row.id, guildId: row.guild_id, name: row.name, color: row.color, hoist: row.hoist,
  mentionable: row.mentionable, position: row.position, permissions: BigInt(row.permissions),
  ...(row.bot_user_id === null ? {} : { botUserId: row.bot_user_id }),
});

const toMember = (row: MemberRow): MemberRecord => ({
  guildId: row.guild_id, userId: row.user_id, nick: row.nick, joinedAt: num(row.joined_at), mute: row.mute, deaf: row.deaf, roleIds: row.role_ids,
});

const toInvite = (row: InviteRow): InviteRecord => ({
  code: row.code, guildId: row.guild_id, channelId: row.channel_id, inviterId: row.inviter_id, maxAge: row.max_age,
  maxUses: row.max_uses, uses: row.uses, temporary: row.temporary, createdAt: num(row.created_at),
});

/** Inserts a member with its roles; returns false (changing nothing) when already a member. */
async function insertMember(db: Queryable, m: MemberRecord): Promise<boolean> {
  const added = await execute(db, sql.insertMember, [m.guildId, m.userId, m.nick, m.joinedAt, m.mute, m.deaf]);
  if (added === 0) return false;
  if (m.roleIds.length > 0) await execute(db, sql.insertMemberRoles, [m.guildId, m.userId, m.roleIds]);
  return true;
}

function insertRole(db: Queryable, r: RoleRecord): Promise<number> {
  return execute(db, sql.insertRole, [
    r.id, r.guildId, r.name, r.color, r.hoist, r.mentionable, r.position, r.permissions.toString(), r.botUserId ?? null,
  ]);
}

const bits = (value: bigint | undefined): string | undefined => (value === undefined ? undefined : value.toString());

function memberPart(pool: PgPool) {
  return {
    async addMember(member) {
      // Adding someone who is already a member is an error, as in every store.
      const add = async (db: Queryable) => {
        if (!(await insertMember(db, member))) throw new Error(`User ${member.userId} is already a member of guild ${member.guildId}`);
      };
      if (member.roleIds.length === 0) await add(pool);
      else await transaction(pool, add);
    },
    getMember(guildId, userId) {
      return queryOne(pool, sql.member, [idParam(guildId), idParam(userId)], toMember);
    },
    async listMembers(guildId, options) {
      return (await query<MemberRow>(pool, sql.members, [idParam(guildId), afterParam(options.after), options.limit])).map(toMember);
    },
    async countMembers(guildId) {
      return num((await query<{ n: string }>(pool, sql.countMembers, [idParam(guildId)]))[0]?.n ?? 0);
    },
    async updateMember(guildId, userId, changes) {
      const columns = { nick: changes.nick, mute: changes.mute, deaf: changes.deaf };
      const where = { guild_id: idParam(guildId), user_id: idParam(userId) };
      const { roleIds } = changes;
      if (roleIds === undefined) {
        await updateColumns(pool, 'members', columns, where);
        return;
      }
      await transaction(pool, async (client) => {
        await updateColumns(client, 'members', columns, where);
        await execute(client, sql.deleteMemberRoles, [where.guild_id, where.user_id]);
        if (roleIds.length > 0) await execute(client, sql.insertMemberRoles, [where.guild_id, where.user_id, roleIds]);
      });
    },
    async removeMember(guildId, userId) {
      await execute(pool, sql.deleteMember, [idParam(guildId), idParam(userId)]);
    },
    async listGuildIdsOfUser(userId) {
      return (await query<{ guild_id: string }>(pool, sql.guildsOfUser, [idParam(userId)])).map((r) => r.guild_id);
    },
  } satisfies Partial<GuildStore>;
}

function rolePart(pool: PgPool) {
  return {
    async createRole(role) {
      await insertRole(pool, role);
    },
    async listRoles(guildId) {
      return (await query<RoleRow>(pool, sql.roles, [idParam(guildId)])).map(toRole);
    },
    async updateRole(id, changes) {
      const { name, color, hoist, mentionable, position, permissions } = changes;
      await updateColumns(pool, 'roles', { name, color, hoist, mentionable, position, permissions: bits(permissions) }, { id: idParam(id) });
    },
    async deleteRole(id) {
      await transaction(pool, async (client) => {
        await execute(client, sql.deleteRoleOverwrites, [idParam(id)]);
        await execute(client, sql.deleteRole, [idParam(id)]);
      });
    },
    async setRolePositions(guildId, positions) {
      if (positions.length === 0) return;
      await execute(pool, sql.setRolePositions, [idParam(guildId), positions.map((p) => p.id), positions.map((p) => p.position)]);
    },
  } satisfies Partial<GuildStore>;
}

function invitePart(pool: PgPool) {
  return {
    async createInvite(i) {
      await execute(pool, sql.insertInvite, [i.code, i.guildId, i.channelId, i.inviterId, i.maxAge, i.maxUses, i.uses, i.temporary, i.createdAt]);
    },
    getInvite(code) {
      return queryOne(pool, sql.invite, [code], toInvite);
    },
    async listInvites(guildId) {
      return (await query<InviteRow>(pool, sql.invites, [idParam(guildId)])).map(toInvite);
    },
    async deleteInvite(code) {
      await execute(pool, sql.deleteInvite, [code]);
    },
    // The conditional UPDATE locks the invite row, so concurrent uses queue and each sees the count
    // the previous one left. An existing member keeps their membership and counts no use (as Discord).
    useInvite(code, member, now) {
      return transaction(pool, async (client) => {
        const counted = await execute(client, sql.countInviteUse, [code, idParam(member.guildId), now]);
        if (counted === 0) return false;
        if (!(await insertMember(client, member))) await execute(client, sql.uncountInviteUse, [code]);
        return true;
      });
    },
  } satisfies Partial<GuildStore>;
}

function guildPart(pool: PgPool) {
  return {
    async createGuild({ guild: g, everyoneRole, channels }) {
      await transaction(pool, async (client) => {
        await execute(client, sql.insertGuild, [g.id, g.name, g.icon, g.ownerId, g.systemChannelId, g.createdAt]);
        await insertRole(client, everyoneRole);
        for (const channel of channels) await insertChannel(client, channel);
        // The owner becomes the first member, joined when the guild was made.
        await insertMember(client, { guildId: g.id, userId: g.ownerId, nick: null, joinedAt: g.createdAt, mute: false, deaf: false, roleIds: [] });
      });
    },
    getGuild(id) {
      return queryOne(pool, sql.guild, [idParam(id)], toGuild);
    },
    async updateGuild(id, changes) {
      const columns = { name: changes.name, icon: changes.icon, owner_id: changes.ownerId, system_channel_id: changes.systemChannelId };
      await updateColumns(pool, 'guilds', columns, { id: idParam(id) });
    },
    async deleteGuild(id) {
      await transaction(pool, async (client) => {
        for (const st of [sql.deleteGuildReactions, sql.deleteGuildMessages, sql.deleteGuildReadStates, sql.deleteGuild]) {
          await execute(client, st, [idParam(id)]);
        }
      });
    },
  } satisfies Partial<GuildStore>;
}

/** The {@link GuildStore} over a migrated database. */
export function postgresGuildStore(pool: PgPool): GuildStore {
  return {
    ...guildPart(pool),
    ...memberPart(pool),
    ...rolePart(pool),
    ...postgresChannelStore(pool),
    ...invitePart(pool),
  };
}
