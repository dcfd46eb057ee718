/**
 * Contract cases for {@link GuildStore}: guilds, members, roles, channels, overwrites, invites.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRecord, InviteRecord, MemberRecord, MessageRecord, RoleRecord, Store } from '../store.js';
import { userRecord } from './accounts.js';
import type { OpenStore } from './index.js';

const GUILD = '1000';
const OWNER = '100';
const T0 = 1_700_000_000_000;

function channel(id: string, extra: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    id, guildId: GUILD, type: 0, name: `channel-${id}`, topic: null, parentId: null, position: 0, bitrate: null,
    userLimit: null, lastMessageId: null, overwrites: [], ...extra,
  };
}

function role(id: string, extra: Partial<RoleRecord> = {}): RoleRecord {
  return { id, guildId: GUILD, name: `role-${id}`, color: 0, hoist: false, mentionable: false, position: 1, permissions: 0n, ...extra };
}

function member(userId: string, extra: Partial<MemberRecord> = {}): MemberRecord {
  return { guildId: GUILD, userId, nick: null, joinedAt: T0 + 1, mute: false, deaf: false, roleIds: [], ...extra };
}

function invite(code: string, extra: Partial<InviteRecord> = {}): InviteRecord {
  return { code, guildId: GUILD, channelId: '2001', inviterId: OWNER, maxAge: 0, maxUses: 0, uses: 0, temporary: false, createdAt: T0, ...extra };
}

function message(channelId: string, id: string): MessageRecord {
  return {
    id, channelId, guildId: GUILD, authorId: OWNER, type: 0, content: 'hi', editedAt: null, nonce: null, flags: 0, pinned: false,
    tts: false, mentionEveryone: false, mentionIds: [], mentionRoleIds: [], attachments: [], embeds: [], referenceMessageId: null,
  };
}

/** A guild with a category (2000), a text channel in it (2001) and a voice channel (2002). */
async function seedGuild(store: Store): Promise<void> {
  for (const [id, name] of [[OWNER, 'owner'], ['101', 'bob'], ['102', 'carol'], ['103', 'dave']] as const) {
    await store.createUser(userRecord(id, name));
  }
  await store.createGuild({
    guild: { id: GUILD, name: 'Hearth', icon: null, ownerId: OWNER, systemChannelId: '2001', createdAt: T0 },
    everyoneRole: role(GUILD, { name: '@everyone', position: 0, permissions: 1024n }),
    channels: [
      channel('2000', { type: 4, name: 'Text Channels' }),
      channel('2001', { parentId: '2000', name: 'general', overwrites: [{ targetId: GUILD, type: 0, allow: 0n, deny: 2048n }] }),
      channel('2002', { type: 2, name: 'General', bitrate: 64000, userLimit: 0, position: 1 }),
    ],
  });
}

