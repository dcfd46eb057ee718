import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission } from '../../shared/permissions.js';
import type { ErrorBody } from '../../shared/errors.js';
import type { Message } from '../../shared/protocol/entities.js';
import type { RefreshAttachmentUrlsResponse } from '../../shared/protocol/rest.js';
import { api, createGuild } from '../test-support/api.js';
import { eventsOf, sendMessage, setOverwrite, startMessageWorld, type MessageWorld } from '../test-support/messages.js';
import { startTestServer } from '../test-support/server.js';
import { png, upload } from '../test-support/uploads.js';
import { GUESSES_PER_MINUTE, attachmentType, sanitizeFilename } from './attachment-files.js';
import { AttachmentUrlSigner } from './attachment-urls.js';

const channelUploads = (dataDir: string, channelId: string) => {
  const dir = path.join(dataDir, 'attachments', channelId);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

let world: MessageWorld;
beforeAll(async () => {
  world = await startMessageWorld();
});
afterAll(async () => {
  await world.close();
});

describe('sanitizeFilename and attachmentType', () => {
  it('keeps safe names and replaces everything else', () => {
    expect(sanitizeFilename('photo.png')).toBe('photo.png');
    expect(sanitizeFilename('my report (final).pdf')).toBe('my_report__final_.pdf');
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('café.txt')).toBe('cafe.txt');
    expect(sanitizeFilename('日本語.png')).toBe('unknown.png');
    expect(sanitizeFilename('.env')).toBe('env');
  });

  it('shows verified images and harmless media inline, and downloads everything else', () => {
    expect(attachmentType('a.png', png(1, 1))).toEqual({ contentType: 'image/png', inline: true, image: true });
    expect(attachmentType('a.jpg', png(1, 1))).toMatchObject({ contentType: 'application/octet-stream', inline: false });
    expect(attachmentType('a.txt', Buffer.from('hello'))).toEqual({ contentType: 'text/plain; charset=utf-8', inline: true, image: false });
    expect(attachmentType('a.html', Buffer.from('<script>'))).toEqual({ contentType: 'text/html', inline: false, image: false });
    expect(attachmentType('a.svg', Buffer.from('<svg'))).toMatchObject({ inline: false });
  });
});

