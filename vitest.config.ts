// Test runner settings: every suite in test/, one fork per file so SQLite files and nock scopes never leak.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default is one worker per CPU but one: a single file at a time on a 2-vCPU machine, where most files
    // spend much of their time importing modules or waiting on a child process, a socket or PostgreSQL. Three keep both
    // CPUs busy: the whole of `npm test` took 206 s with three, 243 s with two (same machine, same hour).
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    // Names the browser suites skipped for want of Chromium at the end of the run (see test/browser/support/).
    // With TEST_DATABASE_URL, one migrated PostgreSQL template the PostgreSQL suites copy (test/helpers/).
    globalSetup: ['test/browser/support/chromium-notice.ts', 'test/helpers/postgres-template-if-configured.ts'],
  },
});
