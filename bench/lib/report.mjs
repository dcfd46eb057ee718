// Writes results: latest.json (everything, for comparison between runs) and latest.md (one table
// per scenario: each figure's median and p99 over runs, its range, and the target it is held to).
import fs from 'node:fs';
import path from 'node:path';
import { describeMachine } from './machine.mjs';
import { formatNumber } from './stats.mjs';

/**
 * The issue's targets for this 2-core machine, by scenario and figure.
 * `atFullSize` targets are stated for the full run's sizes (e.g. 1,000 users) and are only judged there.
 * @type {Record<string, Record<string, { op: '>=' | '<=', value: number, atFullSize?: boolean }>>}
 */
export const TARGETS = {
  identify: { identifiesPerSecond: { op: '>=', value: 2000, atFullSize: true }, readyP99Ms: { op: '<=', value: 25, atFullSize: true } },
  idle: { rssPerSessionKiB: { op: '<=', value: 10 } },
  fanout: { maxDeliveriesPerSecond: { op: '>=', value: 200_000, atFullSize: true }, deliveryP99At100Ms: { op: '<=', value: 10, atFullSize: true } },
  e2e: { deliveryP99Ms: { op: '<=', value: 5 } },
  storage: { newestPageP99Ms: { op: '<=', value: 1, atFullSize: true } },
  client: { firstMessagePaintedMs: { op: '<=', value: 500 }, initialJsGzipKB: { op: '<=', value: 300 } },
  voice: { oneWayP50Ms: { op: '<=', value: 60 } },
  bodies: { rssGrowthMiB: { op: '<=', value: 100 }, healthzMaxMs: { op: '<=', value: 100 } },
};

/** Units shown next to figure names, from their suffix. */
const UNITS = [
  ['PerSecond', '/s'], ['Ms', 'ms'], ['MiB', 'MiB'], ['KiB', 'KiB'], ['KB', 'kB'], ['Percent', '%'], ['Rate', 'msg/s'], ['Kbps', 'kbit/s'],
];

/** @param {string} figure */
function unitOf(figure) {
  for (const [suffix, unit] of UNITS) if (figure.endsWith(/** @type {string} */ (suffix))) return unit;
  return '';
}

/**
 * Whether a figure meets its target: 'met', 'missed by X', or '' when it has none (or the size is
 * not the one the target is stated for).
 * @param {string} scenario
 * @param {string} figure
 * @param {number} median
 * @param {string} mode
 */
export function judge(scenario, figure, median, mode) {
  const target = TARGETS[scenario]?.[figure];
  if (!target) return { target: '', verdict: '' };
  const text = `${target.op === '>=' ? '≥' : '≤'} ${formatNumber(target.value)}`;
  if (target.atFullSize && mode !== 'full') return { target: text, verdict: 'judged in the full run' };
  const met = target.op === '>=' ? median >= target.value : median <= target.value;
  if (met) return { target: text, verdict: 'met' };
  const factor = target.op === '>=' ? target.value / median : median / target.value;
  return { target: text, verdict: `missed (×${formatNumber(factor)})` };
}

/**
 * @param {Record<string, any>} results the object written to latest.json
 * @returns {string}
 */
export function markdownReport(results) {
  const lines = [
    `# Hearth benchmark results (${results.mode} run)`,
    '',
    `- When: ${results.generatedAt} (took ${formatNumber(results.durationSeconds)} s)`,
    `- Machine: ${describeMachine(results.machine)}; open files limit ${results.machine.openFilesLimit}`,
    `- Load average (1 min) at start ${formatNumber(results.loadAverage.atStart)}, at end ${formatNumber(results.loadAverage.atEnd)} (above ${results.machine.cores} means other work shared the cores)`,
    ...results.notes.map((/** @type {string} */ note) => `- Note: ${note}`),
    '- Each figure is the median over the scenario\'s runs (the runs column), with the p99 over runs (the worst run when fewer than 100) and the range',
    '',
  ];
  for (const [name, scenario] of Object.entries(results.scenarios)) {
    lines.push(`## ${scenario.title}`, '');
    if (scenario.error) {
      lines.push(`Failed: ${scenario.error}`, '');
      continue;
    }
    lines.push(`Parameters: ${Object.entries(scenario.params).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : v}`).join(', ')}`, '');
    lines.push('| figure | median | p99 over runs | min – max | runs | target | verdict |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const [figure, summary] of Object.entries(scenario.figures)) {
      const unit = unitOf(figure);
      const { target, verdict } = judge(name, figure, summary.median, results.mode);
      lines.push(`| ${figure}${unit ? ` (${unit})` : ''} | ${formatNumber(summary.median)} | ${formatNumber(summary.p99)} | ${formatNumber(summary.min)} – ${formatNumber(summary.max)} | ${summary.runs} | ${target} | ${verdict} |`);
    }
    lines.push('');
  }
  if (results.notIncluded.length > 0) {
    lines.push('## Not measured in this run', '');
    for (const item of results.notIncluded) lines.push(`- ${item.name}: ${item.reason}`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Writes latest.json and latest.md into `dir`.
 * @param {string} dir
 * @param {Record<string, any>} results
 */
export function writeResults(dir, results) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), markdownReport(results));
}
