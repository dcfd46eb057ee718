/**
 * Guilds on SQLite: guilds, members with their roles, roles, channels with permission overwrites,
 * invites. Statements are prepared once per store; writes touching several rows are transactions.
 */
import type { ChannelRecord, GuildStore, MemberRecord, OverwriteRecord, RoleRecord } from '../store.js';
import {
  bits, bool, toChannel, toGuild, toInvite, toMember, toOverwrite, toRole,
  type ChannelRow, type GuildRow, type InviteRow, type MemberRow, type OverwriteRow, type RoleRow,
} from './guild-rows.js';
import type { SqliteDatabase } from './database.js';
import { partialUpdate } from './updates.js';
import { inviteUsable } from '../invites.js';

// Snowflakes are decimal strings: numeric order is length first, then text.
const MEMBER_PAGE_SQL = `SELECT * FROM members WHERE guild_id = @guildId
  AND (@after IS NULL OR length(user_id) > length(@after) OR (length(user_id) = length(@after) AND user_id > @after))
  ORDER BY length(user_id), user_id LIMIT @limit`;

function memberReads(db: SqliteDatabase) {
  const selectMember = db.prepare<[string, string], MemberRow>('SELECT * FROM members WHERE guild_id = ? AND user_id = ?');
  const selectMemberRoles = db.prepare<[string, string], { role_id: string }>(
    'SELECT role_id FROM member_roles WHERE guild_id = ? AND user_id = ? ORDER BY role_id',
  );
  const selectRolesOfMembers = db.prepare<[string, string], { user_id: string; role_id: string }>(
    'SELECT user_id, role_id FROM member_roles WHERE guild_id = ? AND user_id IN (SELECT value FROM json_each(?)) ORDER BY role_id',
  );
  const selectPage = db.prepare<{ guildId: string; after: string | null; limit: number }, MemberRow>(MEMBER_PAGE_SQL);
  const countMembers = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE guild_id = ?');
  const selectGuildIdsOfUser = db.prepare<[string], { guild_id: string }>(
    'SELECT guild_id FROM members WHERE user_id = ? ORDER BY joined_at, guild_id',
  );

  const withRoles = (guildId: string, rows: MemberRow[]): MemberRecord[] => {
    const roles = new Map<string, string[]>();
    for (const row of selectRolesOfMembers.all(guildId, JSON.stringify(rows.map((r) => r.user_id)))) {
      const list = roles.get(row.user_id) ?? [];
      list.push(row.role_id);
      roles.set(row.user_id, list);
    }
    return rows.map((row) => toMember(row, roles.get(row.user_id) ?? []));
  };

  return {
    async getMember(guildId, userId) {
      const row = selectMember.get(guildId, userId);
      return row && toMember(row, selectMemberRoles.all(guildId, userId).map((r) => r.role_id));
    },
    async listMembers(guildId, options) {
      return withRoles(guildId, selectPage.all({ guildId, after: options.after ?? null, limit: options.limit }));
    },
    async countMembers(guildId) {
      return countMembers.get(guildId)?.n ?? 0;
    },
    async listGuildIdsOfUser(userId) {
      return selectGuildIdsOfUser.all(userId).map((r) => r.guild_id);
    },
  } satisfies Partial<GuildStore>;
}

function memberWrites(db: SqliteDatabase) {
  const insertMember = db.prepare(
    'INSERT INTO members (guild_id, user_id, nick, joined_at, mute, deaf) VALUES (@guildId, @userId, @nick, @joinedAt, @mute, @deaf)',
  );
  const insertMemberRole = db.prepare('INSERT OR IGNORE INTO member_roles (guild_id, user_id, role_id) VALUES (?, ?, ?)');
  const deleteMemberRoles = db.prepare('DELETE FROM member_roles WHERE guild_id = ? AND user_id = ?');
  const selectMember = db.prepare<[string, string], MemberRow>('SELECT * FROM members WHERE guild_id = ? AND user_id = ?');
  const deleteMember = db.prepare('DELETE FROM members WHERE guild_id = ? AND user_id = ?');
  const updateColumns = partialUpdate(db, 'members', 'guild_id = @guildId AND user_id = @userId');

  const addMember = db.transaction((member: MemberRecord) => {
    insertMember.run({ ...member, mute: member.mute ? 1 : 0, deaf: member.deaf ? 1 : 0 });
    for (const roleId of member.roleIds) insertMemberRole.run(member.guildId, member.userId, roleId);
  });
  const updateMember = db.transaction((guildId: string, userId: string, changes: Parameters<GuildStore['updateMember']>[2]) => {
    updateColumns({ nick: changes.nick, mute: bool(changes.mute), deaf: bool(changes.deaf) }, { guildId, userId });
    if (changes.roleIds === undefined) return;
    deleteMemberRoles.run(guildId, userId);
    for (const roleId of changes.roleIds) insertMemberRole.run(guildId, userId, roleId);
  });

  return {
    addMember,
    store: {
      async addMember(member) {
        addMember(member);
      },
      async updateMember(guildId, userId, changes) {
        updateMember(guildId, userId, changes);
      },
      async removeMember(guildId, userId) {
        deleteMember.run(guildId, userId);
      },
    } satisfies Partial<GuildStore>,
    isMember: (guildId: string, userId: string) => selectMember.get(guildId, userId) !== undefined,
  };
}

