import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Shared 2-core machines: a few files at a time keeps the real servers and Chromium responsive.
    maxWorkers: 2,
    // BATON_DATABASE_URL names the test Postgres server, not every spawned Baton's store (see the file).
    setupFiles: ['test/helpers/postgres-env.setup.ts'],
    // Starts a throwaway Postgres when none is named and the machine has one, so its cases run, not skip.
    globalSetup: ['test/helpers/postgres-global.setup.ts'],
  },
});
