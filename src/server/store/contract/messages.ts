/**
 * Contract cases for the message area of the Store: history pages, nonce lookup, edits, deletes,
 * reactions and read states. Every Store implementation must pass them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnowflakeGenerator, type Snowflake } from '../../../shared/snowflake.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../../../shared/permissions.js';
import type { MessageRecord, Store } from '../store.js';
import type { OpenStore } from './index.js';

const ids = new SnowflakeGenerator({ workerId: 3 });

function message(channelId: Snowflake, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: ids.next(),
    channelId,
    guildId: null,
    authorId: '100000000000000001',
    type: 0,
    content: 'hello',
    editedAt: null,
    nonce: null,
    flags: 0,
    pinned: false,
    tts: false,
    mentionEveryone: false,
    mentionIds: [],
    mentionRoleIds: [],
    attachments: [],
    embeds: [],
    referenceMessageId: null,
    ...overrides,
  };
}

export function messageContract(open: OpenStore): void {
  describe('messages', () => {
    let store: Store;
    const channel = ids.next();
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** Stores `count` messages in the channel, oldest first, and returns them in that order. */
    async function seed(count: number, channelId: Snowflake = channel): Promise<MessageRecord[]> {
      const made: MessageRecord[] = [];
      for (let i = 0; i < count; i++) {
        const record = message(channelId, { content: `message ${i}` });
        await store.createMessage(record);
        made.push(record);
      }
      return made;
    }
    const idsOf = (records: readonly MessageRecord[]) => records.map((r) => r.id);
    const newestFirst = (records: readonly MessageRecord[]) => [...records].reverse();

    describe('createMessage and getMessage', () => {
      it('stores every field and reads it back', async () => {
        const record = message(channel, {
          guildId: ids.next(),
          type: 19,
          content: 'with everything',
          nonce: 'n-1',
          flags: 4,
          tts: true,
          mentionEveryone: true,
          mentionIds: ['200000000000000001', '200000000000000002'],
          mentionRoleIds: ['300000000000000001'],
          attachments: [{ id: ids.next(), filename: 'a.png', size: 10, url: 'http://x/a.png', proxy_url: 'http://x/a.png', content_type: 'image/png', width: 2, height: 3 }],
          embeds: [{ title: 'Title', description: 'Body', color: 0xff0000, fields: [{ name: 'f', value: 'v', inline: true }] }],
          referenceMessageId: ids.next(),
        });
        await store.createMessage(record);
        expect(await store.getMessage(channel, record.id)).toEqual(record);
      });

      it('returns undefined for an unknown message or the wrong channel', async () => {
        const [record] = await seed(1);
        expect(await store.getMessage(channel, ids.next())).toBeUndefined();
        expect(await store.getMessage(ids.next(), record!.id)).toBeUndefined();
      });

      it('gets several messages of one channel by ID, skipping unknown ones', async () => {
        const made = await seed(4);
        const found = await store.getMessages(channel, [made[0]!.id, made[2]!.id, ids.next()]);
        expect(idsOf(found).sort()).toEqual([made[0]!.id, made[2]!.id].sort());
        expect(await store.getMessages(channel, [])).toEqual([]);
      });
    });

    describe('listMessages', () => {
      it('returns the newest messages first, up to the limit', async () => {
        const made = await seed(7);
        expect(idsOf(await store.listMessages(channel, { limit: 3 }))).toEqual(idsOf(newestFirst(made.slice(4))));
        expect(idsOf(await store.listMessages(channel, { limit: 100 }))).toEqual(idsOf(newestFirst(made)));
      });

      it('pages backwards with before, excluding the bound', async () => {
        const made = await seed(7);
        const page = await store.listMessages(channel, { before: made[4]!.id, limit: 3 });
        expect(idsOf(page)).toEqual(idsOf(newestFirst(made.slice(1, 4))));
        expect(await store.listMessages(channel, { before: made[0]!.id, limit: 3 })).toEqual([]);
      });

      it('pages forwards with after: the messages just after the bound, newest first', async () => {
        const made = await seed(7);
        const page = await store.listMessages(channel, { after: made[1]!.id, limit: 3 });
        expect(idsOf(page)).toEqual(idsOf(newestFirst(made.slice(2, 5))));
        expect(await store.listMessages(channel, { after: made[6]!.id, limit: 3 })).toEqual([]);
      });

      it('treats after=0 as the start of the channel', async () => {
        const made = await seed(5);
        expect(idsOf(await store.listMessages(channel, { after: '0', limit: 2 }))).toEqual(idsOf(newestFirst(made.slice(0, 2))));
      });

      it('compares bounds numerically even when their digit count differs', async () => {
        const made = await seed(3);
        const huge = '18446744073709551615';
        expect(idsOf(await store.listMessages(channel, { before: huge, limit: 10 }))).toEqual(idsOf(newestFirst(made)));
        expect(await store.listMessages(channel, { after: huge, limit: 10 })).toEqual([]);
        expect(await store.listMessages(channel, { before: '5', limit: 10 })).toEqual([]);
      });

      it('returns the message with half the limit on each side for around', async () => {
        const made = await seed(9);
        const page = await store.listMessages(channel, { around: made[4]!.id, limit: 5 });
        expect(idsOf(page)).toEqual(idsOf(newestFirst(made.slice(2, 7))));
        const single = await store.listMessages(channel, { around: made[4]!.id, limit: 1 });
        expect(idsOf(single)).toEqual([made[4]!.id]);
      });

      it('returns what exists near the edges for around', async () => {
        const made = await seed(4);
        const atNewest = await store.listMessages(channel, { around: made[3]!.id, limit: 6 });
        expect(idsOf(atNewest)).toEqual(idsOf(newestFirst(made.slice(1, 4))));
        const atOldest = await store.listMessages(channel, { around: made[0]!.id, limit: 4 });
        expect(idsOf(atOldest)).toEqual(idsOf(newestFirst(made.slice(0, 3))));
      });

      it('keeps channels apart', async () => {
        const other = ids.next();
        const mine = await seed(2);
        await seed(3, other);
        expect(idsOf(await store.listMessages(channel, { limit: 50 }))).toEqual(idsOf(newestFirst(mine)));
        expect(await store.listMessages(ids.next(), { limit: 50 })).toEqual([]);
      });
    });

    describe('getMessageByNonce', () => {
      it('finds the message of this author with this nonce in this channel only', async () => {
        const author = '100000000000000009';
        const record = message(channel, { authorId: author, nonce: 'abc' });
        await store.createMessage(record);
        expect((await store.getMessageByNonce(channel, author, 'abc'))?.id).toBe(record.id);
        expect(await store.getMessageByNonce(channel, '100000000000000008', 'abc')).toBeUndefined();
        expect(await store.getMessageByNonce(ids.next(), author, 'abc')).toBeUndefined();
        expect(await store.getMessageByNonce(channel, author, 'abd')).toBeUndefined();
      });
    });

    describe('updateMessage and deleteMessage', () => {
      it('changes only the given fields', async () => {
        const record = message(channel, { nonce: 'keep', mentionIds: ['200000000000000001'] });
        await store.createMessage(record);
        await store.updateMessage(channel, record.id, { content: 'edited', editedAt: 1_700_000_000_000, mentionIds: [] });
        expect(await store.getMessage(channel, record.id)).toEqual({ ...record, content: 'edited', editedAt: 1_700_000_000_000, mentionIds: [] });
      });

      it('ignores an update of an unknown message', async () => {
        await expect(store.updateMessage(channel, ids.next(), { content: 'x' })).resolves.toBeUndefined();
        expect(await store.listMessages(channel, { limit: 10 })).toEqual([]);
      });

      it('deletes the message and its reactions', async () => {
        const [kept, gone] = await seed(2);
        await store.addReaction(channel, gone!.id, '👍', '200000000000000001', 1);
        await store.addReaction(channel, kept!.id, '👍', '200000000000000001', 1);
        await store.deleteMessage(channel, gone!.id);
        expect(await store.getMessage(channel, gone!.id)).toBeUndefined();
        expect(await store.listReactions(channel, [gone!.id], '200000000000000001')).toEqual([]);
        expect(await store.listReactions(channel, [kept!.id], '200000000000000001')).toHaveLength(1);
        expect(idsOf(await store.listMessages(channel, { limit: 10 }))).toEqual([kept!.id]);
      });
    });

    describe('reactions', () => {
      const alice = '200000000000000001';
      const bob = '200000000000000002';
      const carol = '200000000000000003';

      it('adds a reaction once per user and emoji', async () => {
        const [m] = await seed(1);
        expect(await store.addReaction(channel, m!.id, '👍', alice, 1)).toBe(true);
        expect(await store.addReaction(channel, m!.id, '👍', alice, 2)).toBe(false);
        expect(await store.addReaction(channel, m!.id, '👍', bob, 3)).toBe(true);
        expect(await store.listReactions(channel, [m!.id], alice)).toEqual([{ messageId: m!.id, emoji: '👍', count: 2, me: true }]);
        expect(await store.listReactions(channel, [m!.id], carol)).toEqual([{ messageId: m!.id, emoji: '👍', count: 2, me: false }]);
      });

      it('lists emoji in first-reacted order for several messages', async () => {
        const [m1, m2] = await seed(2);
        await store.addReaction(channel, m1!.id, '🔥', alice, 10);
        await store.addReaction(channel, m1!.id, '👍', bob, 20);
        await store.addReaction(channel, m1!.id, '🔥', bob, 30);
        await store.addReaction(channel, m2!.id, '❤️', carol, 5);
        const summaries = await store.listReactions(channel, [m1!.id, m2!.id], bob);
        const forM1 = summaries.filter((s) => s.messageId === m1!.id);
        expect(forM1).toEqual([
          { messageId: m1!.id, emoji: '🔥', count: 2, me: true },
          { messageId: m1!.id, emoji: '👍', count: 1, me: true },
        ]);
        expect(summaries.filter((s) => s.messageId === m2!.id)).toEqual([{ messageId: m2!.id, emoji: '❤️', count: 1, me: false }]);
      });

      it('removes one reaction and reports whether it existed', async () => {
        const [m] = await seed(1);
        await store.addReaction(channel, m!.id, '👍', alice, 1);
        expect(await store.removeReaction(channel, m!.id, '👍', alice)).toBe(true);
        expect(await store.removeReaction(channel, m!.id, '👍', alice)).toBe(false);
        expect(await store.listReactions(channel, [m!.id], alice)).toEqual([]);
      });

      it('removes all reactions of one emoji, or all of them', async () => {
        const [m] = await seed(1);
        await store.addReaction(channel, m!.id, '👍', alice, 1);
        await store.addReaction(channel, m!.id, '👍', bob, 2);
        await store.addReaction(channel, m!.id, '🎉', alice, 3);
        await store.removeAllReactions(channel, m!.id, '👍');
        expect(await store.listReactions(channel, [m!.id], alice)).toEqual([{ messageId: m!.id, emoji: '🎉', count: 1, me: true }]);
        await store.removeAllReactions(channel, m!.id);
        expect(await store.listReactions(channel, [m!.id], alice)).toEqual([]);
      });

      it('lists the users of one emoji by user ID, paged with after', async () => {
        const [m] = await seed(1);
        for (const [i, user] of [carol, alice, bob].entries()) await store.addReaction(channel, m!.id, '👍', user, i);
        await store.addReaction(channel, m!.id, '🎉', carol, 9);
        expect(await store.listReactionUsers(channel, m!.id, '👍', { limit: 2 })).toEqual([alice, bob]);
        expect(await store.listReactionUsers(channel, m!.id, '👍', { after: bob, limit: 2 })).toEqual([carol]);
        expect(await store.listReactionUsers(channel, m!.id, '😀', { limit: 25 })).toEqual([]);
      });
    });

    describe('read states', () => {
      const user = '200000000000000001';

      it('sets and replaces a read state', async () => {
        const [m1, m2] = await seed(2);
        await store.setReadState({ userId: user, channelId: channel, lastMessageId: m1!.id, mentionCount: 2 });
        await store.setReadState({ userId: user, channelId: channel, lastMessageId: m2!.id, mentionCount: 0 });
        expect(await store.getReadState(user, channel)).toEqual({ userId: user, channelId: channel, lastMessageId: m2!.id, mentionCount: 0 });
        expect(await store.getReadState(user, ids.next())).toBeUndefined();
      });

      it('counts mentions per user, creating unread states when absent', async () => {
        const other = '200000000000000002';
        const [m] = await seed(1);
        await store.setReadState({ userId: user, channelId: channel, lastMessageId: m!.id, mentionCount: 0 });
        await store.incrementMentions(channel, [user, other, user]);
        await store.incrementMentions(channel, [other]);
        expect(await store.getReadState(user, channel)).toEqual({ userId: user, channelId: channel, lastMessageId: m!.id, mentionCount: 1 });
        expect(await store.getReadState(other, channel)).toEqual({ userId: other, channelId: channel, lastMessageId: null, mentionCount: 2 });
      });

      it('lists every read state of a user', async () => {
        const second = ids.next();
        await store.setReadState({ userId: user, channelId: channel, lastMessageId: null, mentionCount: 0 });
        await store.incrementMentions(second, [user]);
        await store.incrementMentions(channel, ['200000000000000009']);
        const states = await store.getReadStates(user);
        expect(states.map((s) => s.channelId).sort()).toEqual([channel, second].sort());
      });
    });

    describe('channel last message', () => {
      it('points the channel at its newest message', async () => {
        const ownerId = ids.next();
        const guildId = ids.next();
        const channelId = ids.next();
        await store.createUser({ id: ownerId, username: 'owner', globalName: null, avatar: null, bot: false, passwordHash: null, createdAt: 1 });
        await store.createGuild({
          guild: { id: guildId, name: 'g', icon: null, ownerId, systemChannelId: null, createdAt: 1 },
          everyoneRole: { id: guildId, guildId, name: '@everyone', color: 0, hoist: false, mentionable: false, position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS },
          channels: [{ id: channelId, guildId, type: 0, name: 'general', topic: null, parentId: null, position: 0, bitrate: null, userLimit: null, lastMessageId: null, overwrites: [] }],
        });
        const [, newest] = await seed(2, channelId);
        expect((await store.getChannel(channelId))?.lastMessageId).toBe(newest!.id);
      });
    });
  });
}