function rolePart(db: SqliteDatabase) {
  const insertRole = db.prepare(
    `INSERT INTO roles (id, guild_id, name, color, hoist, mentionable, position, permissions, bot_user_id)
     VALUES (@id, @guildId, @name, @color, @hoist, @mentionable, @position, @permissions, @botUserId)`,
  );
  const selectRoles = db.prepare<[string], RoleRow>('SELECT * FROM roles WHERE guild_id = ? ORDER BY position, length(id), id');
  const deleteRoleOverwrites = db.prepare('DELETE FROM overwrites WHERE target_id = ? AND type = 0');
  const deleteRole = db.prepare('DELETE FROM roles WHERE id = ?');
  const setPosition = db.prepare('UPDATE roles SET position = ? WHERE id = ? AND guild_id = ?');
  const updateColumns = partialUpdate(db, 'roles', 'id = @id');

  const createRole = (role: RoleRecord) =>
    insertRole.run({
      ...role, hoist: role.hoist ? 1 : 0, mentionable: role.mentionable ? 1 : 0, permissions: role.permissions.toString(), botUserId: role.botUserId ?? null,
    });
  // member_roles rows go with the role through ON DELETE CASCADE.
  const removeRole = db.transaction((id: string) => {
    deleteRoleOverwrites.run(id);
    deleteRole.run(id);
  });
  const setPositions = db.transaction((guildId: string, positions: readonly { id: string; position: number }[]) => {
    for (const { id, position } of positions) setPosition.run(position, id, guildId);
  });

  return {
    createRole,
    store: {
      async createRole(role) {
        createRole(role);
      },
      async listRoles(guildId) {
        return selectRoles.all(guildId).map(toRole);
      },
      async updateRole(id, changes) {
        updateColumns(
          {
            name: changes.name, color: changes.color, hoist: bool(changes.hoist), mentionable: bool(changes.mentionable),
            position: changes.position, permissions: bits(changes.permissions),
          },
          { id },
        );
      },
      async deleteRole(id) {
        removeRole(id);
      },
      async setRolePositions(guildId, positions) {
        setPositions(guildId, positions);
      },
    } satisfies Partial<GuildStore>,
  };
}

function channelReads(db: SqliteDatabase) {
  const selectChannel = db.prepare<[string], ChannelRow>('SELECT * FROM channels WHERE id = ?');
  const selectChannels = db.prepare<[string], ChannelRow>('SELECT * FROM channels WHERE guild_id = ? ORDER BY position, length(id), id');
  const selectOverwrites = db.prepare<[string], OverwriteRow>('SELECT * FROM overwrites WHERE channel_id = ? ORDER BY length(target_id), target_id');
  const selectGuildOverwrites = db.prepare<[string], OverwriteRow>(
    'SELECT o.* FROM overwrites o JOIN channels c ON c.id = o.channel_id WHERE c.guild_id = ? ORDER BY length(o.target_id), o.target_id',
  );
  return {
    async getChannel(id) {
      const row = selectChannel.get(id);
      return row && toChannel(row, selectOverwrites.all(id).map(toOverwrite));
    },
    async listChannels(guildId) {
      const overwrites = new Map<string, OverwriteRecord[]>();
      for (const row of selectGuildOverwrites.all(guildId)) {
        const list = overwrites.get(row.channel_id) ?? [];
        list.push(toOverwrite(row));
        overwrites.set(row.channel_id, list);
      }
      return selectChannels.all(guildId).map((row) => toChannel(row, overwrites.get(row.id) ?? []));
    },
  } satisfies Partial<GuildStore>;
}

