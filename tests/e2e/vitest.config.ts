import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Vitest's order (failed and slow files first), except that the smoke test always runs first. */
class SmokeFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isSmoke = (file: TestSpecification) => file.moduleId.endsWith('/smoke.e2e.test.ts');
    return [...sorted.filter(isSmoke), ...sorted.filter((file) => !isSmoke(file))];
  }
}

// End-to-end tests: the built server in its own process, Debian's Chromium driven by playwright-core.
export default defineConfig({
  test: {
    name: 'e2e',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/e2e.json' },
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: one browser-driving file at a time keeps timings sane.
    fileParallelism: false,
    // The first e2e test starts the server and sees the sign-in screen: if that fails, it says so first.
    sequence: { sequencer: SmokeFirst },
  },
});
