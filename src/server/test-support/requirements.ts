/**
 * Programs some test suites need from the machine (a PostgreSQL server, `redis-server`). When one
 * is missing, a developer's machine and CI differ on purpose:
 * - outside CI the suites that need it are skipped, and every skipped test carries the finder's
 *   message (what is missing, how to install it) in its `missingRequirement` meta; the unit run
 *   and `scripts/test-summary.mjs` print one line per message, so nothing is skipped silently;
 * - under CI (`CI` set to anything but `false` or `0`) nothing is skipped: the suites run and
 *   fail with that same message.
 */
import type { SuiteOptions } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why this test was skipped: what it needs that this machine lacks, and how to install it. */
    missingRequirement?: string;
  }
}

/** Whether we run under CI, where a missing requirement fails instead of skipping. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

/**
 * Why suites needing what `find` looks for cannot run here (its error message), or undefined when
 * they run: the program was found, or we are under CI, where its absence must fail the suites.
 */
export function missingRequirement(find: () => unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (isCi(env)) return undefined;
  try {
    find();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `describe()` options that skip the suite, noting why for the summary, when `missing` is set. */
export function skipWhenMissing(missing: string | undefined): SuiteOptions {
  return missing === undefined ? {} : { skip: true, meta: { missingRequirement: missing } };
}
