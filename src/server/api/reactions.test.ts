import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Message, User } from '../../shared/protocol/entities.js';
import { api } from '../test-support/api.js';
import type { TestUser } from '../test-support/api.js';
import { eventsOf, sendMessage, setOverwrite, startMessageWorld, type MessageWorld } from '../test-support/messages.js';
import { isUnicodeEmoji } from './reactions.js';

let world: MessageWorld;
beforeAll(async () => {
  world = await startMessageWorld();
});
afterAll(async () => {
  await world.close();
});

const THUMBS = '👍';
const FLAG = '🇳🇴';
const path = (channelId: string, messageId: string, rest = '') => `/channels/${channelId}/messages/${messageId}/reactions${rest}`;
const react = (user: TestUser, channelId: string, messageId: string, emoji: string) =>
  api(world.url, 'PUT', path(channelId, messageId, `/${encodeURIComponent(emoji)}/@me`), { token: user.token });
const getMessage = (user: TestUser, channelId: string, messageId: string) =>
  api<Message>(world.url, 'GET', `/channels/${channelId}/messages/${messageId}`, { token: user.token });

async function freshMessage(): Promise<{ channelId: string; message: Message }> {
  const channel = await world.newChannel();
  return { channelId: channel.id, message: await sendMessage(world.url, world.owner, channel.id, 'react to me') };
}

describe('isUnicodeEmoji', () => {
  it('accepts single emoji, flags, keycaps and ZWJ sequences', () => {
    for (const emoji of [THUMBS, FLAG, '1️⃣', '👩‍👩‍👧', '❤️', '👍🏽']) expect(isUnicodeEmoji(emoji), emoji).toBe(true);
  });

  it('refuses text, several emoji and custom emoji', () => {
    for (const value of ['', 'a', 'ok', '👍👍', 'blob:123456789012345678', '<:blob:123>']) expect(isUnicodeEmoji(value), value).toBe(false);
  });
});

describe('PUT /reactions/:emoji/@me', () => {
  it('adds a reaction once, publishes MESSAGE_REACTION_ADD, and shows counts with me', async () => {
    const { channelId, message } = await freshMessage();
    expect((await react(world.member, channelId, message.id, THUMBS)).status).toBe(204);
    expect((await react(world.member, channelId, message.id, THUMBS)).status).toBe(204);
    await react(world.owner, channelId, message.id, THUMBS);
    await react(world.owner, channelId, message.id, FLAG);
    const added = eventsOf(world.events, 'MESSAGE_REACTION_ADD').filter((e) => e.d.message_id === message.id);
    expect(added).toHaveLength(3);
    expect(added[0]?.d).toMatchObject({
      user_id: world.member.id, channel_id: channelId, guild_id: world.guild.guild.id, emoji: { id: null, name: THUMBS },
      message_author_id: world.owner.id, burst: false, type: 0, member: { user: { id: world.member.id } },
    });
    const seenByMember = (await getMessage(world.member, channelId, message.id)).body;
    expect(seenByMember.reactions).toEqual([
      { count: 2, count_details: { burst: 0, normal: 2 }, me: true, me_burst: false, burst_colors: [], emoji: { id: null, name: THUMBS } },
      { count: 1, count_details: { burst: 0, normal: 1 }, me: false, me_burst: false, burst_colors: [], emoji: { id: null, name: FLAG } },
    ]);
    const listed = await api<Message[]>(world.url, 'GET', `/channels/${channelId}/messages`, { token: world.outsider.token });
    expect(listed.status).toBe(404);
  });

  it('refuses custom and invalid emoji with 10014', async () => {
    const { channelId, message } = await freshMessage();
    for (const emoji of ['blob:123456789012345678', 'hello']) {
      const response = await react(world.member, channelId, message.id, emoji);
      expect(response.status).toBe(400);
      expect((response.body as ErrorBody).code).toBe(10014);
    }
  });

  it('needs ADD_REACTIONS for a new emoji but not to join an existing one', async () => {
    const { channelId, message } = await freshMessage();
    await setOverwrite(world.url, world.owner, channelId, world.member.id, 1, { deny: Permission.ADD_REACTIONS });
    const denied = await react(world.member, channelId, message.id, THUMBS);
    expect(denied.status).toBe(403);
    expect((denied.body as ErrorBody).code).toBe(50013);
    await react(world.owner, channelId, message.id, THUMBS);
    expect((await react(world.member, channelId, message.id, THUMBS)).status).toBe(204);
  });

  it('answers 10008 for an unknown message and 10003 for non-members', async () => {
    const { channelId, message } = await freshMessage();
    const unknown = await react(world.member, channelId, '123456789012345678', THUMBS);
    expect((unknown.body as ErrorBody).code).toBe(10008);
    const outsider = await react(world.outsider, channelId, message.id, THUMBS);
    expect((outsider.body as ErrorBody).code).toBe(10003);
  });

  it('allows at most 20 distinct emoji on a message', async () => {
    const { channelId, message } = await freshMessage();
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
    for (const e of emoji) expect((await react(world.owner, channelId, message.id, e)).status).toBe(204);
    const over = await react(world.owner, channelId, message.id, '🤩');
    expect((over.body as ErrorBody).code).toBe(30010);
  });
});

