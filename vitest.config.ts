import { defineConfig } from 'vitest/config';

// Unit and integration tests sit next to their code. Renderer tests run in jsdom; the rest in Node.
// The last reporter says in one line per reason which tests were skipped for a missing program.
export default defineConfig({
  test: {
    reporters: ['default', 'json', './scripts/missing-requirements.mjs'],
    outputFile: { json: 'test-results/unit.json' },
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'tests/*.test.ts'],
          exclude: ['src/renderer/**'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          testTimeout: 20_000,
        },
      },
    ],
  },
});
