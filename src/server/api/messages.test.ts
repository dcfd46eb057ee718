import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { Message, Role } from '../../shared/protocol/entities.js';
import { snowflakeFromTimestamp, snowflakeTimestamp } from '../../shared/snowflake.js';
import { api } from '../test-support/api.js';
import { eventsOf, postMessage, sendMessage, setOverwrite, startMessageWorld, type MessageWorld } from '../test-support/messages.js';

let world: MessageWorld;
beforeAll(async () => {
  world = await startMessageWorld();
});
afterAll(async () => {
  await world.close();
});

const store = () => world.server.server.context.store;

describe('POST /channels/:id/messages', () => {
  it('stores the message, echoes the nonce and publishes MESSAGE_CREATE with guild_id and member', async () => {
    const channel = await world.newChannel();
    const response = await postMessage(world.url, world.member, channel.id, { content: 'hello there', nonce: '12345' });
    expect(response.status).toBe(200);
    const message = response.body;
    expect(message).toMatchObject({
      channel_id: channel.id,
      guild_id: world.guild.guild.id,
      content: 'hello there',
      nonce: '12345',
      type: 0,
      tts: false,
      edited_timestamp: null,
      mention_everyone: false,
      mentions: [],
      attachments: [],
      author: { id: world.member.id, username: world.member.username },
    });
    expect(Date.parse(message.timestamp)).toBe(snowflakeTimestamp(message.id));
    expect(await store().getMessage(channel.id, message.id)).toMatchObject({ content: 'hello there', authorId: world.member.id });
    const [event] = eventsOf(world.events, 'MESSAGE_CREATE').filter((e) => e.d.id === message.id);
    expect(event?.audience).toEqual({ kind: 'channel', guildId: world.guild.guild.id, channelId: channel.id });
    expect(event?.d).toMatchObject({ guild_id: world.guild.guild.id, nonce: '12345', member: { roles: [] } });
    expect(event?.d.member).not.toHaveProperty('user');
  });

  it('marks the channel read for its author', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.member, channel.id, 'read by me');
    expect(await store().getReadState(world.member.id, channel.id)).toMatchObject({ lastMessageId: message.id, mentionCount: 0 });
  });

  it('returns the earlier message for a repeated nonce with enforce_nonce', async () => {
    const channel = await world.newChannel();
    const first = await sendMessage(world.url, world.member, channel.id, 'once', { nonce: 'abc', enforce_nonce: true });
    const again = await sendMessage(world.url, world.member, channel.id, 'once', { nonce: 'abc', enforce_nonce: true });
    expect(again.id).toBe(first.id);
    const withoutEnforce = await sendMessage(world.url, world.member, channel.id, 'once', { nonce: 'abc' });
    expect(withoutEnforce.id).not.toBe(first.id);
    expect(await store().listMessages(channel.id, { limit: 10 })).toHaveLength(2);
    expect(eventsOf(world.events, 'MESSAGE_CREATE').filter((e) => e.d.channel_id === channel.id)).toHaveLength(2);
  });

  it('makes one message of two identical enforce_nonce sends arriving together', async () => {
    const channel = await world.newChannel();
    // With a file, so the sends interleave on disk I/O before either is stored.
    const send = async () => {
      const form = new FormData();
      form.append('files[0]', new Blob(['same file']), 'same.txt');
      form.append('payload_json', JSON.stringify({ content: 'twice?', nonce: 'same-send', enforce_nonce: true }));
      const response = await fetch(`${world.url}/api/v10/channels/${channel.id}/messages`, { method: 'POST', headers: { authorization: world.member.token }, body: form });
      return { status: response.status, body: (await response.json()) as Message };
    };
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).toBe(b.body.id);
    expect(await store().listMessages(channel.id, { limit: 10 })).toHaveLength(1);
  });

  it('refuses content over 2000 characters with a field error', async () => {
    const channel = await world.newChannel();
    const response = await postMessage(world.url, world.member, channel.id, { content: 'x'.repeat(2001) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    expect(await store().listMessages(channel.id, { limit: 10 })).toEqual([]);
  });

  it('refuses an empty message with 50006', async () => {
    const channel = await world.newChannel();
    for (const body of [{}, { content: '' }, { content: '   ' }]) {
      const response = await postMessage(world.url, world.member, channel.id, body);
      expect(response.status).toBe(400);
      expect((response.body as unknown as ErrorBody).code).toBe(50006);
    }
  });

  it('accepts embeds alone and stores them', async () => {
    const channel = await world.newChannel();
    const embed = { title: 'Build passed', description: 'All green', color: 0x00ff00, fields: [{ name: 'Time', value: '3 s', inline: true }] };
    const message = await sendMessage(world.url, world.owner, channel.id, '', { embeds: [embed] });
    expect(message.embeds).toEqual([embed]);
    const fetched = await api<Message>(world.url, 'GET', `/channels/${channel.id}/messages/${message.id}`, { token: world.member.token });
    expect(fetched.body.embeds).toEqual([embed]);
  });

  it('refuses a malformed embed with a nested field error', async () => {
    const channel = await world.newChannel();
    const response = await postMessage(world.url, world.owner, channel.id, { embeds: [{ title: 't'.repeat(257) }] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 50035, errors: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
  });

  it('refuses a member denied SEND_MESSAGES by an overwrite with 50013', async () => {
    const channel = await world.newChannel();
    await setOverwrite(world.url, world.owner, channel.id, world.member.id, 1, { deny: Permission.SEND_MESSAGES });
    const response = await postMessage(world.url, world.member, channel.id, { content: 'let me in' });
    expect(response.status).toBe(403);
    expect((response.body as unknown as ErrorBody).code).toBe(50013);
  });

  it('answers 50001 Missing Access when the member cannot view the channel', async () => {
    const channel = await world.newChannel();
    await setOverwrite(world.url, world.owner, channel.id, world.guild.guild.id, 0, { deny: Permission.VIEW_CHANNEL });
    const response = await postMessage(world.url, world.member, channel.id, { content: 'hidden' });
    expect(response.status).toBe(403);
    expect((response.body as unknown as ErrorBody).code).toBe(50001);
  });

  it('answers 10003 Unknown Channel to non-members and for missing channels', async () => {
    const outsider = await postMessage(world.url, world.outsider, world.guild.general.id, { content: 'hi' });
    expect(outsider.status).toBe(404);
    expect((outsider.body as unknown as ErrorBody).code).toBe(10003);
    const missing = await postMessage(world.url, world.member, '999999999999999999', { content: 'hi' });
    expect((missing.body as unknown as ErrorBody).code).toBe(10003);
  });

  it('refuses messages in a category with 50008', async () => {
    const category = world.guild.channels.find((c) => c.type === 4)!;
    const response = await postMessage(world.url, world.owner, category.id, { content: 'hi' });
    expect(response.status).toBe(400);
    expect((response.body as unknown as ErrorBody).code).toBe(50008);
  });

  it('requires a token', async () => {
    const response = await api(world.url, 'POST', `/channels/${world.guild.general.id}/messages`, { body: { content: 'hi' } });
    expect(response.status).toBe(401);
  });
});

describe('replies', () => {
  it('makes a type 19 message with message_reference and referenced_message, mentioning the replied author', async () => {
    const channel = await world.newChannel();
    const original = await sendMessage(world.url, world.owner, channel.id, 'question?');
    const reply = await sendMessage(world.url, world.member, channel.id, 'answer', { message_reference: { message_id: original.id } });
    expect(reply.type).toBe(19);
    expect(reply.message_reference).toEqual({ type: 0, message_id: original.id, channel_id: channel.id, guild_id: world.guild.guild.id });
    expect(reply.referenced_message).toMatchObject({ id: original.id, content: 'question?', author: { id: world.owner.id } });
    expect(reply.mentions.map((u) => u.id)).toEqual([world.owner.id]);
    expect((await store().getReadState(world.owner.id, channel.id))?.mentionCount).toBe(1);
  });

  it('does not mention the replied author when allowed_mentions.replied_user is false', async () => {
    const channel = await world.newChannel();
    const original = await sendMessage(world.url, world.owner, channel.id, 'question?');
    const reply = await sendMessage(world.url, world.member, channel.id, 'quiet answer', {
      message_reference: { message_id: original.id },
      allowed_mentions: { parse: [], replied_user: false },
    });
    expect(reply.mentions).toEqual([]);
  });

  it('refuses a reply to an unknown message unless fail_if_not_exists is false', async () => {
    const channel = await world.newChannel();
    const refused = await postMessage(world.url, world.member, channel.id, { content: 'x', message_reference: { message_id: '123456789012345678' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 50035, errors: { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE' }] } } });
    const sent = await sendMessage(world.url, world.member, channel.id, 'x', { message_reference: { message_id: '123456789012345678', fail_if_not_exists: false } });
    expect(sent.type).toBe(0);
    expect(sent.message_reference).toBeUndefined();
  });

  it('shows referenced_message as null once the original is deleted', async () => {
    const channel = await world.newChannel();
    const original = await sendMessage(world.url, world.owner, channel.id, 'soon gone');
    const reply = await sendMessage(world.url, world.member, channel.id, 'reply', { message_reference: { message_id: original.id } });
    await api(world.url, 'DELETE', `/channels/${channel.id}/messages/${original.id}`, { token: world.owner.token });
    const fetched = await api<Message>(world.url, 'GET', `/channels/${channel.id}/messages/${reply.id}`, { token: world.member.token });
    expect(fetched.body.referenced_message).toBeNull();
  });
});

describe('mentions', () => {
  it('parses <@id> and <@!id> of members into mentions and counts them in read states', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.owner, channel.id, `hi <@${world.member.id}> and <@!${world.member.id}> and <@${world.outsider.id}>`);
    expect(message.mentions.map((u) => u.id)).toEqual([world.member.id]);
    expect(message.mentions[0]).toMatchObject({ username: world.member.username });
    expect((await store().getReadState(world.member.id, channel.id))?.mentionCount).toBe(1);
    expect(await store().getReadState(world.outsider.id, channel.id)).toBeUndefined();
  });

  it('honours allowed_mentions', async () => {
    const channel = await world.newChannel();
    const none = await sendMessage(world.url, world.owner, channel.id, `<@${world.member.id}> @everyone`, { allowed_mentions: { parse: [] } });
    expect(none).toMatchObject({ mentions: [], mention_everyone: false });
    const listed = await sendMessage(world.url, world.owner, channel.id, `<@${world.member.id}>`, { allowed_mentions: { users: [world.member.id] } });
    expect(listed.mentions.map((u) => u.id)).toEqual([world.member.id]);
    const invalid = await postMessage(world.url, world.owner, channel.id, { content: 'x', allowed_mentions: { parse: ['users'], users: [world.member.id] } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as unknown as ErrorBody).code).toBe(50035);
  });

  it('sets mention_everyone only with MENTION_EVERYONE, and counts it for everyone who can see the channel', async () => {
    const channel = await world.newChannel();
    const allowed = await sendMessage(world.url, world.owner, channel.id, '@everyone meeting now');
    expect(allowed.mention_everyone).toBe(true);
    expect((await store().getReadState(world.member.id, channel.id))?.mentionCount).toBe(1);
    await setOverwrite(world.url, world.owner, channel.id, world.member.id, 1, { deny: Permission.MENTION_EVERYONE });
    const denied = await sendMessage(world.url, world.member, channel.id, '@here anyone?');
    expect(denied.mention_everyone).toBe(false);
    expect((await store().getReadState(world.owner.id, channel.id))?.mentionCount ?? 0).toBe(0);
  });

  it('mentions mentionable roles, and others only with MENTION_EVERYONE', async () => {
    const channel = await world.newChannel();
    const create = (name: string, mentionable: boolean) =>
      api<Role>(world.url, 'POST', `/guilds/${world.guild.guild.id}/roles`, { token: world.owner.token, body: { name, mentionable } });
    const open = (await create('open', true)).body;
    const closed = (await create('closed', false)).body;
    await api(world.url, 'PUT', `/guilds/${world.guild.guild.id}/members/${world.owner.id}/roles/${open.id}`, { token: world.owner.token });
    await setOverwrite(world.url, world.owner, channel.id, world.member.id, 1, { deny: Permission.MENTION_EVERYONE });
    const byMember = await sendMessage(world.url, world.member, channel.id, `<@&${open.id}> <@&${closed.id}> <@&999999999999999999>`);
    expect(byMember.mention_roles).toEqual([open.id]);
    expect((await store().getReadState(world.owner.id, channel.id))?.mentionCount).toBe(1);
    const byOwner = await sendMessage(world.url, world.owner, channel.id, `<@&${open.id}> <@&${closed.id}>`);
    expect(byOwner.mention_roles).toEqual([open.id, closed.id]);
  });
});

describe('GET /channels/:id/messages', () => {
  let channelId: string;
  let sent: Message[];
  beforeAll(async () => {
    channelId = (await world.newChannel('history')).id;
    sent = [];
    for (let i = 0; i < 12; i++) sent.push(await sendMessage(world.url, world.owner, channelId, `m${i}`));
  });
  const list = (query: string, token = world.member.token) => api<Message[]>(world.url, 'GET', `/channels/${channelId}/messages${query}`, { token });
  const contents = (messages: Message[]) => messages.map((m) => m.content);

  it('returns the newest first, 50 by default', async () => {
    const response = await list('');
    expect(response.status).toBe(200);
    expect(contents(response.body)).toEqual(sent.map((m) => m.content).reverse());
  });

  it('returns 50 by default and at most the limit asked, up to 100', async () => {
    const channel = await world.newChannel('long-history');
    const ids = Array.from({ length: 120 }, () => world.server.server.context.ids.next());
    for (const [i, id] of ids.entries()) {
      await store().createMessage({
        id, channelId: channel.id, guildId: world.guild.guild.id, authorId: world.owner.id, type: 0, content: `n${i}`,
        editedAt: null, nonce: null, flags: 0, pinned: false, tts: false, mentionEveryone: false,
        mentionIds: [], mentionRoleIds: [], attachments: [], embeds: [], referenceMessageId: null,
      });
    }
    const page = async (query: string) => (await api<Message[]>(world.url, 'GET', `/channels/${channel.id}/messages${query}`, { token: world.member.token })).body.map((m) => m.id);
    expect(await page('')).toEqual(ids.slice(-50).reverse());
    expect(await page('?limit=100')).toEqual(ids.slice(-100).reverse());
    expect(await page('?limit=1')).toEqual([ids[119]]);
    expect(await page(`?before=${ids[10]!}&limit=100`)).toEqual(ids.slice(0, 10).reverse());
  });

  it('pages with before, after and around', async () => {
    expect(contents((await list(`?before=${sent[5]!.id}&limit=3`)).body)).toEqual(['m4', 'm3', 'm2']);
    expect(contents((await list(`?after=${sent[5]!.id}&limit=3`)).body)).toEqual(['m8', 'm7', 'm6']);
    expect(contents((await list(`?around=${sent[5]!.id}&limit=5`)).body)).toEqual(['m7', 'm6', 'm5', 'm4', 'm3']);
  });

  it('refuses limits outside 1–100 and several anchors at once', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', `?before=${sent[1]!.id}&after=${sent[0]!.id}`, '?before=notanid']) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
      expect((response.body as unknown as ErrorBody).code).toBe(50035);
    }
  });

  it('returns nothing without READ_MESSAGE_HISTORY, as Discord', async () => {
    const channel = await world.newChannel();
    await sendMessage(world.url, world.owner, channel.id, 'secret past');
    await setOverwrite(world.url, world.owner, channel.id, world.member.id, 1, { deny: Permission.READ_MESSAGE_HISTORY });
    const response = await api<Message[]>(world.url, 'GET', `/channels/${channel.id}/messages`, { token: world.member.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it('gets one message, and 10008 for an unknown one', async () => {
    const one = await api<Message>(world.url, 'GET', `/channels/${channelId}/messages/${sent[3]!.id}`, { token: world.member.token });
    expect(one.body).toMatchObject({ id: sent[3]!.id, content: 'm3' });
    const unknown = await api(world.url, 'GET', `/channels/${channelId}/messages/123456789012345678`, { token: world.member.token });
    expect(unknown.status).toBe(404);
    expect((unknown.body as ErrorBody).code).toBe(10008);
  });

  it('answers 10003 to a non-member', async () => {
    const response = await list('', world.outsider.token);
    expect(response.status).toBe(404);
    expect((response.body as unknown as ErrorBody).code).toBe(10003);
  });
});

describe('PATCH /channels/:id/messages/:id', () => {
  it('edits own content, sets edited_timestamp, re-parses mentions and publishes MESSAGE_UPDATE', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.member, channel.id, 'frist');
    const response = await api<Message>(world.url, 'PATCH', `/channels/${channel.id}/messages/${message.id}`, {
      token: world.member.token,
      body: { content: `first, <@${world.owner.id}>` },
    });
    expect(response.status).toBe(200);
    expect(response.body.content).toBe(`first, <@${world.owner.id}>`);
    expect(response.body.edited_timestamp).not.toBeNull();
    expect(response.body.mentions.map((u) => u.id)).toEqual([world.owner.id]);
    const [event] = eventsOf(world.events, 'MESSAGE_UPDATE').filter((e) => e.d.id === message.id);
    expect(event?.d).toMatchObject({ content: `first, <@${world.owner.id}>`, guild_id: world.guild.guild.id, member: { roles: [] } });
  });

  it("refuses to edit another member's message with 50005", async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.owner, channel.id, 'mine');
    const response = await api(world.url, 'PATCH', `/channels/${channel.id}/messages/${message.id}`, { token: world.member.token, body: { content: 'yours' } });
    expect(response.status).toBe(403);
    expect((response.body as ErrorBody).code).toBe(50005);
    expect((await store().getMessage(channel.id, message.id))?.content).toBe('mine');
  });

  it('lets MANAGE_MESSAGES suppress the embeds of another member, and nothing else', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.member, channel.id, 'see https://example.org', { embeds: [{ title: 'card' }] });
    const flagsPath = `/channels/${channel.id}/messages/${message.id}`;
    const suppressed = await api<Message>(world.url, 'PATCH', flagsPath, { token: world.owner.token, body: { flags: 4 } });
    expect(suppressed.status).toBe(200);
    expect(suppressed.body).toMatchObject({ flags: 4, edited_timestamp: null, content: 'see https://example.org' });
    const byMember = await api(world.url, 'PATCH', `/channels/${channel.id}/messages/${(await sendMessage(world.url, world.owner, channel.id, 'x')).id}`, {
      token: world.member.token, body: { flags: 4 },
    });
    expect((byMember.body as ErrorBody).code).toBe(50013);
  });

  it('validates the edit and answers 10008 for unknown messages', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.member, channel.id, 'keep me');
    const tooLong = await api(world.url, 'PATCH', `/channels/${channel.id}/messages/${message.id}`, { token: world.member.token, body: { content: 'y'.repeat(2001) } });
    expect((tooLong.body as ErrorBody).code).toBe(50035);
    const emptied = await api(world.url, 'PATCH', `/channels/${channel.id}/messages/${message.id}`, { token: world.member.token, body: { content: '' } });
    expect((emptied.body as ErrorBody).code).toBe(50006);
    expect((await store().getMessage(channel.id, message.id))?.content).toBe('keep me');
    const unknown = await api(world.url, 'PATCH', `/channels/${channel.id}/messages/123456789012345678`, { token: world.member.token, body: { content: 'x' } });
    expect((unknown.body as ErrorBody).code).toBe(10008);
  });
});

