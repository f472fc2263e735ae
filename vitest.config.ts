import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Forks, not threads: the Temporal worker's native core is not safe in worker_threads.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    // A JSON line per request would bury the test output: warnings and errors only, unless asked.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  },
});
