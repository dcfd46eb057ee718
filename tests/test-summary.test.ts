import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const redisReason = 'redis-server was not found: install it (Debian/Ubuntu: `sudo apt-get install redis-server`).';

function node(args: string[]): { status: number | null; lines: string[] } {
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.split('\n') };
}

describe('tests skipped for a missing requirement', () => {
  it('are named in one line at the end of a vitest run, with how to install what is missing', () => {
    const run = node([path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tests/fixtures/missing-requirement/vitest.config.ts']);
    expect(run.status).toBe(0);
    expect(run.lines.filter((line) => line.startsWith('Skipped '))).toEqual([`Skipped 2 tests (needs-redis.fixture.ts): ${redisReason}`]);
  });

  it("are named in one line per reason in the summary of the runners' JSON reports", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-summary-'));
    const test = (status: string, reason?: string) => ({ status, ...(reason ? { meta: { missingRequirement: reason } } : { meta: {} }) });
    const pgReason = 'PostgreSQL server binaries were not found.';
    fs.writeFileSync(path.join(dir, 'unit.json'), JSON.stringify({
      numPassedTests: 2, numFailedTests: 0, numPendingTests: 4, numTodoTests: 0,
      testResults: [
        { name: path.join(repoRoot, 'src/server/scale-out.test.ts'), assertionResults: [test('passed'), test('skipped', redisReason), test('skipped', redisReason)] },
        { name: path.join(repoRoot, 'src/client/scale-out.integration.test.ts'), assertionResults: [test('skipped', redisReason)] },
        { name: path.join(repoRoot, 'src/server/store/postgres/postgres.test.ts'), assertionResults: [test('passed'), test('skipped', pgReason)] },
      ],
    }));
    try {
      const summary = node(['scripts/test-summary.mjs', dir]);
      expect(summary.status).toBe(0);
      expect(summary.lines.filter(Boolean)).toEqual([
        'unit: 2 passed, 0 failed, 4 skipped',
        'e2e: not run',
        '2 passed, 0 failed, 4 skipped',
        `Skipped 3 tests (src/server/scale-out.test.ts, src/client/scale-out.integration.test.ts): ${redisReason}`,
        `Skipped 1 test (src/server/store/postgres/postgres.test.ts): ${pgReason}`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
