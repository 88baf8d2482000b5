import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Scenario tests spawn the built CLI; build it once before any test runs.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: the harness starts real servers (PostgreSQL among them), so keep parallelism modest.
    maxWorkers: 2,
  },
});