describe('DELETE /channels/:id/messages/:id', () => {
  it('deletes own messages and publishes MESSAGE_DELETE', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.member, channel.id, 'oops');
    const response = await api(world.url, 'DELETE', `/channels/${channel.id}/messages/${message.id}`, { token: world.member.token });
    expect(response.status).toBe(204);
    expect(await store().getMessage(channel.id, message.id)).toBeUndefined();
    const [event] = eventsOf(world.events, 'MESSAGE_DELETE').filter((e) => e.d.id === message.id);
    expect(event?.d).toEqual({ id: message.id, channel_id: channel.id, guild_id: world.guild.guild.id });
  });

  it("needs MANAGE_MESSAGES for another member's message", async () => {
    const channel = await world.newChannel();
    const byOwner = await sendMessage(world.url, world.owner, channel.id, 'owner says');
    const denied = await api(world.url, 'DELETE', `/channels/${channel.id}/messages/${byOwner.id}`, { token: world.member.token });
    expect(denied.status).toBe(403);
    expect((denied.body as ErrorBody).code).toBe(50013);
    const byMember = await sendMessage(world.url, world.member, channel.id, 'member says');
    const moderated = await api(world.url, 'DELETE', `/channels/${channel.id}/messages/${byMember.id}`, { token: world.owner.token });
    expect(moderated.status).toBe(204);
    const gone = await api(world.url, 'DELETE', `/channels/${channel.id}/messages/${byMember.id}`, { token: world.owner.token });
    expect((gone.body as ErrorBody).code).toBe(10008);
  });
});

