import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuildMember, Role } from '../shared/protocol/entities.js';
import { api, createGuild, registerUser } from './test-support/api.js';
import { makeTempDataDir, startTestServer } from './test-support/server.js';
import { runCli } from './cli.js';

let dataDir: string | undefined;

afterEach(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** Runs the command line and collects what it prints. */
async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {}, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

describe('hearth bot (command line)', () => {
  it('creates a bot, adds it to a guild with a managed role, and prints a working token once', async () => {
    dataDir = makeTempDataDir();
    let server = await startTestServer({ dataDir });
    const owner = await registerUser(server.url, 'cli_owner');
    const { guild } = await createGuild(server.url, owner, 'CLI Guild');
    await server.close({ keepData: true });

    const result = await cli(['bot', 'create', 'Helper Bot', '--owner', 'cli_owner', '--guild', guild.id, '--permissions', '3072', '--data-dir', dataDir]);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const token = /Bot token \(shown only once; keep it secret\): (\S+)/.exec(result.out.join('\n'))?.[1];
    expect(token).toBeDefined();
    expect(result.out[0]).toMatch(/^Created application \d+ "Helper Bot" with bot user helper_bot \(\d+\)$/);

    server = await startTestServer({ dataDir });
    try {
      const me = await api<{ id: string; bot: boolean }>(server.url, 'GET', '/users/@me', { token: `Bot ${token}` });
      expect(me.body.bot).toBe(true);
      const member = await api<GuildMember>(server.url, 'GET', `/guilds/${guild.id}/members/${me.body.id}`, { token: owner.token });
      expect(member.status).toBe(200);
      const roles = (await api<Role[]>(server.url, 'GET', `/guilds/${guild.id}/roles`, { token: owner.token })).body;
      expect(roles.find((r) => r.managed)).toMatchObject({ name: 'Helper Bot', permissions: '3072', tags: { bot_id: me.body.id } });
    } finally {
      await server.close({ keepData: true });
    }

    const listed = await cli(['bot', 'list', '--owner', 'cli_owner', '--data-dir', dataDir]);
    expect(listed.out).toEqual([expect.stringMatching(/^\d+ {2}Helper Bot {2}bot helper_bot \(\d+\) {2}in 1 guild\(s\)$/)]);
    const appId = listed.out[0]?.split(' ')[0] ?? '';
    const reset = await cli(['bot', 'reset-token', appId, '--owner', 'cli_owner', '--data-dir', dataDir]);
    expect(reset.code).toBe(0);
    expect(reset.out[0]).toMatch(/^New bot token .*: \S+$/);
    expect(reset.out[0]).not.toContain(token);
  });

  it('explains usage mistakes without touching data', async () => {
    dataDir = makeTempDataDir();
    expect(await cli(['bot', 'create', '--owner', 'nobody', '--data-dir', dataDir])).toMatchObject({ code: 2, err: ['hearth: bot create needs a NAME'] });
    expect(await cli(['bot', 'create', 'Name', '--owner', 'nobody', '--data-dir', dataDir])).toMatchObject({
      code: 2, err: ['hearth: No user named "nobody" on this server'],
    });
    expect(await cli(['bot', 'fly'])).toMatchObject({ code: 2, err: ['hearth: Unknown command "bot fly". Run with --help.'] });
    expect(await cli(['bot', 'create', 'Name', '--owner', 'x', '--colour', 'red'])).toMatchObject({ code: 2 });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('bot create NAME --owner USERNAME');
  });

  it('reports API rule violations with their message', async () => {
    dataDir = makeTempDataDir();
    const server = await startTestServer({ dataDir });
    await registerUser(server.url, 'cli_someone');
    await server.close({ keepData: true });
    const result = await cli(['bot', 'create', 'X', '--owner', 'cli_someone', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/^hearth: Invalid Form Body .*BASE_TYPE_MIN_LENGTH/);
  });
});