function channelRemoval(db: SqliteDatabase) {
  const orphanChildren = db.prepare('UPDATE channels SET parent_id = NULL WHERE parent_id = ?');
  const clearSystemChannel = db.prepare('UPDATE guilds SET system_channel_id = NULL WHERE system_channel_id = ?');
  const deleteChannelRow = db.prepare('DELETE FROM channels WHERE id = ?');
  const deleteChannelMessages = db.prepare('DELETE FROM messages WHERE channel_id = ?');
  const deleteChannelReactions = db.prepare('DELETE FROM reactions WHERE channel_id = ?');
  const deleteChannelReadStates = db.prepare('DELETE FROM read_states WHERE channel_id = ?');
  // Messages, reactions and read states have no foreign key (they are keyed for range scans), so they go explicitly.
  const deleteChannel = db.transaction((id: string) => {
    deleteChannelReactions.run(id);
    deleteChannelMessages.run(id);
    deleteChannelReadStates.run(id);
    orphanChildren.run(id);
    clearSystemChannel.run(id);
    deleteChannelRow.run(id);
  });
  return {
    async deleteChannel(id) {
      deleteChannel(id);
    },
  } satisfies Partial<GuildStore>;
}

function channelWrites(db: SqliteDatabase) {
  const insertChannel = db.prepare(
    `INSERT INTO channels (id, guild_id, type, name, topic, parent_id, position, bitrate, user_limit, last_message_id)
     VALUES (@id, @guildId, @type, @name, @topic, @parentId, @position, @bitrate, @userLimit, @lastMessageId)`,
  );
  const insertOverwrite = db.prepare(
    `INSERT INTO overwrites (channel_id, target_id, type, allow, deny) VALUES (@channelId, @targetId, @type, @allow, @deny)
     ON CONFLICT (channel_id, target_id) DO UPDATE SET type = excluded.type, allow = excluded.allow, deny = excluded.deny`,
  );
  const deleteOverwrite = db.prepare('DELETE FROM overwrites WHERE channel_id = ? AND target_id = ?');
  const deleteOverwrites = db.prepare('DELETE FROM overwrites WHERE channel_id = ?');
  const setPosition = db.prepare('UPDATE channels SET position = ? WHERE id = ? AND guild_id = ?');
  const setParent = db.prepare('UPDATE channels SET parent_id = ? WHERE id = ? AND guild_id = ?');
  const updateColumns = partialUpdate(db, 'channels', 'id = @id');

  const putOverwrites = (channelId: string, overwrites: readonly OverwriteRecord[]) => {
    for (const o of overwrites) insertOverwrite.run({ channelId, targetId: o.targetId, type: o.type, allow: o.allow.toString(), deny: o.deny.toString() });
  };
  const createChannel = (channel: ChannelRecord) => {
    insertChannel.run(channel);
    putOverwrites(channel.id, channel.overwrites);
  };
  const updateChannel = db.transaction((id: string, changes: Parameters<GuildStore['updateChannel']>[1]) => {
    const { name, topic, parentId, position, bitrate, userLimit, lastMessageId } = changes;
    updateColumns({ name, topic, parent_id: parentId, position, bitrate, user_limit: userLimit, last_message_id: lastMessageId }, { id });
    if (changes.overwrites === undefined) return;
    deleteOverwrites.run(id);
    putOverwrites(id, changes.overwrites);
  });
  const setPositions = db.transaction((guildId: string, positions: Parameters<GuildStore['setChannelPositions']>[1]) => {
    for (const { id, position, parentId } of positions) {
      setPosition.run(position, id, guildId);
      if (parentId !== undefined) setParent.run(parentId, id, guildId);
    }
  });

  return {
    createChannel,
    store: {
      async createChannel(channel) {
        db.transaction(createChannel)(channel);
      },
      async updateChannel(id, changes) {
        updateChannel(id, changes);
      },
      async setChannelPositions(guildId, positions) {
        setPositions(guildId, positions);
      },
      async putOverwrite(channelId, overwrite) {
        putOverwrites(channelId, [overwrite]);
      },
      async deleteOverwrite(channelId, targetId) {
        deleteOverwrite.run(channelId, targetId);
      },
    } satisfies Partial<GuildStore>,
  };
}

