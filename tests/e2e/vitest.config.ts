import { defineConfig } from 'vitest/config';

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
  },
});
