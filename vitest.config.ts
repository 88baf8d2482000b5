import { defineConfig } from 'vitest/config';

// Two projects: `unit` (the sources and the harness, imported directly: no bundle needed) and
// `scenarios` (the built CLI as a child process against the loopback stack). `vitest run --project unit`
// starts at once; only the scenarios wait for the bundle build.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: the harness starts real servers (PostgreSQL among them), so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/harness/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'scenarios',
          include: ['test/scenarios/**/*.test.ts'],
          // The scenarios spawn the built CLI; build it once before any of them runs.
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
