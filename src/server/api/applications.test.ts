import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Permission } from '../../shared/permissions.js';
import type { Application, GuildMember, Role } from '../../shared/protocol/entities.js';
import type { BotTokenResponse, CreatedApplication } from '../../shared/protocol/rest.js';
import { api, createGuild, joinGuild, registerUser, type TestGuild, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { botUsername } from './applications.js';

let server: TestServer;
let url: string;
let owner: TestUser;
let member: TestUser;
let guild: TestGuild;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
});

// Each test gets its own owner, member and guild: account writes share a per-token rate limit.
beforeEach(async () => {
  owner = await registerUser(url);
  member = await registerUser(url);
  guild = await createGuild(url, owner, 'Bot Garden');
  await joinGuild(url, owner, guild.general.id, member);
});

afterAll(async () => {
  await server.close();
});

async function createApp(user: TestUser, name: string): Promise<CreatedApplication> {
  const response = await api<CreatedApplication>(url, 'POST', '/applications', { token: user.token, body: { name, description: 'test bot' } });
  expect(response.status).toBe(201);
  return response.body;
}

function bot(token: string): string {
  return `Bot ${token}`;
}

describe('botUsername', () => {
  it('turns an application name into a valid username', () => {
    expect(botUsername('Ping Bot!')).toBe('ping_bot');
    expect(botUsername('Ünïcode ☃')).toBe('n_code');
    expect(botUsername('x')).toBe('botx');
    expect(botUsername('A'.repeat(40), '_1234')).toBe(`${'a'.repeat(27)}_1234`);
  });
});

describe('Applications API', () => {
  it('creates an application with a bot user and shows the token once', async () => {
    const created = await createApp(owner, 'Ping Bot');
    expect(created).toMatchObject({
      name: 'Ping Bot', description: 'test bot', bot_public: false, flags: (1 << 12) | (1 << 14) | (1 << 18), approximate_guild_count: 0,
      owner: { id: owner.id }, bot: { username: 'ping_bot', global_name: 'Ping Bot', bot: true },
    });
    expect(created.token).toMatch(/^[\w-]+\.[\w-]+$/);
    const me = await api<{ id: string; bot: boolean }>(url, 'GET', '/users/@me', { token: bot(created.token) });
    expect(me.body).toMatchObject({ id: created.bot?.id, bot: true });
    // A bot token is accepted only with the `Bot ` prefix on REST.
    expect((await api(url, 'GET', '/users/@me', { token: created.token })).status).toBe(401);
    // The bot reads its own application, as discord.js does.
    const own = await api<Application>(url, 'GET', '/applications/@me', { token: bot(created.token) });
    expect(own.body).toMatchObject({ id: created.id, owner: { id: owner.id } });
    expect(own.body).not.toHaveProperty('token');
    const listed = await api<Application[]>(url, 'GET', '/applications', { token: owner.token });
    expect(listed.body.map((a) => a.id)).toContain(created.id);
    expect(listed.body.every((a) => !('token' in a))).toBe(true);
  });

  it('gives a second bot of the same name a free username', async () => {
    const first = await createApp(owner, 'Twin');
    const second = await createApp(owner, 'Twin');
    expect(first.bot?.username).toBe('twin');
    expect(second.bot?.username).toMatch(/^twin_\d{4}$/);
  });

  it('refuses bad names, bots creating applications, and strangers reading one', async () => {
    const bad = await api(url, 'POST', '/applications', { token: owner.token, body: { name: 'x' } });
    expect(bad).toMatchObject({ status: 400, body: { code: 50035, errors: { name: { _errors: [{ code: 'BASE_TYPE_MIN_LENGTH' }] } } } });
    const app = await createApp(owner, 'Private');
    const byBot = await api(url, 'POST', '/applications', { token: bot(app.token), body: { name: 'Nested' } });
    expect(byBot).toMatchObject({ status: 403, body: { code: 20001 } });
    const stranger = await api(url, 'GET', `/applications/${app.id}`, { token: member.token });
    expect(stranger).toMatchObject({ status: 404, body: { code: 10002 } });
    const userAtMe = await api(url, 'GET', '/applications/@me', { token: member.token });
    expect(userAtMe).toMatchObject({ status: 403, body: { code: 20002 } });
  });

  it('renames and switches privileged intents, refusing other flags', async () => {
    const app = await createApp(owner, 'Renamable');
    const patched = await api<Application>(url, 'PATCH', `/applications/${app.id}`, {
      token: owner.token, body: { name: 'Renamed', description: 'new', flags: 1 << 18 },
    });
    expect(patched.body).toMatchObject({ name: 'Renamed', description: 'new', flags: 1 << 18 });
    expect((await api<Application>(url, 'GET', `/applications/${app.id}`, { token: owner.token })).body.name).toBe('Renamed');
    const invalid = await api(url, 'PATCH', `/applications/${app.id}`, { token: owner.token, body: { flags: 1 } });
    expect(invalid).toMatchObject({ status: 400, body: { code: 50035, errors: { flags: { _errors: [{ code: 'APPLICATION_FLAGS_INVALID' }] } } } });
  });

  it('resets the token: the new one works, every old one is refused', async () => {
    const app = await createApp(owner, 'Resettable');
    const reset = await api<BotTokenResponse>(url, 'POST', `/applications/${app.id}/bot/reset`, { token: owner.token });
    expect(reset.status).toBe(200);
    expect(reset.body.token).not.toBe(app.token);
    expect((await api(url, 'GET', '/users/@me', { token: bot(app.token) })).status).toBe(401);
    expect((await api(url, 'GET', '/users/@me', { token: bot(reset.body.token) })).status).toBe(200);
    const byStranger = await api(url, 'POST', `/applications/${app.id}/bot/reset`, { token: member.token });
    expect(byStranger).toMatchObject({ status: 404, body: { code: 10002 } });
  });
});

