#!/usr/bin/env node
// Prints "name: N passed, N failed, N skipped" for each vitest JSON report in test-results/ (or the
// directory given as the first argument; unit: vitest.config.ts, e2e: tests/e2e/vitest.config.ts),
// "name: not run" for a missing one, then one line per reason tests were skipped for something
// this machine lacks (scripts/missing-requirements.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { missingRequirementLines } from './missing-requirements.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.resolve(process.argv[2] ?? path.join(root, 'test-results'));
const reports = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const file of reports) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  console.log(`${path.basename(file, '.json')}: ${p} passed, ${f} failed, ${s} skipped`);
  for (const testFile of report.testResults ?? []) {
    for (const test of testFile.assertionResults ?? []) {
      const reason = test.meta?.missingRequirement;
      if (reason && test.status !== 'passed' && test.status !== 'failed') missing.push({ file: path.relative(root, testFile.name), reason });
    }
  }
}
// npm test stops at the first failing step, so a runner after it has no report: say so.
for (const runner of ['unit', 'e2e']) {
  if (!reports.includes(`${runner}.json`)) console.log(`${runner}: not run`);
}
if (reports.length > 0) console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
for (const line of missingRequirementLines(missing)) console.log(line);
