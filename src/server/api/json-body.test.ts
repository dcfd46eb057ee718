import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessageWorld, postMessage, type MessageWorld } from '../test-support/messages.js';

describe('request bodies', () => {
  let world: MessageWorld;
  beforeAll(async () => {
    world = await startMessageWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('refuses the NUL character in a JSON field with 50035 on that field, storing nothing', async () => {
    const refused = await postMessage(world.url, world.owner, world.guild.general.id, { content: 'a\u0000b' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } } });
    const nested = await postMessage(world.url, world.owner, world.guild.general.id, { content: 'ok', embeds: [{ title: 'x\u0000' }] });
    expect(nested.body).toMatchObject({ code: 50035, errors: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } } } } });
    const history = await fetch(`${world.url}/api/v10/channels/${world.guild.general.id}/messages`, { headers: { authorization: world.owner.token } });
    expect(((await history.json()) as { content: string }[]).filter((m) => m.content.includes('\u0000'))).toEqual([]);
  });

  it('refuses the NUL character in multipart payload_json too', async () => {
    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'see \u0000 file' }));
    form.append('files[0]', new Blob(['hello']), 'hello.txt');
    const response = await fetch(`${world.url}/api/v10/channels/${world.guild.general.id}/messages`, {
      method: 'POST',
      headers: { authorization: world.owner.token },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } } });
  });
});