function invitePart(db: SqliteDatabase, members: ReturnType<typeof memberWrites>) {
  const insertInvite = db.prepare(
    `INSERT INTO invites (code, guild_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, created_at)
     VALUES (@code, @guildId, @channelId, @inviterId, @maxAge, @maxUses, @uses, @temporary, @createdAt)`,
  );
  const selectInvite = db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE code = ?');
  const selectInvites = db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE guild_id = ? ORDER BY created_at, code');
  const deleteInvite = db.prepare('DELETE FROM invites WHERE code = ?');
  const countUse = db.prepare('UPDATE invites SET uses = uses + 1 WHERE code = ?');

  // An existing member keeps their membership and the invite counts no use (as Discord).
  const useInvite = db.transaction((code: string, member: MemberRecord, now: number): boolean => {
    const row = selectInvite.get(code);
    if (!row || row.guild_id !== member.guildId || !inviteUsable(toInvite(row), now)) return false;
    if (members.isMember(member.guildId, member.userId)) return true;
    countUse.run(code);
    members.addMember(member);
    return true;
  });

  return {
    async createInvite(invite) {
      insertInvite.run({ ...invite, temporary: invite.temporary ? 1 : 0 });
    },
    async getInvite(code) {
      const row = selectInvite.get(code);
      return row && toInvite(row);
    },
    async listInvites(guildId) {
      return selectInvites.all(guildId).map(toInvite);
    },
    async deleteInvite(code) {
      deleteInvite.run(code);
    },
    async useInvite(code, member, now) {
      return useInvite(code, member, now);
    },
  } satisfies Partial<GuildStore>;
}

function guildPart(db: SqliteDatabase, members: ReturnType<typeof memberWrites>, roles: ReturnType<typeof rolePart>, channels: ReturnType<typeof channelWrites>) {
  const insertGuild = db.prepare(
    'INSERT INTO guilds (id, name, icon, owner_id, system_channel_id, created_at) VALUES (@id, @name, @icon, @ownerId, @systemChannelId, @createdAt)',
  );
  const selectGuild = db.prepare<[string], GuildRow>('SELECT * FROM guilds WHERE id = ?');
  const deleteGuildRow = db.prepare('DELETE FROM guilds WHERE id = ?');
  const deleteGuildMessages = db.prepare('DELETE FROM messages WHERE channel_id IN (SELECT id FROM channels WHERE guild_id = ?)');
  const deleteGuildReactions = db.prepare('DELETE FROM reactions WHERE channel_id IN (SELECT id FROM channels WHERE guild_id = ?)');
  const deleteGuildReadStates = db.prepare('DELETE FROM read_states WHERE channel_id IN (SELECT id FROM channels WHERE guild_id = ?)');
  const updateColumns = partialUpdate(db, 'guilds', 'id = @id');

  // The owner becomes the first member, joined when the guild was made.
  const createGuild = db.transaction(({ guild, everyoneRole, channels: newChannels }: Parameters<GuildStore['createGuild']>[0]) => {
    insertGuild.run(guild);
    roles.createRole(everyoneRole);
    for (const channel of newChannels) channels.createChannel(channel);
    members.addMember({ guildId: guild.id, userId: guild.ownerId, nick: null, joinedAt: guild.createdAt, mute: false, deaf: false, roleIds: [] });
  });
  // Roles, members, channels, overwrites and invites follow through ON DELETE CASCADE.
  const deleteGuild = db.transaction((id: string) => {
    deleteGuildReactions.run(id);
    deleteGuildMessages.run(id);
    deleteGuildReadStates.run(id);
    deleteGuildRow.run(id);
  });

  return {
    async createGuild(newGuild) {
      createGuild(newGuild);
    },
    async getGuild(id) {
      const row = selectGuild.get(id);
      return row && toGuild(row);
    },
    async updateGuild(id, changes) {
      updateColumns({ name: changes.name, icon: changes.icon, owner_id: changes.ownerId, system_channel_id: changes.systemChannelId }, { id });
    },
    async deleteGuild(id) {
      deleteGuild(id);
    },
  } satisfies Partial<GuildStore>;
}

/** The {@link GuildStore} over an open, migrated database. */
export function sqliteGuildStore(db: SqliteDatabase): GuildStore {
  const members = memberWrites(db);
  const roles = rolePart(db);
  const channels = channelWrites(db);
  return {
    ...guildPart(db, members, roles, channels),
    ...memberReads(db),
    ...members.store,
    ...roles.store,
    ...channelReads(db),
    ...channels.store,
    ...channelRemoval(db),
    ...invitePart(db, members),
  };
}