describe('removing reactions', () => {
  it('removes own reaction with DELETE @me and publishes MESSAGE_REACTION_REMOVE', async () => {
    const { channelId, message } = await freshMessage();
    await react(world.member, channelId, message.id, THUMBS);
    const response = await api(world.url, 'DELETE', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}/@me`), { token: world.member.token });
    expect(response.status).toBe(204);
    expect((await getMessage(world.member, channelId, message.id)).body.reactions).toBeUndefined();
    const [removed] = eventsOf(world.events, 'MESSAGE_REACTION_REMOVE').filter((e) => e.d.message_id === message.id);
    expect(removed?.d).toMatchObject({ user_id: world.member.id, emoji: { id: null, name: THUMBS } });
  });

  it("removes another user's reaction only with MANAGE_MESSAGES", async () => {
    const { channelId, message } = await freshMessage();
    await react(world.owner, channelId, message.id, THUMBS);
    await react(world.member, channelId, message.id, THUMBS);
    const denied = await api(world.url, 'DELETE', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}/${world.owner.id}`), { token: world.member.token });
    expect((denied.body as ErrorBody).code).toBe(50013);
    const allowed = await api(world.url, 'DELETE', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}/${world.member.id}`), { token: world.owner.token });
    expect(allowed.status).toBe(204);
    expect((await getMessage(world.owner, channelId, message.id)).body.reactions?.[0]).toMatchObject({ count: 1, me: true });
  });

  it('removes all of one emoji, or all reactions, with MANAGE_MESSAGES', async () => {
    const { channelId, message } = await freshMessage();
    await react(world.member, channelId, message.id, THUMBS);
    await react(world.member, channelId, message.id, FLAG);
    const denied = await api(world.url, 'DELETE', path(channelId, message.id), { token: world.member.token });
    expect((denied.body as ErrorBody).code).toBe(50013);
    expect((await api(world.url, 'DELETE', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}`), { token: world.owner.token })).status).toBe(204);
    expect((await getMessage(world.owner, channelId, message.id)).body.reactions?.map((r) => r.emoji.name)).toEqual([FLAG]);
    expect(eventsOf(world.events, 'MESSAGE_REACTION_REMOVE_EMOJI').find((e) => e.d.message_id === message.id)?.d.emoji).toEqual({ id: null, name: THUMBS });
    expect((await api(world.url, 'DELETE', path(channelId, message.id), { token: world.owner.token })).status).toBe(204);
    expect((await getMessage(world.owner, channelId, message.id)).body.reactions).toBeUndefined();
    expect(eventsOf(world.events, 'MESSAGE_REACTION_REMOVE_ALL').some((e) => e.d.message_id === message.id)).toBe(true);
  });
});

describe('GET /reactions/:emoji', () => {
  it('lists the users who reacted, paged by user ID', async () => {
    const { channelId, message } = await freshMessage();
    await react(world.member, channelId, message.id, THUMBS);
    await react(world.owner, channelId, message.id, THUMBS);
    const ids = [world.owner.id, world.member.id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const all = await api<User[]>(world.url, 'GET', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}`), { token: world.member.token });
    expect(all.body.map((u) => u.id)).toEqual(ids);
    const page = await api<User[]>(world.url, 'GET', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}?limit=1&after=${ids[0]}`), { token: world.member.token });
    expect(page.body.map((u) => u.id)).toEqual([ids[1]]);
    const bad = await api(world.url, 'GET', path(channelId, message.id, `/${encodeURIComponent(THUMBS)}?limit=101`), { token: world.member.token });
    expect((bad.body as ErrorBody).code).toBe(50035);
  });
});