describe('Adding a bot to a guild', () => {
  it('adds the bot with a managed role carrying the chosen permissions', async () => {
    const app = await createApp(owner, 'Moderator Bot');
    const permissions = (Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES | Permission.MANAGE_MESSAGES).toString();
    const added = await api<GuildMember>(url, 'POST', `/guilds/${guild.guild.id}/bots`, {
      token: owner.token, body: { application_id: app.id, permissions },
    });
    expect(added.status).toBe(201);
    expect(added.body.user).toMatchObject({ id: app.bot?.id, bot: true });
    const roles = (await api<Role[]>(url, 'GET', `/guilds/${guild.guild.id}/roles`, { token: owner.token })).body;
    const managed = roles.find((r) => r.tags?.bot_id === app.bot?.id);
    expect(managed).toMatchObject({ name: 'Moderator Bot', managed: true, permissions, position: 1 });
    expect(added.body.roles).toEqual([managed?.id]);
    const appNow = await api<Application>(url, 'GET', `/applications/${app.id}`, { token: owner.token });
    expect(appNow.body.approximate_guild_count).toBe(1);

    // Managed roles are the bot's alone: not deletable, not assignable.
    const remove = await api(url, 'DELETE', `/guilds/${guild.guild.id}/roles/${managed?.id}`, { token: owner.token });
    expect(remove).toMatchObject({ status: 400, body: { code: 50028 } });
    const assign = await api(url, 'PUT', `/guilds/${guild.guild.id}/members/${member.id}/roles/${managed?.id}`, { token: owner.token });
    expect(assign).toMatchObject({ status: 400, body: { code: 50028 } });

    // Adding again updates the role's permissions.
    const again = await api(url, 'POST', `/guilds/${guild.guild.id}/bots`, {
      token: owner.token, body: { application_id: app.id, permissions: Permission.VIEW_CHANNEL.toString() },
    });
    expect(again.status).toBe(204);
    const updated = (await api<Role[]>(url, 'GET', `/guilds/${guild.guild.id}/roles`, { token: owner.token })).body.find((r) => r.id === managed?.id);
    expect(updated?.permissions).toBe(Permission.VIEW_CHANNEL.toString());

    // Kicking the bot removes its managed role.
    expect((await api(url, 'DELETE', `/guilds/${guild.guild.id}/members/${app.bot?.id}`, { token: owner.token })).status).toBe(204);
    const after = (await api<Role[]>(url, 'GET', `/guilds/${guild.guild.id}/roles`, { token: owner.token })).body;
    expect(after.some((r) => r.id === managed?.id)).toBe(false);
  });

  it('adds a bot without a role when no permissions are chosen', async () => {
    const app = await createApp(owner, 'Quiet');
    const added = await api<GuildMember>(url, 'POST', `/guilds/${guild.guild.id}/bots`, { token: owner.token, body: { application_id: app.id } });
    expect(added.status).toBe(201);
    expect(added.body.roles).toEqual([]);
  });

  it('needs MANAGE_GUILD, ownership of the application, and only grantable permissions', async () => {
    const app = await createApp(member, 'Members Bot');
    const noManage = await api(url, 'POST', `/guilds/${guild.guild.id}/bots`, { token: member.token, body: { application_id: app.id } });
    expect(noManage).toMatchObject({ status: 403, body: { code: 50013 } });
    const notOwner = await api(url, 'POST', `/guilds/${guild.guild.id}/bots`, { token: owner.token, body: { application_id: app.id } });
    expect(notOwner).toMatchObject({ status: 404, body: { code: 10002 } });

    // A manager without ADMINISTRATOR cannot hand the bot more than they have.
    const managerRole = await api<Role>(url, 'POST', `/guilds/${guild.guild.id}/roles`, {
      token: owner.token, body: { name: 'managers', permissions: Permission.MANAGE_GUILD.toString() },
    });
    await api(url, 'PUT', `/guilds/${guild.guild.id}/members/${member.id}/roles/${managerRole.body.id}`, { token: owner.token });
    const tooMuch = await api(url, 'POST', `/guilds/${guild.guild.id}/bots`, {
      token: member.token, body: { application_id: app.id, permissions: Permission.ADMINISTRATOR.toString() },
    });
    expect(tooMuch).toMatchObject({ status: 403, body: { code: 50013 } });
    const fine = await api(url, 'POST', `/guilds/${guild.guild.id}/bots`, {
      token: member.token, body: { application_id: app.id, permissions: Permission.VIEW_CHANNEL.toString() },
    });
    expect(fine.status).toBe(201);
    const outsiders = await api(url, 'POST', '/guilds/123/bots', { token: owner.token, body: { application_id: app.id } });
    expect(outsiders).toMatchObject({ status: 404, body: { code: 10004 } });
  });

  it('deletes an application: the bot leaves its guilds and its token stops working', async () => {
    const app = await createApp(owner, 'Short Lived');
    await api(url, 'POST', `/guilds/${guild.guild.id}/bots`, { token: owner.token, body: { application_id: app.id, permissions: '1024' } });
    expect((await api(url, 'DELETE', `/applications/${app.id}`, { token: owner.token })).status).toBe(204);
    expect((await api(url, 'GET', `/applications/${app.id}`, { token: owner.token })).status).toBe(404);
    expect((await api(url, 'GET', '/users/@me', { token: bot(app.token) })).status).toBe(401);
    const gone = await api(url, 'GET', `/guilds/${guild.guild.id}/members/${app.bot?.id}`, { token: owner.token });
    expect(gone).toMatchObject({ status: 404, body: { code: 10007 } });
    const roles = (await api<Role[]>(url, 'GET', `/guilds/${guild.guild.id}/roles`, { token: owner.token })).body;
    expect(roles.some((r) => r.tags?.bot_id === app.bot?.id)).toBe(false);
    // The bot user stays so that its old messages keep an author.
    expect((await api(url, 'GET', `/users/${app.bot?.id}`, { token: owner.token })).status).toBe(200);
  });
});

describe('GET /gateway/bot', () => {
  it('answers bots with the URL, one shard and the session start limit', async () => {
    const app = await createApp(owner, 'Discovery');
    const response = await api<{ url: string; shards: number; session_start_limit: Record<string, number> }>(url, 'GET', '/gateway/bot', {
      token: bot(app.token),
    });
    expect(response.body).toEqual({
      url: `${url.replace(/^http/, 'ws')}/gateway`,
      shards: 1,
      session_start_limit: { total: expect.any(Number), remaining: expect.any(Number), reset_after: expect.any(Number), max_concurrency: 1 },
    });
    expect((await api(url, 'GET', '/gateway/bot', { token: owner.token })).body).toMatchObject({ code: 20002 });
  });
});
