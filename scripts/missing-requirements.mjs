// Tests skipped because this machine lacks something they need (redis-server, PostgreSQL) carry
// the reason in their `missingRequirement` meta (src/server/test-support/requirements.ts). This
// module turns them into one line per reason: how many tests, in which files, and the reason,
// which names what is missing and how to install it. The unit run prints the lines through the
// reporter below (vitest.config.ts); scripts/test-summary.mjs prints them from the JSON report.
import path from 'node:path';

/**
 * One line per reason, e.g. "Skipped 11 tests (src/a.test.ts, src/b.test.ts): redis-server was
 * not found …; install it with `apt-get install redis-server`."
 * @param {{ file: string, reason: string }[]} skipped one entry per skipped test
 * @returns {string[]}
 */
export function missingRequirementLines(skipped) {
  /** @type {Map<string, { tests: number, files: Set<string> }>} */
  const byReason = new Map();
  for (const { file, reason } of skipped) {
    const entry = byReason.get(reason) ?? { tests: 0, files: new Set() };
    entry.tests += 1;
    entry.files.add(file);
    byReason.set(reason, entry);
  }
  return [...byReason].map(([reason, { tests, files }]) => `Skipped ${tests} test${tests === 1 ? '' : 's'} (${[...files].join(', ')}): ${reason}`);
}

/** Vitest reporter: after the run's own summary, one line per reason tests were skipped for a missing requirement. */
export default class MissingRequirementsReporter {
  /** @param {import('vitest/node').Vitest} vitest */
  onInit(vitest) {
    this.vitest = vitest;
  }

  /** @param {ReadonlyArray<import('vitest/node').TestModule>} testModules */
  onTestRunEnd(testModules) {
    const skipped = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests('skipped')) {
        const reason = test.meta().missingRequirement;
        if (reason) skipped.push({ file: path.relative(this.vitest.config.root, testModule.moduleId), reason });
      }
    }
    for (const line of missingRequirementLines(skipped)) this.vitest.logger.log(line);
  }
}
