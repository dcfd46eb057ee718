#!/usr/bin/env node
/**
 * `hearth` administration commands, run against the configured data directory or database
 * (the same flags and environment variables as the server):
 *
 *   npm run hearth -- bot create NAME --owner USERNAME [--guild ID [--permissions N]] [--description TEXT]
 *   npm run hearth -- bot list --owner USERNAME
 *   npm run hearth -- bot reset-token APPLICATION_ID --owner USERNAME
 *
 * The commands go through the same code as the REST API (`api/applications.ts`), so the rules
 * (names, limits, MANAGE_GUILD, grantable permissions) are the same. A token is printed once.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { HearthError } from '../shared/errors.js';
import { SnowflakeGenerator } from '../shared/snowflake.js';
import { buildServer, type HearthServer } from './app.js';
import { ConfigError, helpText, loadConfig, OPTIONS } from './config.js';
import { createLogger } from './logger.js';
import { addBotToGuild, createApplication, listApplications, resetBotToken } from './api/applications.js';
import type { UserRecord } from './store/store.js';

const USAGE = `Usage: npm run hearth -- <command> [options]

Commands:
  bot create NAME --owner USERNAME [--description TEXT] [--guild GUILD_ID [--permissions BITS]]
      Creates a bot application owned by USERNAME and prints its token (shown only once).
      With --guild, also adds the bot to that guild (USERNAME needs Manage Server there) with a
      managed role carrying BITS (a permission bitfield, default 0 = no role).
  bot list --owner USERNAME
      Lists the applications USERNAME owns.
  bot reset-token APPLICATION_ID --owner USERNAME
      Signs every token of the bot out and prints a new one.

Server options, to find the data (the same as the server's):
`;

/** Snowflake process ID of the command line, so IDs it makes never collide with a running server's (process 0). */
const CLI_PROCESS_ID = 31;

/** A command failed in a way the user can fix; printed without a stack. */
class UsageError extends Error {}

interface Invocation {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  serverArgs: string[];
}

/** Splits the arguments into command options and the server's own flags (passed to the config). */
function parseInvocation(argv: readonly string[]): Invocation {
  const serverFlags = Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: 'string' as const }]));
  const commandFlags = {
    owner: { type: 'string' as const },
    guild: { type: 'string' as const },
    permissions: { type: 'string' as const },
    description: { type: 'string' as const },
    help: { type: 'boolean' as const },
  };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...commandFlags, ...serverFlags }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values: Record<string, string | boolean | undefined> = parsed.values;
  const serverArgs: string[] = [];
  for (const option of OPTIONS) {
    const value = values[option.flag];
    if (typeof value === 'string') serverArgs.push(`--${option.flag}`, value);
  }
  return { positionals: parsed.positionals, values, serverArgs };
}

async function ownerOf(server: HearthServer, username: unknown): Promise<UserRecord> {
  if (typeof username !== 'string' || username.length === 0) throw new UsageError('--owner USERNAME is required');
  const user = await server.context.store.getUserByUsername(username);
  if (!user) throw new UsageError(`No user named "${username}" on this server`);
  return user;
}

async function botCreate(server: HearthServer, invocation: Invocation, out: (line: string) => void): Promise<void> {
  const [, , name] = invocation.positionals;
  if (!name) throw new UsageError('bot create needs a NAME');
  const owner = await ownerOf(server, invocation.values.owner);
  const { guild, permissions, description } = invocation.values;
  if (permissions !== undefined && guild === undefined) throw new UsageError('--permissions needs --guild');
  const created = await createApplication(server.context, owner, { name, description: typeof description === 'string' ? description : '' });
  out(`Created application ${created.id} "${created.name}" with bot user ${created.bot?.username ?? '?'} (${created.bot?.id ?? '?'})`);
  if (typeof guild === 'string') {
    await addBotToGuild(server.context, owner, guild, { application_id: created.id, permissions: typeof permissions === 'string' ? permissions : '0' });
    out(`Added the bot to guild ${guild}`);
  }
  out('');
  out(`Bot token (shown only once; keep it secret): ${created.token}`);
}

async function botList(server: HearthServer, invocation: Invocation, out: (line: string) => void): Promise<void> {
  const owner = await ownerOf(server, invocation.values.owner);
  const applications = await listApplications(server.context, owner);
  if (applications.length === 0) out(`${owner.username} owns no applications`);
  for (const app of applications) {
    out(`${app.id}  ${app.name}  bot ${app.bot?.username ?? '?'} (${app.bot?.id ?? '?'})  in ${app.approximate_guild_count ?? 0} guild(s)`);
  }
}

async function botResetToken(server: HearthServer, invocation: Invocation, out: (line: string) => void): Promise<void> {
  const [, , applicationId] = invocation.positionals;
  if (!applicationId) throw new UsageError('bot reset-token needs an APPLICATION_ID');
  const owner = await ownerOf(server, invocation.values.owner);
  const { token } = await resetBotToken(server.context, owner, applicationId);
  out(`New bot token (shown only once; every older token no longer works): ${token}`);
}

/** Runs one command; resolves to the exit code. `out`/`err` receive lines (tests capture them). */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let server: HearthServer | undefined;
  try {
    const invocation = parseInvocation(argv);
    const [group, command] = invocation.positionals;
    if (invocation.values.help || !group) {
      // The server's option table without its own usage line.
      out(USAGE + helpText().split('\n').slice(2).join('\n'));
      return invocation.values.help ? 0 : 2;
    }
    const run = group === 'bot' ? { create: botCreate, list: botList, 'reset-token': botResetToken }[command ?? ''] : undefined;
    if (!run) throw new UsageError(`Unknown command "${invocation.positionals.join(' ')}". Run with --help.`);
    const config = loadConfig(invocation.serverArgs, env);
    if (config === 'help') return 0;
    server = await buildServer(config, { logger: createLogger('silent') });
    server.context.ids = new SnowflakeGenerator({ workerId: config.workerId ?? 0, processId: CLI_PROCESS_ID });
    await run(server, invocation, out);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      err(`hearth: ${error.message}`);
      return 2;
    }
    if (error instanceof HearthError) {
      err(`hearth: ${error.message}${error.errors ? ` ${JSON.stringify(error.errors)}` : ''}`);
      return 1;
    }
    throw error;
  } finally {
    await server?.close();
  }
}

// Run when executed directly (`node dist/server/cli.js`), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`hearth: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