describe('uploading attachments', () => {
  it('stores files with payload_json metadata, measures images and serves them back', async () => {
    const channel = await world.newChannel();
    const image = png(3, 2);
    const response = await upload(world.url, world.member, channel.id, [{ name: 'dot.png', data: image, type: 'image/png' }, { name: 'notes.txt', data: Buffer.from('hi\n') }], {
      content: 'look',
      nonce: 'up-1',
      attachments: [{ id: 0, description: 'a grey dot' }, { id: 1, filename: 'renamed notes.txt' }],
    });
    expect(response.status).toBe(200);
    const [picture, notes] = response.body.attachments;
    expect(response.body).toMatchObject({ content: 'look', nonce: 'up-1' });
    expect(picture).toMatchObject({ filename: 'dot.png', size: image.length, content_type: 'image/png', width: 3, height: 2, description: 'a grey dot' });
    expect(picture!.url).toMatch(new RegExp(`^${world.url}/attachments/${channel.id}/${picture!.id}/dot\\.png\\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}&$`));
    expect(picture!.proxy_url).toBe(picture!.url);
    expect(notes).toMatchObject({ filename: 'renamed_notes.txt', size: 3, content_type: 'text/plain; charset=utf-8' });
    expect(notes).not.toHaveProperty('width');
    expect(fs.readFileSync(path.join(world.server.dataDir, 'attachments', channel.id, picture!.id, 'dot.png'))).toEqual(image);

    const served = await fetch(picture!.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toBe('inline; filename="dot.png"');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(image);
  });

  it('sends unsafe types as downloads', async () => {
    const channel = await world.newChannel();
    const response = await upload(world.url, world.member, channel.id, [{ name: 'page.html', data: Buffer.from('<script>alert(1)</script>'), type: 'text/html' }], {});
    expect(response.status).toBe(200);
    const served = await fetch(response.body.attachments[0]!.url);
    expect(served.headers.get('content-disposition')).toBe('attachment; filename="page.html"');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('serves byte ranges', async () => {
    const channel = await world.newChannel();
    const response = await upload(world.url, world.member, channel.id, [{ name: 'clip.txt', data: Buffer.from('0123456789') }], {});
    const served = await fetch(response.body.attachments[0]!.url, { headers: { range: 'bytes=2-5' } });
    expect(served.status).toBe(206);
    expect(served.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await served.text()).toBe('2345');
  });

  it('refuses more than 25 MiB per request with 413 and leaves nothing behind', async () => {
    const channel = await world.newChannel();
    const part = new Uint8Array(13 * 1024 * 1024);
    const response = await upload(world.url, world.member, channel.id, [{ name: 'a.bin', data: part }, { name: 'b.bin', data: part }], { content: 'big' });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe(40005);
    expect(await world.server.server.context.store.listMessages(channel.id, { limit: 10 })).toEqual([]);
    expect(channelUploads(world.server.dataDir, channel.id)).toEqual([]);
  });

  it('refuses files without ATTACH_FILES', async () => {
    const channel = await world.newChannel();
    await setOverwrite(world.url, world.owner, channel.id, world.member.id, 1, { deny: Permission.ATTACH_FILES });
    const response = await upload(world.url, world.member, channel.id, [{ name: 'a.txt', data: Buffer.from('x') }], { content: 'x' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe(50013);
    expect(channelUploads(world.server.dataDir, channel.id)).toEqual([]);
  });

  it('refuses malformed payload_json and invalid payloads, removing the stored files', async () => {
    const channel = await world.newChannel();
    const malformed = await upload(world.url, world.member, channel.id, [{ name: 'a.txt', data: Buffer.from('x') }], undefined, '{nope');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe(50109);
    const invalid = await upload(world.url, world.member, channel.id, [{ name: 'a.txt', data: Buffer.from('x') }], { content: 'x'.repeat(2001) });
    expect(invalid.body.code).toBe(50035);
    expect(channelUploads(world.server.dataDir, channel.id)).toEqual([]);
  });

  it('deletes the files with their message', async () => {
    const channel = await world.newChannel();
    const response = await upload(world.url, world.member, channel.id, [{ name: 'gone.txt', data: Buffer.from('bye') }], {});
    const message = response.body;
    await api(world.url, 'DELETE', `/channels/${channel.id}/messages/${message.id}`, { token: world.member.token });
    expect((await fetch(message.attachments[0]!.url)).status).toBe(404);
    expect(channelUploads(world.server.dataDir, channel.id)).toEqual([]);
  });

  it('keeps only the listed attachments on edit and removes the others', async () => {
    const channel = await world.newChannel();
    const sent = (await upload(world.url, world.member, channel.id, [{ name: 'a.txt', data: Buffer.from('a') }, { name: 'b.txt', data: Buffer.from('b') }], { content: 'two' })).body;
    const [keep, drop] = sent.attachments;
    const edited = await api<Message>(world.url, 'PATCH', `/channels/${channel.id}/messages/${sent.id}`, { token: world.member.token, body: { attachments: [{ id: keep!.id }] } });
    expect(edited.body.attachments.map((a) => a.id)).toEqual([keep!.id]);
    expect((await fetch(drop!.url)).status).toBe(404);
    expect((await fetch(keep!.url)).status).toBe(200);
  });

  it('adds new files on a multipart edit next to the kept ones', async () => {
    const channel = await world.newChannel();
    const sent = (await upload(world.url, world.member, channel.id, [{ name: 'first.txt', data: Buffer.from('1') }], { content: 'v1' })).body;
    const form = new FormData();
    form.append('files[0]', new Blob([Buffer.from('2')]), 'second.txt');
    form.append('payload_json', JSON.stringify({ content: 'v2', attachments: [{ id: sent.attachments[0]!.id }, { id: 0 }] }));
    const response = await fetch(`${world.url}/api/v10/channels/${channel.id}/messages/${sent.id}`, { method: 'PATCH', headers: { authorization: world.member.token }, body: form });
    const edited = (await response.json()) as Message;
    expect(response.status).toBe(200);
    expect(edited.content).toBe('v2');
    expect(edited.attachments.map((a) => a.filename)).toEqual(['first.txt', 'second.txt']);
    expect(await (await fetch(edited.attachments[1]!.url)).text()).toBe('2');
  });

  it('stops serving the files of a deleted channel or guild', async () => {
    const channel = await world.newChannel();
    const inChannel = (await upload(world.url, world.owner, channel.id, [{ name: 'c.txt', data: Buffer.from('c') }], {})).body;
    await api(world.url, 'DELETE', `/channels/${channel.id}`, { token: world.owner.token });
    await expect.poll(async () => (await fetch(inChannel.attachments[0]!.url)).status).toBe(404);

    const other = await createGuild(world.url, world.owner, 'Doomed');
    const inGuild = (await upload(world.url, world.owner, other.general.id, [{ name: 'g.txt', data: Buffer.from('g') }], {})).body;
    expect((await api(world.url, 'DELETE', `/guilds/${other.guild.id}`, { token: world.owner.token })).status).toBe(204);
    await expect.poll(async () => (await fetch(inGuild.attachments[0]!.url)).status).toBe(404);
    expect(channelUploads(world.server.dataDir, other.general.id)).toEqual([]);
  });

  it('answers 404 for unknown or unsafe attachment paths', async () => {
    for (const suffix of ['/attachments/1/2/none.txt', '/attachments/1/2/..%2F..%2Fhearth.db', '/attachments/x/2/a.txt']) {
      const response = await fetch(`${world.url}${suffix}`);
      expect(response.status, suffix).toBe(404);
    }
  });
});

describe('who gets an attachment', () => {
  /** A channel with one uploaded file, and a member who may not view it. */
  async function hiddenUpload() {
    const channel = await world.newChannel();
    const sent = (await upload(world.url, world.owner, channel.id, [{ name: 'plan.txt', data: Buffer.from('secret plan') }], { content: 'staff only' })).body;
    await setOverwrite(world.url, world.owner, channel.id, world.guild.guild.id, 0, { deny: Permission.VIEW_CHANNEL });
    const signed = new URL(sent.attachments[0]!.url);
    return { channel, sent, signed, unsigned: `${signed.origin}${signed.pathname}` };
  }
  const get = (url: string, token?: string) => fetch(url, token ? { headers: { authorization: token } } : {});
  const answer = async (response: Response) => `${response.status} ${response.status === 200 ? await response.text() : ((await response.json()) as ErrorBody).code}`;

  it('serves a file with its signed URL, or to a reader of the channel, and to nobody else', async () => {
    const { signed, unsigned } = await hiddenUpload();
    const tampered = new URL(signed);
    tampered.searchParams.set('hm', 'f'.repeat(64));
    const longer = new URL(signed);
    longer.searchParams.set('ex', (parseInt(signed.searchParams.get('ex')!, 16) + 3600).toString(16));
    expect([
      await answer(await get(signed.href)),
      await answer(await get(unsigned)),
      await answer(await get(tampered.href)),
      await answer(await get(longer.href)),
      await answer(await get(unsigned, world.owner.token)),
      await answer(await get(unsigned, world.member.token)),
      await answer(await get(unsigned, world.outsider.token)),
      await answer(await get(unsigned, 'not-a-token')),
    ]).toEqual(['200 secret plan', '404 0', '404 0', '404 0', '200 secret plan', '403 50001', '404 10003', '401 0']);
  });

  it('refuses an expired URL, and the client can have it signed again while it may read the channel', async () => {
    const { channel, sent, unsigned } = await hiddenUpload();
    const secret = await world.server.server.context.store.getOrCreateSecret('attachment-urls', 'unused');
    const twoDaysAgo = new AttachmentUrlSigner(secret, () => Date.now() - 2 * 86_400_000);
    const attachment = sent.attachments[0]!;
    const expired = twoDaysAgo.url(world.url, channel.id, attachment.id, attachment.filename);
    const refused = await get(expired);
    expect([refused.status, ((await refused.json()) as ErrorBody).message]).toEqual([404, 'This content is no longer available.']);

    const refresh = (token: string) => api<RefreshAttachmentUrlsResponse>(world.url, 'POST', '/attachments/refresh-urls', {
      token, body: { attachment_urls: [expired, `${world.url}/attachments/${channel.id}/1/nothing.txt`, 'https://elsewhere.example/x.png'] },
    });
    const byOwner = (await refresh(world.owner.token)).body.refreshed_urls;
    expect(byOwner.map((r) => r.original)).toEqual([expired, `${world.url}/attachments/${channel.id}/1/nothing.txt`]);
    expect(await answer(await get(byOwner[0]!.refreshed))).toBe('200 secret plan');
    expect(byOwner[0]!.refreshed.startsWith(`${unsigned}?ex=`)).toBe(true);
    expect((await refresh(world.member.token)).body.refreshed_urls).toEqual([]);
    expect((await refresh(world.outsider.token)).body.refreshed_urls).toEqual([]);
  });

  it('carries signed URLs in message events, history and the upload answer alike', async () => {
    const channel = await world.newChannel();
    const sent = (await upload(world.url, world.member, channel.id, [{ name: 'same.txt', data: Buffer.from('s') }], {})).body;
    const created = eventsOf(world.events, 'MESSAGE_CREATE').find((e) => e.d.id === sent.id);
    const history = (await api<Message[]>(world.url, 'GET', `/channels/${channel.id}/messages`, { token: world.owner.token })).body;
    expect(created?.d.attachments[0]!.url).toBe(sent.attachments[0]!.url);
    expect(history[0]!.attachments[0]!.url).toBe(sent.attachments[0]!.url);
    expect(new URL(sent.attachments[0]!.url).searchParams.get('hm')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts unsigned guesses per address and answers 429 past the allowance, while signed URLs still work', async () => {
    const guesser = await startMessageWorld();
    try {
      const channel = await guesser.newChannel();
      const sent = (await upload(guesser.url, guesser.owner, channel.id, [{ name: 'ok.txt', data: Buffer.from('ok') }], {})).body;
      const statuses: number[] = [];
      for (let guess = 0; guess < GUESSES_PER_MINUTE + 2; guess++) {
        statuses.push((await fetch(`${guesser.url}/attachments/${channel.id}/${BigInt(sent.id) + BigInt(guess)}/ok.txt`)).status);
      }
      expect(statuses.slice(0, GUESSES_PER_MINUTE).every((status) => status === 404)).toBe(true);
      const limited = await fetch(`${guesser.url}/attachments/${channel.id}/1/ok.txt`);
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { retry_after: number }).retry_after).toBeGreaterThan(0);
      expect((await fetch(sent.attachments[0]!.url)).status).toBe(200);
    } finally {
      await guesser.close();
    }
  });
});

describe('restarting on the same data directory', () => {
  it('keeps messages, attachments and reactions', async () => {
    const first = await startMessageWorld();
    const channel = await first.newChannel();
    const uploaded = await upload(first.url, first.member, channel.id, [{ name: 'keep.png', data: png(4, 4) }], {
      content: 'with file',
      embeds: [{ title: 'preview', image: { url: 'attachment://keep.png' } }],
    });
    expect(uploaded.body.embeds[0]?.image?.url).toBe(uploaded.body.attachments[0]!.url);
    await sendMessage(first.url, first.owner, channel.id, 'plain text');
    await api(first.url, 'PUT', `/channels/${channel.id}/messages/${uploaded.body.id}/reactions/${encodeURIComponent('🎉')}/@me`, { token: first.owner.token });
    const dataDir = first.server.dataDir;
    await first.server.close({ keepData: true });

    const second = await startTestServer({ dataDir });
    try {
      const history = await api<Message[]>(second.url, 'GET', `/channels/${channel.id}/messages`, { token: first.member.token });
      expect(history.body.map((m) => m.content)).toEqual(['plain text', 'with file']);
      const restored = history.body[1]!;
      expect(restored.reactions).toMatchObject([{ count: 1, me: false, emoji: { name: '🎉' } }]);
      expect(restored.attachments[0]).toMatchObject({ filename: 'keep.png', width: 4, height: 4 });
      expect(restored.attachments[0]!.url.startsWith(`${second.url}/attachments/`)).toBe(true);
      expect(restored.embeds[0]?.image?.url).toBe(restored.attachments[0]!.url);
      const served = await fetch(restored.attachments[0]!.url);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer())).toEqual(png(4, 4));
      // The signing secret is kept with the data: a URL handed out before the restart still works.
      const before = new URL(uploaded.body.attachments[0]!.url);
      expect((await fetch(`${second.url}${before.pathname}${before.search}`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
