import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EVERYONE_PERMISSIONS, Permission } from '../../shared/permissions.js';
import { userRecord } from '../store/contract/accounts.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { ChannelRecord, Store } from '../store/store.js';
import { canView, channelViewerIds, highestRolePosition, loadGuildPermissionContext } from './access.js';
import { LARGE_GUILD_THRESHOLD, loadGatewayGuild } from './shapes.js';

const GUILD = '1000';
const OWNER = '100';
const VIEW = Permission.VIEW_CHANNEL;

function channel(id: string, overwrites: ChannelRecord['overwrites'] = []): ChannelRecord {
  return { id, guildId: GUILD, type: 0, name: id, topic: null, parentId: null, position: 0, bitrate: null, userLimit: null, lastMessageId: null, overwrites };
}

describe('permission gate and gateway guild loader', () => {
  let store: Store;
  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    await store.createUser(userRecord(OWNER, 'owner'));
    await store.createGuild({
      guild: { id: GUILD, name: 'Guild', icon: null, ownerId: OWNER, systemChannelId: null, createdAt: 1 },
      everyoneRole: { id: GUILD, guildId: GUILD, name: '@everyone', color: 0, hoist: false, mentionable: false, position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS },
      channels: [channel('2000')],
    });
    await store.createRole({ id: '3000', guildId: GUILD, name: 'staff', color: 0, hoist: false, mentionable: false, position: 1, permissions: 0n });
    await store.createRole({ id: '3001', guildId: GUILD, name: 'senior', color: 0, hoist: false, mentionable: false, position: 2, permissions: 0n });
    for (const [id, roles] of [['101', []], ['102', ['3000']], ['103', ['3000', '3001']]] as const) {
      await store.createUser(userRecord(id, `user${id}`));
      await store.addMember({ guildId: GUILD, userId: id, nick: null, joinedAt: 2, mute: false, deaf: false, roleIds: [...roles] });
    }
  });
  afterEach(async () => {
    await store.close();
  });

  it('applies @everyone, role and member overwrites in Discord\'s order, owner bypassing', async () => {
    const context = await loadGuildPermissionContext(store, GUILD);
    if (!context) throw new Error('guild missing');
    const staffOnly = channel('2001', [
      { targetId: GUILD, type: 0, allow: 0n, deny: VIEW },
      { targetId: '3000', type: 0, allow: VIEW, deny: 0n },
      { targetId: '103', type: 1, allow: 0n, deny: VIEW },
    ]);
    const holder = (userId: string, roleIds: string[]) => ({ userId, roleIds });
    expect(canView(context, holder('101', []), staffOnly)).toBe(false);
    expect(canView(context, holder('102', ['3000']), staffOnly)).toBe(true);
    expect(canView(context, holder('103', ['3000', '3001']), staffOnly)).toBe(false);
    expect(canView(context, holder(OWNER, []), staffOnly)).toBe(true);
    expect(highestRolePosition(context, holder('103', ['3000', '3001']))).toBe(2);
    expect(highestRolePosition(context, holder('101', []))).toBe(0);
    expect(highestRolePosition(context, holder(OWNER, []))).toBe(Number.POSITIVE_INFINITY);
    expect((await channelViewerIds(store, staffOnly)).sort()).toEqual([OWNER, '102']);
    expect((await channelViewerIds(store, channel('2000'))).sort()).toEqual([OWNER, '101', '102', '103']);
  });

  it('loads the full guild for a member, and nothing for a non-member', async () => {
    const guild = await loadGatewayGuild(store, GUILD, '102');
    expect(guild).toMatchObject({ id: GUILD, large: false, unavailable: false, member_count: 4, presences: [], voice_states: [] });
    expect(guild?.members.map((m) => m.user.id).sort()).toEqual([OWNER, '101', '102', '103']);
    expect(guild?.channels.map((c) => c.id)).toEqual(['2000']);
    expect(guild?.roles.map((r) => r.id)).toEqual([GUILD, '3000', '3001']);
    expect(guild?.joined_at).toBe(new Date(2).toISOString());
    expect(await loadGatewayGuild(store, GUILD, '999')).toBeUndefined();
    expect(await loadGatewayGuild(store, '4242', '102')).toBeUndefined();
  });

  it('sends only the viewer\'s member for a large guild', async () => {
    for (let i = 0; i < LARGE_GUILD_THRESHOLD; i += 1) {
      const id = String(200_000 + i);
      await store.createUser(userRecord(id, `bulk${i}`));
      await store.addMember({ guildId: GUILD, userId: id, nick: null, joinedAt: 3, mute: false, deaf: false, roleIds: [] });
    }
    const guild = await loadGatewayGuild(store, GUILD, '101');
    expect(guild?.large).toBe(true);
    expect(guild?.member_count).toBe(LARGE_GUILD_THRESHOLD + 4);
    expect(guild?.members.map((m) => m.user.id)).toEqual(['101']);
  });
});
