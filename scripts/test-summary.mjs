#!/usr/bin/env node
// Prints "name: N passed, N failed, N skipped" for each vitest JSON report in test-results/
// (unit: vitest.config.ts, e2e: tests/e2e/vitest.config.ts), and "name: not run" for a missing one.
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '../test-results');
const reports = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  console.log(`${path.basename(file, '.json')}: ${p} passed, ${f} failed, ${s} skipped`);
}
// npm test stops at the first failing step, so a runner after it has no report: say so.
for (const runner of ['unit', 'e2e']) {
  if (!reports.includes(`${runner}.json`)) console.log(`${runner}: not run`);
}
if (reports.length > 0) console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
