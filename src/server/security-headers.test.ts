import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../shared/protocol/entities.js';
import { api, registerUser, type TestUser } from './test-support/api.js';
import { startMessageWorld, type MessageWorld } from './test-support/messages.js';
import { png, upload } from './test-support/uploads.js';
import { SECURITY_HEADERS, withFrameAncestors } from './security-headers.js';

describe('security headers', () => {
  let world: MessageWorld;
  let avatarUrl: string;
  let attachment: Message['attachments'][number];
  let user: TestUser;

  beforeAll(async () => {
    world = await startMessageWorld();
    user = await registerUser(world.url);
    const me = await api<{ avatar: string }>(world.url, 'PATCH', '/users/@me', {
      token: user.token, body: { avatar: `data:image/png;base64,${png(2, 2).toString('base64')}` },
    });
    avatarUrl = `${world.url}/avatars/${user.id}/${me.body.avatar}.png`;
    const sent = await upload(world.url, world.owner, world.guild.general.id, [{ name: 'dot.png', data: png(1, 1), type: 'image/png' }]);
    attachment = sent.body.attachments[0]!;
  });
  afterAll(async () => {
    await world.close();
  });

  const framing = (response: Response) => ({
    status: response.status,
    csp: response.headers.get('content-security-policy'),
    xfo: response.headers.get('x-frame-options'),
    nosniff: response.headers.get('x-content-type-options'),
    referrer: response.headers.get('referrer-policy'),
  });
  const expected = (status: number, csp = "frame-ancestors 'self'") => ({ status, csp, xfo: 'SAMEORIGIN', nosniff: 'nosniff', referrer: 'no-referrer' });

  it('forbids framing by other sites on the web client, the API, images, attachments and errors', async () => {
    const get = (url: string, token?: string) => fetch(url, token ? { headers: { authorization: token } } : {});
    expect(framing(await get(`${world.url}/`))).toEqual(expected(200));
    expect(framing(await get(`${world.url}/healthz`))).toEqual(expected(200));
    expect(framing(await get(`${world.url}/api/v10/users/@me`, user.token))).toEqual(expected(200));
    expect(framing(await get(`${world.url}/api/v10/users/@me`))).toEqual(expected(401));
    expect(framing(await get(`${world.url}/api/v10/no/such/route`))).toEqual(expected(404));
    expect(framing(await get(avatarUrl))).toEqual(expected(200));
    // An attachment keeps its own sandboxing policy; the framing rule is added to it.
    expect(framing(await get(attachment.url))).toEqual(expected(200, "default-src 'none'; sandbox; frame-ancestors 'self'"));
  });

  it('adds the framing rule to a route policy only when it has none', () => {
    expect(withFrameAncestors("default-src 'none'; sandbox")).toBe("default-src 'none'; sandbox; frame-ancestors 'self'");
    expect(withFrameAncestors("default-src 'self'; frame-ancestors 'none'")).toBe("default-src 'self'; frame-ancestors 'none'");
    expect(withFrameAncestors('')).toBe("frame-ancestors 'self'");
  });
});

describe('deploy/nginx.conf', () => {
  const nginx = fs.readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');

  it('adds the same security headers to what nginx answers itself, and only where the server sent none', () => {
    const added = [...nginx.matchAll(/^\s*add_header\s+(\S+)\s+\$(\w+)\s+always;/gm)].map(([, name, variable]) => {
      const map = new RegExp(`map\\s+\\$upstream_http_(\\w+)\\s+\\$${variable}\\s*\\{\\s*''\\s+(["'])(.*?)\\2;\\s*default\\s+'';`).exec(nginx);
      return { name, upstream: map?.[1], value: map?.[3] };
    });
    const expectedHeaders = Object.entries(SECURITY_HEADERS).map(([name, value]) => ({
      name, upstream: name.toLowerCase().replaceAll('-', '_'), value,
    }));
    expect(added).toEqual(expectedHeaders);
  });
});