export function guildContract(open: OpenStore): void {
  describe('guilds', () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await seedGuild(store);
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a guild with its @everyone role, channels and the owner as first member', async () => {
      expect(await store.getGuild(GUILD)).toEqual({ id: GUILD, name: 'Hearth', icon: null, ownerId: OWNER, systemChannelId: '2001', createdAt: T0 });
      expect(await store.listRoles(GUILD)).toEqual([role(GUILD, { name: '@everyone', position: 0, permissions: 1024n })]);
      const channels = await store.listChannels(GUILD);
      expect(channels.map((c) => c.id).sort()).toEqual(['2000', '2001', '2002']);
      expect(channels.find((c) => c.id === '2001')?.overwrites).toEqual([{ targetId: GUILD, type: 0, allow: 0n, deny: 2048n }]);
      expect(await store.getChannel('2002')).toMatchObject({ type: 2, bitrate: 64000, userLimit: 0 });
      expect(await store.getMember(GUILD, OWNER)).toEqual(member(OWNER, { joinedAt: T0 }));
      expect(await store.listGuildIdsOfUser(OWNER)).toEqual([GUILD]);
      expect(await store.getGuild('999')).toBeUndefined();
    });

    it('updates guild fields and lists guilds of a user in join order', async () => {
      await store.updateGuild(GUILD, { name: 'Renamed', icon: 'abc' });
      expect(await store.getGuild(GUILD)).toMatchObject({ name: 'Renamed', icon: 'abc', systemChannelId: '2001' });
      await store.createGuild({
        guild: { id: '1001', name: 'Second', icon: null, ownerId: '101', systemChannelId: null, createdAt: T0 + 5 },
        everyoneRole: role('1001', { guildId: '1001', position: 0 }),
        channels: [],
      });
      await store.addMember({ ...member(OWNER), guildId: '1001', joinedAt: T0 + 6 });
      expect(await store.listGuildIdsOfUser(OWNER)).toEqual([GUILD, '1001']);
      expect(await store.listGuildIdsOfUser('101')).toEqual(['1001']);
    });

    it('adds, pages, counts, updates and removes members', async () => {
      await store.createRole(role('3000'));
      await store.addMember(member('102', { roleIds: ['3000'] }));
      await store.addMember(member('101', { nick: 'bobby' }));
      expect(await store.countMembers(GUILD)).toBe(3);
      expect((await store.listMembers(GUILD, { limit: 2 })).map((m) => m.userId)).toEqual(['100', '101']);
      expect(await store.listMembers(GUILD, { after: '101', limit: 10 })).toEqual([member('102', { roleIds: ['3000'] })]);
      await store.updateMember(GUILD, '101', { roleIds: ['3000'], mute: true });
      expect(await store.getMember(GUILD, '101')).toEqual(member('101', { nick: 'bobby', mute: true, roleIds: ['3000'] }));
      await store.updateMember(GUILD, '101', { nick: null, roleIds: [] });
      expect(await store.getMember(GUILD, '101')).toEqual(member('101', { mute: true }));
      await store.removeMember(GUILD, '102');
      expect(await store.getMember(GUILD, '102')).toBeUndefined();
      expect(await store.countMembers(GUILD)).toBe(2);
      expect(await store.listGuildIdsOfUser('102')).toEqual([]);
    });

    it('orders members by numeric user ID across different ID lengths', async () => {
      await store.createUser(userRecord('99', 'short'));
      await store.addMember(member('99'));
      expect((await store.listMembers(GUILD, { limit: 10 })).map((m) => m.userId)).toEqual(['99', '100']);
      expect((await store.listMembers(GUILD, { after: '99', limit: 10 })).map((m) => m.userId)).toEqual(['100']);
    });

    it('creates, updates, reorders and deletes roles; a deleted role leaves members and overwrites', async () => {
      await store.createRole(role('3000', { name: 'mods', color: 0xff0000, hoist: true, permissions: 8192n }));
      await store.createRole(role('3001', { position: 2 }));
      await store.updateRole('3000', { name: 'moderators', mentionable: true, permissions: 8n });
      expect((await store.listRoles(GUILD)).find((r) => r.id === '3000')).toEqual(
        role('3000', { name: 'moderators', color: 0xff0000, hoist: true, mentionable: true, permissions: 8n }),
      );
      await store.setRolePositions(GUILD, [{ id: '3000', position: 2 }, { id: '3001', position: 1 }]);
      expect((await store.listRoles(GUILD)).map((r) => r.id)).toEqual([GUILD, '3001', '3000']);
      await store.addMember(member('101', { roleIds: ['3000', '3001'] }));
      await store.putOverwrite('2001', { targetId: '3000', type: 0, allow: 2048n, deny: 0n });
      await store.deleteRole('3000');
      expect((await store.listRoles(GUILD)).map((r) => r.id)).toEqual([GUILD, '3001']);
      expect((await store.getMember(GUILD, '101'))?.roleIds).toEqual(['3001']);
      expect((await store.getChannel('2001'))?.overwrites.map((o) => o.targetId)).toEqual([GUILD]);
    });

    it('keeps the bot of a managed role, and no bot on ordinary roles', async () => {
      await store.createUser(userRecord('104', 'helper', { bot: true, passwordHash: null }));
      await store.createRole(role('3002', { name: 'helper', permissions: 2048n, botUserId: '104' }));
      const roles = await store.listRoles(GUILD);
      expect(roles.find((r) => r.id === '3002')).toEqual(role('3002', { name: 'helper', permissions: 2048n, botUserId: '104' }));
      expect(roles.find((r) => r.id === GUILD)).not.toHaveProperty('botUserId');
    });

    it('updates channels, replacing overwrites only when given', async () => {
      await store.updateChannel('2001', { name: 'chat', topic: 'Talk here', position: 3 });
      expect(await store.getChannel('2001')).toMatchObject({ name: 'chat', topic: 'Talk here', position: 3, parentId: '2000' });
      expect((await store.getChannel('2001'))?.overwrites).toHaveLength(1);
      await store.updateChannel('2001', { parentId: null, overwrites: [{ targetId: '101', type: 1, allow: 1024n, deny: 0n }] });
      expect(await store.getChannel('2001')).toMatchObject({ parentId: null, overwrites: [{ targetId: '101', type: 1, allow: 1024n, deny: 0n }] });
      await store.updateChannel('2002', { bitrate: 96000, userLimit: 5 });
      expect(await store.getChannel('2002')).toMatchObject({ bitrate: 96000, userLimit: 5 });
    });

    it('puts (inserting or replacing) and deletes single overwrites', async () => {
      await store.putOverwrite('2001', { targetId: '101', type: 1, allow: 1n, deny: 2n });
      await store.putOverwrite('2001', { targetId: '101', type: 1, allow: 4n, deny: 0n });
      expect((await store.getChannel('2001'))?.overwrites).toEqual([
        { targetId: '101', type: 1, allow: 4n, deny: 0n },
        { targetId: GUILD, type: 0, allow: 0n, deny: 2048n },
      ]);
      await store.deleteOverwrite('2001', GUILD);
      expect((await store.getChannel('2001'))?.overwrites.map((o) => o.targetId)).toEqual(['101']);
    });

    it('reorders channels and moves them between categories in one call', async () => {
      await store.setChannelPositions(GUILD, [
        { id: '2002', position: 0, parentId: '2000' },
        { id: '2001', position: 1 },
      ]);
      expect(await store.getChannel('2002')).toMatchObject({ position: 0, parentId: '2000' });
      expect(await store.getChannel('2001')).toMatchObject({ position: 1, parentId: '2000' });
    });

    it('deletes a channel with its messages, invites and read states; children become uncategorized', async () => {
      await store.createMessage(message('2001', '5000'));
      await store.createInvite(invite('abc'));
      await store.setReadState({ userId: OWNER, channelId: '2001', lastMessageId: '5000', mentionCount: 0 });
      await store.deleteChannel('2001');
      expect(await store.getChannel('2001')).toBeUndefined();
      expect(await store.getMessage('2001', '5000')).toBeUndefined();
      expect(await store.getInvite('abc')).toBeUndefined();
      expect(await store.getReadState(OWNER, '2001')).toBeUndefined();
      expect((await store.getGuild(GUILD))?.systemChannelId).toBeNull();
      await store.deleteChannel('2000');
      expect((await store.getChannel('2002'))?.parentId).toBeNull();
    });

    it('stores, lists and deletes invites', async () => {
      await store.createInvite(invite('abc', { maxAge: 3600, maxUses: 5, temporary: true }));
      await store.createInvite(invite('xyz', { createdAt: T0 + 1, inviterId: null }));
      expect(await store.getInvite('abc')).toEqual(invite('abc', { maxAge: 3600, maxUses: 5, temporary: true }));
      expect((await store.listInvites(GUILD)).map((i) => i.code)).toEqual(['abc', 'xyz']);
      await store.deleteInvite('abc');
      expect(await store.getInvite('abc')).toBeUndefined();
      expect(await store.getInvite('nope')).toBeUndefined();
    });

    it('uses an invite atomically: counts the use and adds the member', async () => {
      await store.createInvite(invite('abc', { maxUses: 1 }));
      expect(await store.useInvite('abc', member('101'), T0 + 10)).toBe(true);
      expect(await store.getMember(GUILD, '101')).toEqual(member('101'));
      expect((await store.getInvite('abc'))?.uses).toBe(1);
      expect(await store.useInvite('abc', member('102'), T0 + 20)).toBe(false);
      expect(await store.getMember(GUILD, '102')).toBeUndefined();
    });

    it('refuses expired or unknown invites and counts no use for an existing member', async () => {
      await store.createInvite(invite('old', { maxAge: 60 }));
      expect(await store.useInvite('old', member('101'), T0 + 60_000)).toBe(false);
      expect(await store.getMember(GUILD, '101')).toBeUndefined();
      expect(await store.useInvite('old', member('101'), T0 + 59_999)).toBe(true);
      expect(await store.useInvite('old', member('101'), T0 + 59_999)).toBe(true);
      expect((await store.getInvite('old'))?.uses).toBe(1);
      expect(await store.useInvite('missing', member('102'), T0)).toBe(false);
    });

    it('deletes a guild with everything in it', async () => {
      await store.createRole(role('3000'));
      await store.addMember(member('101', { roleIds: ['3000'] }));
      await store.createMessage(message('2001', '5000'));
      await store.createInvite(invite('abc'));
      await store.deleteGuild(GUILD);
      expect(await store.getGuild(GUILD)).toBeUndefined();
      expect(await store.listRoles(GUILD)).toEqual([]);
      expect(await store.listChannels(GUILD)).toEqual([]);
      expect(await store.getMember(GUILD, '101')).toBeUndefined();
      expect(await store.getMessage('2001', '5000')).toBeUndefined();
      expect(await store.getInvite('abc')).toBeUndefined();
      expect(await store.listGuildIdsOfUser(OWNER)).toEqual([]);
      expect(await store.getUser('101')).toBeDefined();
    });
  });
}