describe('POST /channels/:id/messages/bulk-delete', () => {
  const bulkDelete = (token: string, channelId: string, messages: unknown) =>
    api(world.url, 'POST', `/channels/${channelId}/messages/bulk-delete`, { token, body: { messages } });

  it('deletes the given messages with MANAGE_MESSAGES, skipping unknown IDs, in one MESSAGE_DELETE_BULK', async () => {
    const channel = await world.newChannel();
    const [a, b, c] = [await sendMessage(world.url, world.member, channel.id, 'a'), await sendMessage(world.url, world.member, channel.id, 'b'), await sendMessage(world.url, world.member, channel.id, 'c')];
    const response = await bulkDelete(world.owner.token, channel.id, [a.id, c.id, '1576000000000000000']);
    expect(response.status).toBe(204);
    expect((await store().listMessages(channel.id, { limit: 10 })).map((m) => m.id)).toEqual([b.id]);
    const [event] = eventsOf(world.events, 'MESSAGE_DELETE_BULK').filter((e) => e.d.channel_id === channel.id);
    expect(new Set(event?.d.ids)).toEqual(new Set([a.id, c.id]));
  });

  it('refuses members without MANAGE_MESSAGES, fewer than 2 IDs, and messages over 14 days old', async () => {
    const channel = await world.newChannel();
    const [a, b] = [await sendMessage(world.url, world.member, channel.id, 'a'), await sendMessage(world.url, world.member, channel.id, 'b')];
    expect(((await bulkDelete(world.member.token, channel.id, [a.id, b.id])).body as ErrorBody).code).toBe(50013);
    expect(((await bulkDelete(world.owner.token, channel.id, [a.id])).body as ErrorBody).code).toBe(50035);
    const old = snowflakeFromTimestamp(Date.now() - 15 * 24 * 3600_000);
    expect(((await bulkDelete(world.owner.token, channel.id, [a.id, old])).body as ErrorBody).code).toBe(50034);
    expect(await store().listMessages(channel.id, { limit: 10 })).toHaveLength(2);
  });
});

