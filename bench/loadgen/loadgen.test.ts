// The load generator as the issue defines it: protocol only (no Hearth code), pointed at a target
// URL with a tokens file, run as its own process, sending its User-Agent, and reporting what it
// achieved next to what it was asked.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createGuild, joinGuild, registerUser } from '../../src/server/test-support/api.js';
import { startTestServer, type TestServer } from '../../src/server/test-support/server.js';

const here = import.meta.dirname;

function sourcesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesOf(full);
    return entry.name.endsWith('.mjs') ? [full] : [];
  });
}

describe('the load generator', () => {
  let test: TestServer | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-loadgen-'));
  afterAll(async () => {
    await test?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports nothing of Hearth: only Node, packages and its own bench files', () => {
    const sources = sourcesOf(here);
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'|import\('([^']+)'\)/g)) {
        if (!specifier?.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), specifier);
        expect(target.startsWith(path.resolve(here, '..') + path.sep), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('posts at the asked rate through a tokens file, as its own process with its User-Agent, and reports asked and achieved', async () => {
    test = await startTestServer();
    const poster = await registerUser(test.url, 'poster');
    const reader = await registerUser(test.url, 'reader');
    const guild = await createGuild(test.url, poster);
    await joinGuild(test.url, poster, guild.general.id, reader);
    const tokens = path.join(dir, 'tokens.txt');
    fs.writeFileSync(tokens, `# two members\n${poster.token}\n${reader.token}\n`);
    const agents = new Set<string>();
    const record = (request: { headers: Record<string, string | string[] | undefined> }) => agents.add(String(request.headers['user-agent']));
    test.server.app.server.on('request', record);
    test.server.app.server.on('upgrade', record);

    const { stdout } = await promisify(execFile)(process.execPath, [
      path.join(here, 'cli.mjs'), 'e2e', '--target', test.url, '--tokens', tokens, '--rate', '10', '--seconds', '1', '--repeats', '1',
    ], { encoding: 'utf8', timeout: 60_000 });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const result = lines.find((line) => line.type === 'result') as { scenario: string; runs: { askedRate: number; achievedRate: number }[] } | undefined;
    expect(result?.scenario).toBe('e2e');
    expect(result?.runs).toHaveLength(1);
    expect(result?.runs[0]?.askedRate).toBe(10);
    expect(result?.runs[0]?.achievedRate).toBeGreaterThan(0);
    expect([...agents].every((agent) => agent.startsWith('hearth-loadgen/'))).toBe(true);
    expect(agents.size).toBe(1);
  }, 90_000);
});
