import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import type { GuildMember, Role } from '../../shared/protocol/entities.js';
import type { HearthEvent } from '../bus/events.js';
import { api, createGuild, joinGuild, registerUser, type TestGuild, type TestUser } from '../test-support/api.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe('REST roles', () => {
  let test: TestServer;
  let owner: TestUser;
  let mod: TestUser;
  let member: TestUser;
  let guild: TestGuild;
  let events: HearthEvent[];
  let base: string;

  const createRole = async (token: string, body: unknown) => api<Role & ErrorBody>(test.url, 'POST', `${base}/roles`, { token, body });
  const listRoles = async () => (await api<Role[]>(test.url, 'GET', `${base}/roles`, { token: owner.token })).body;

  beforeEach(async () => {
    test = await startTestServer();
    owner = await registerUser(test.url, 'owner');
    mod = await registerUser(test.url, 'mod');
    member = await registerUser(test.url, 'member');
    guild = await createGuild(test.url, owner);
    base = `/guilds/${guild.guild.id}`;
    await joinGuild(test.url, owner, guild.general.id, mod);
    await joinGuild(test.url, owner, guild.general.id, member);
    events = [];
    test.server.context.events.subscribe((event) => events.push(event));
  });
  afterEach(async () => {
    await test.close();
  });

  it('creates a role above @everyone with @everyone\'s permissions by default', async () => {
    const role = await createRole(owner.token, { name: 'Friends', color: 0x3498db, hoist: true });
    expect(role.status).toBe(200);
    expect(role.body).toMatchObject({ name: 'Friends', color: 0x3498db, hoist: true, mentionable: false, position: 1, managed: false });
    expect(role.body.permissions).toBe((await listRoles()).find((r) => r.id === guild.guild.id)?.permissions);
    const second = await createRole(owner.token, { name: 'Newest', permissions: '0' });
    expect(second.body.position).toBe(1);
    expect((await listRoles()).map((r) => [r.name, r.position])).toEqual([['@everyone', 0], ['Newest', 1], ['Friends', 2]]);
    expect(events.some((e) => e.t === 'GUILD_ROLE_CREATE' && e.d.role.name === 'Friends')).toBe(true);
  });

  it('validates role bodies and requires MANAGE_ROLES', async () => {
    const bad = await createRole(owner.token, { name: '', color: -1 });
    expect(bad.body.code).toBe(50035);
    expect(bad.body.errors?.color).toBeDefined();
    expect((await createRole(member.token, { name: 'Sneaky' })).body.code).toBe(50013);
    expect((await api<ErrorBody>(test.url, 'GET', `${base}/roles/1234`, { token: owner.token })).body.code).toBe(10011);
  });

  it('modifies a role; @everyone keeps its name', async () => {
    const role = (await createRole(owner.token, { name: 'Old' })).body;
    const patched = await api<Role>(test.url, 'PATCH', `${base}/roles/${role.id}`, {
      token: owner.token, body: { name: 'New', permissions: Permission.MANAGE_MESSAGES.toString(), mentionable: true },
    });
    expect(patched.body).toMatchObject({ name: 'New', permissions: Permission.MANAGE_MESSAGES.toString(), mentionable: true });
    expect((await api<Role>(test.url, 'GET', `${base}/roles/${role.id}`, { token: member.token })).body.name).toBe('New');
    const rename = await api<ErrorBody>(test.url, 'PATCH', `${base}/roles/${guild.guild.id}`, { token: owner.token, body: { name: 'everybody' } });
    expect(rename.body.code).toBe(50035);
    const everyone = await api<Role>(test.url, 'PATCH', `${base}/roles/${guild.guild.id}`, { token: owner.token, body: { permissions: '1024' } });
    expect(everyone.body.permissions).toBe('1024');
  });

  it('enforces the hierarchy: a moderator manages only roles below their own and grants only what they have', async () => {
    const modRole = (await createRole(owner.token, { name: 'Mod', permissions: (Permission.MANAGE_ROLES | Permission.VIEW_CHANNEL).toString() })).body;
    const low = (await createRole(owner.token, { name: 'Low', permissions: '0' })).body;
    // Low was created at position 1, pushing Mod to 2.
    await api(test.url, 'PUT', `${base}/members/${mod.id}/roles/${modRole.id}`, { token: owner.token });
    expect((await api(test.url, 'PATCH', `${base}/roles/${low.id}`, { token: mod.token, body: { name: 'Lower' } })).status).toBe(200);
    expect((await api<ErrorBody>(test.url, 'PATCH', `${base}/roles/${modRole.id}`, { token: mod.token, body: { name: 'Admin' } })).body.code).toBe(50013);
    const escalate = await api<ErrorBody>(test.url, 'PATCH', `${base}/roles/${low.id}`, { token: mod.token, body: { permissions: Permission.ADMINISTRATOR.toString() } });
    expect(escalate.body.code).toBe(50013);
    expect((await api(test.url, 'PUT', `${base}/members/${member.id}/roles/${low.id}`, { token: mod.token })).status).toBe(204);
    expect((await api<ErrorBody>(test.url, 'PUT', `${base}/members/${member.id}/roles/${modRole.id}`, { token: mod.token })).body.code).toBe(50013);
  });

  it('refuses self-promotion: a moderator neither gives nor edits a role holding permissions they lack, whatever its position', async () => {
    const modRole = (await createRole(owner.token, { name: 'Mod', permissions: (Permission.MANAGE_ROLES | Permission.VIEW_CHANNEL).toString() })).body;
    const admin = (await createRole(owner.token, { name: 'Admin', permissions: Permission.ADMINISTRATOR.toString() })).body;
    const banner = (await createRole(owner.token, { name: 'Banner', permissions: Permission.BAN_MEMBERS.toString() })).body;
    const harmless = (await createRole(owner.token, { name: 'Harmless', permissions: Permission.VIEW_CHANNEL.toString() })).body;
    await api(test.url, 'PUT', `${base}/members/${mod.id}/roles/${modRole.id}`, { token: owner.token });
    // Owner-made roles sit just above @everyone: Admin and Banner are below Mod.
    expect((await listRoles()).map((r) => r.name)).toEqual(['@everyone', 'Harmless', 'Banner', 'Admin', 'Mod']);

    const answers: [string, number][] = [];
    for (const [what, method, path, body] of [
      ['give Admin to self', 'PUT', `${base}/members/${mod.id}/roles/${admin.id}`, undefined],
      ['give Banner to a member', 'PUT', `${base}/members/${member.id}/roles/${banner.id}`, undefined],
      ['set roles with Admin', 'PATCH', `${base}/members/${mod.id}`, { roles: [modRole.id, admin.id] }],
      ['rename Admin', 'PATCH', `${base}/roles/${admin.id}`, { name: 'Cute' }],
      ['strip Banner down', 'PATCH', `${base}/roles/${banner.id}`, { permissions: '0' }],
      ['give Harmless', 'PUT', `${base}/members/${member.id}/roles/${harmless.id}`, undefined],
      ['rename Harmless', 'PATCH', `${base}/roles/${harmless.id}`, { name: 'Friendly' }],
    ] as const) {
      const response = await api<ErrorBody>(test.url, method, path, { token: mod.token, body });
      answers.push([what, response.status === 403 ? response.body.code : response.status]);
    }
    expect(answers).toEqual([
      ['give Admin to self', 50013], ['give Banner to a member', 50013], ['set roles with Admin', 50013], ['rename Admin', 50013],
      ['strip Banner down', 50013], ['give Harmless', 204], ['rename Harmless', 200],
    ]);
    expect((await api<GuildMember>(test.url, 'GET', `${base}/members/${mod.id}`, { token: owner.token })).body.roles).toEqual([modRole.id]);
    expect((await listRoles()).find((r) => r.id === admin.id)).toMatchObject({ name: 'Admin', permissions: Permission.ADMINISTRATOR.toString() });
  });

  it('creates a moderator\'s role just below their highest role, and the owner\'s just above @everyone', async () => {
    // Each role the owner makes goes just above @everyone, below the ones made before.
    await createRole(owner.token, { name: 'Top' });
    const modRole = (await createRole(owner.token, { name: 'Mod', permissions: Permission.MANAGE_ROLES.toString() })).body;
    await createRole(owner.token, { name: 'Low' });
    await api(test.url, 'PUT', `${base}/members/${mod.id}/roles/${modRole.id}`, { token: owner.token });
    expect((await listRoles()).map((r) => r.name)).toEqual(['@everyone', 'Low', 'Mod', 'Top']);

    const made = await createRole(mod.token, { name: 'Helpers', permissions: '0' });
    expect(made.body.position).toBe(2);
    expect((await listRoles()).map((r) => [r.name, r.position])).toEqual([['@everyone', 0], ['Low', 1], ['Helpers', 2], ['Mod', 3], ['Top', 4]]);
    // The moderator controls the role they made.
    expect((await api(test.url, 'PATCH', `${base}/roles/${made.body.id}`, { token: mod.token, body: { name: 'Helpers!' } })).status).toBe(200);
    expect((await createRole(owner.token, { name: 'Owned' })).body.position).toBe(1);
  });

  it('reorders roles, keeping positions contiguous above @everyone', async () => {
    const a = (await createRole(owner.token, { name: 'A' })).body;
    const b = (await createRole(owner.token, { name: 'B' })).body;
    await createRole(owner.token, { name: 'C' });
    expect((await listRoles()).map((r) => r.name)).toEqual(['@everyone', 'C', 'B', 'A']);
    const reordered = await api<Role[]>(test.url, 'PATCH', `${base}/roles`, { token: owner.token, body: [{ id: a.id, position: 1 }] });
    expect(reordered.body.map((r) => [r.name, r.position])).toEqual([['@everyone', 0], ['A', 1], ['C', 2], ['B', 3]]);
    expect((await listRoles()).map((r) => r.name)).toEqual(['@everyone', 'A', 'C', 'B']);
    const everyone = await api<ErrorBody>(test.url, 'PATCH', `${base}/roles`, { token: owner.token, body: [{ id: guild.guild.id, position: 2 }] });
    expect(everyone.body.code).toBe(50035);
    const twice = await api<ErrorBody>(test.url, 'PATCH', `${base}/roles`, { token: owner.token, body: [{ id: b.id, position: 1 }, { id: b.id, position: 2 }] });
    expect(twice.body.errors?.['1']).toMatchObject({ id: { _errors: [{ code: 'BASE_TYPE_INVALID' }] } });
    expect((await listRoles()).map((r) => r.name)).toEqual(['@everyone', 'A', 'C', 'B']);
    expect((await api<ErrorBody>(test.url, 'PATCH', `${base}/roles`, { token: member.token, body: [{ id: b.id, position: 1 }] })).body.code).toBe(50013);
  });

  it('deletes a role, removing it from members; @everyone cannot be deleted', async () => {
    const role = (await createRole(owner.token, { name: 'Temp' })).body;
    await api(test.url, 'PUT', `${base}/members/${member.id}/roles/${role.id}`, { token: owner.token });
    expect((await api(test.url, 'DELETE', `${base}/roles/${role.id}`, { token: owner.token })).status).toBe(204);
    expect((await api<GuildMember>(test.url, 'GET', `${base}/members/${member.id}`, { token: owner.token })).body.roles).toEqual([]);
    expect(events.some((e) => e.t === 'GUILD_ROLE_DELETE' && e.d.role_id === role.id)).toBe(true);
    expect((await api<ErrorBody>(test.url, 'DELETE', `${base}/roles/${guild.guild.id}`, { token: owner.token })).body.code).toBe(50028);
    expect((await api<ErrorBody>(test.url, 'DELETE', `${base}/roles/${role.id}`, { token: owner.token })).body.code).toBe(10011);
  });

  it('lets a role with ADMINISTRATOR do what the owner can, and a member-level permission change take effect', async () => {
    expect((await api(test.url, 'POST', `${base}/channels`, { token: member.token, body: { name: 'x' } })).status).toBe(403);
    const admin = (await createRole(owner.token, { name: 'Admin', permissions: Permission.ADMINISTRATOR.toString() })).body;
    await api(test.url, 'PUT', `${base}/members/${member.id}/roles/${admin.id}`, { token: owner.token });
    expect((await api(test.url, 'POST', `${base}/channels`, { token: member.token, body: { name: 'x' } })).status).toBe(201);
  });
});
