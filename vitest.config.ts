// Test runner settings: every suite in test/, one fork per file so SQLite files and nock scopes never leak.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    // Names the browser suites skipped for want of Chromium at the end of the run (see test/browser/support/).
    globalSetup: ['test/browser/support/chromium-notice.ts'],
  },
});
