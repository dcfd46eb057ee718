// Smoke test of the benchmark code itself: `npm run bench` in its tiny mode must run every scenario
// end to end (server process, seed over REST, load generator process, /proc readings) and write
// figures. It asserts that figures were produced and are sane, never how fast anything was.
// About 20 s on a quiet 2-core machine; the timeout allows for a machine shared with other work.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-smoke-'));

interface FigureSummary {
  median: number;
  p99: number;
  min: number;
  max: number;
  runs: number;
  values: number[];
}

interface ScenarioResult {
  error?: string;
  figures: Record<string, FigureSummary>;
}

function figure(results: { scenarios: Record<string, ScenarioResult> }, scenario: string, name: string): FigureSummary {
  const summary = results.scenarios[scenario]?.figures[name];
  if (!summary) throw new Error(`${scenario}.${name} missing from the results`);
  return summary;
}

describe('npm run bench (tiny mode)', () => {
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('runs every scenario and writes latest.json and latest.md with figures', () => {
    const run = spawnSync(process.execPath, ['bench/run.mjs', '--tiny', '--existing-build', '--out', out], { cwd: root, encoding: 'utf8', timeout: 170_000 });
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.status).toBe(0);

    const results = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'));
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.cpuModel).not.toBe('');
    expect(results.machine.node).toBe(process.version);
    for (const name of ['identify', 'idle', 'fanout', 'e2e', 'resume', 'storage', 'compression', 'voice', 'bodies']) {
      expect(results.scenarios[name]?.error, name).toBeUndefined();
    }

    // Repeated runs, never single samples.
    expect(figure(results, 'identify', 'identifiesPerSecond').runs).toBe(2);
    expect(figure(results, 'identify', 'identifiesPerSecond').median).toBeGreaterThan(0);
    expect(figure(results, 'identify', 'failedIdentifies').median).toBe(0);
    expect(figure(results, 'identify', 'rssPeakMiB').median).toBeGreaterThanOrEqual(figure(results, 'identify', 'rssBeforeMiB').min);
    expect(figure(results, 'idle', 'sessionsHeld').median).toBe(4);
    expect(figure(results, 'fanout', 'maxDeliveriesPerSecond').median).toBeGreaterThan(0);
    expect(figure(results, 'e2e', 'lost').max).toBe(0);
    expect(figure(results, 'e2e', 'deliveryP99Ms').median).toBeGreaterThanOrEqual(figure(results, 'e2e', 'deliveryP50Ms').median);
    // Resume replays exactly the missed events.
    expect(figure(results, 'resume', 'replayedMin').min).toBe(5);
    expect(figure(results, 'resume', 'replayedMax').max).toBe(5);
    expect(figure(results, 'storage', 'newestPageP50Ms').median).toBeGreaterThan(0);
    expect(figure(results, 'compression', 'readyZlibKiB').median).toBeLessThan(figure(results, 'compression', 'readyPlainKiB').median);
    // Voice: impulses crossed the mesh and were timed in every run; the speaker's bytes were counted.
    expect(figure(results, 'voice', 'oneWayP50Ms').runs).toBe(2);
    expect(figure(results, 'voice', 'oneWayP50Ms').min).toBeGreaterThan(0);
    expect(figure(results, 'voice', 'oneWayP99Ms').median).toBeGreaterThanOrEqual(figure(results, 'voice', 'oneWayP50Ms').median);
    expect(figure(results, 'voice', 'speakerUploadBytesPerSecond').median).toBeGreaterThan(0);
    expect(figure(results, 'voice', 'streamOpusKbps').median).toBeGreaterThan(0);
    expect(results.notIncluded.map((item: { name: string }) => item.name)).not.toContain('voice');
    // Hostile bodies: every one refused (one round of four), /healthz answered meanwhile.
    expect(figure(results, 'bodies', 'refused').min).toBe(4);
    expect(figure(results, 'bodies', 'healthzAnswers').min).toBeGreaterThan(0);

    // The web client scenario runs where a Chromium is installed, and says why not otherwise.
    if (fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
      expect(results.scenarios.client?.error).toBeUndefined();
      expect(figure(results, 'client', 'firstMessagePaintedMs').median).toBeGreaterThan(0);
      expect(figure(results, 'client', 'initialJsGzipKB').median).toBeGreaterThan(0);
      expect(figure(results, 'client', 'domNodesWithMessages').median).toBeGreaterThan(0);
    } else {
      expect(results.notIncluded.map((item: { name: string }) => item.name)).toContain('client');
    }

    const markdown = fs.readFileSync(path.join(out, 'latest.md'), 'utf8');
    expect(markdown).toContain('| identifiesPerSecond (/s) |');
    expect(markdown).toMatch(/\| oneWayP50Ms \(ms\) \| .* \| ≤ 60 \|/);
    expect(markdown).toContain(results.machine.cpuModel);
  }, 180_000);
});

describe('summaries over runs', () => {
  it('takes the middle run, or the midpoint of the two middle runs, as the median', async () => {
    // The bench is plain JavaScript (typed by JSDoc in its own layer); this layer takes it as declared here.
    const stats = './lib/stats.mjs';
    const { median, summarizeRuns } = (await import(stats)) as {
      median(values: number[]): number | undefined;
      summarizeRuns(runs: Record<string, number>[]): Record<string, { median: number; p99: number; min: number; max: number; runs: number }>;
    };
    expect(median([])).toBeUndefined();
    expect(median([753, 478])).toBe(615.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(summarizeRuns([{ ms: 478 }, { ms: 753 }, { ms: Number.NaN }]).ms).toMatchObject({ median: 615.5, p99: 753, min: 478, max: 753, runs: 2 });
  });
});