describe('POST /channels/:id/typing', () => {
  it('answers 204 and publishes TYPING_START with seconds and the member', async () => {
    const channel = await world.newChannel();
    const before = Math.floor(Date.now() / 1000);
    const response = await api(world.url, 'POST', `/channels/${channel.id}/typing`, { token: world.member.token });
    expect(response.status).toBe(204);
    const [event] = eventsOf(world.events, 'TYPING_START').filter((e) => e.d.channel_id === channel.id);
    expect(event?.d).toMatchObject({ user_id: world.member.id, guild_id: world.guild.guild.id, member: { user: { id: world.member.id } } });
    expect(event!.d.timestamp).toBeGreaterThanOrEqual(before);
    expect(event!.d.timestamp).toBeLessThan(before + 60);
    expect(event?.audience).toEqual({ kind: 'channel', guildId: world.guild.guild.id, channelId: channel.id });
  });

  it('is refused without SEND_MESSAGES', async () => {
    const channel = await world.newChannel();
    await setOverwrite(world.url, world.owner, channel.id, world.member.id, 1, { deny: Permission.SEND_MESSAGES });
    const response = await api(world.url, 'POST', `/channels/${channel.id}/typing`, { token: world.member.token });
    expect(response.status).toBe(403);
  });
});

describe('POST /channels/:id/messages/:id/ack', () => {
  it('marks the channel read and tells only the user', async () => {
    const channel = await world.newChannel();
    await sendMessage(world.url, world.owner, channel.id, `<@${world.member.id}> look`);
    const latest = await sendMessage(world.url, world.owner, channel.id, 'and this');
    expect((await store().getReadState(world.member.id, channel.id))?.mentionCount).toBe(1);
    const response = await api(world.url, 'POST', `/channels/${channel.id}/messages/${latest.id}/ack`, { token: world.member.token, body: { token: null } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ token: null });
    expect(await store().getReadState(world.member.id, channel.id)).toMatchObject({ lastMessageId: latest.id, mentionCount: 0 });
    const [event] = eventsOf(world.events, 'MESSAGE_ACK').filter((e) => e.d.channel_id === channel.id);
    expect(event).toEqual({ t: 'MESSAGE_ACK', d: { channel_id: channel.id, message_id: latest.id, mention_count: 0 }, audience: { kind: 'users', userIds: [world.member.id] } });
  });

  it('keeps counting mentions that arrived after the acked message', async () => {
    const channel = await world.newChannel();
    const seen = await sendMessage(world.url, world.owner, channel.id, `<@${world.member.id}> first`);
    const unseen = await sendMessage(world.url, world.owner, channel.id, `<@${world.member.id}> second`);
    await sendMessage(world.url, world.owner, channel.id, 'no mention');
    const ack = (id: string) => api(world.url, 'POST', `/channels/${channel.id}/messages/${id}/ack`, { token: world.member.token, body: {} });
    await ack(seen.id);
    expect(await store().getReadState(world.member.id, channel.id)).toMatchObject({ lastMessageId: seen.id, mentionCount: 1 });
    await ack(unseen.id);
    expect(await store().getReadState(world.member.id, channel.id)).toMatchObject({ lastMessageId: unseen.id, mentionCount: 0 });
  });

  it('ignores a late ack of an older message', async () => {
    const channel = await world.newChannel();
    const older = await sendMessage(world.url, world.owner, channel.id, 'older');
    const newer = await sendMessage(world.url, world.owner, channel.id, 'newer');
    await api(world.url, 'POST', `/channels/${channel.id}/messages/${newer.id}/ack`, { token: world.member.token, body: {} });
    const before = eventsOf(world.events, 'MESSAGE_ACK').length;
    const late = await api(world.url, 'POST', `/channels/${channel.id}/messages/${older.id}/ack`, { token: world.member.token, body: {} });
    expect(late.status).toBe(200);
    expect(await store().getReadState(world.member.id, channel.id)).toMatchObject({ lastMessageId: newer.id, mentionCount: 0 });
    expect(eventsOf(world.events, 'MESSAGE_ACK')).toHaveLength(before);
  });

  it('marks unread from a message with manual and mention_count', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.owner, channel.id, 'remind me');
    await api(world.url, 'POST', `/channels/${channel.id}/messages/${message.id}/ack`, { token: world.member.token, body: { manual: true, mention_count: 2 } });
    expect(await store().getReadState(world.member.id, channel.id)).toMatchObject({ lastMessageId: message.id, mentionCount: 2 });
  });

  it('answers 10008 for an unknown message and 50035 for a bad body', async () => {
    const channel = await world.newChannel();
    const message = await sendMessage(world.url, world.owner, channel.id, 'x');
    const unknown = await api(world.url, 'POST', `/channels/${channel.id}/messages/123456789012345678/ack`, { token: world.member.token, body: {} });
    expect((unknown.body as ErrorBody).code).toBe(10008);
    const bad = await api(world.url, 'POST', `/channels/${channel.id}/messages/${message.id}/ack`, { token: world.member.token, body: { manual: 'yes' } });
    expect((bad.body as ErrorBody).code).toBe(50035);
  });
});
