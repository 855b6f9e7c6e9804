// Vitest settings for the screenshot run only (`npx vitest run --config test/browser/screenshots.config.ts`): not part of npm test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/screenshots.shot.ts'],
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
