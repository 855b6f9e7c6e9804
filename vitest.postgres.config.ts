// The integration suite once more, on PostgreSQL (npm run test:postgres; TEST_DATABASE_URL names the server): every
// file of test/integration/ runs here as under `npm test`, each harness on a PostgreSQL database of its own
// (test/helpers/harness.ts), so both runs count the same files and tests. What only one engine has is tested beside it:
// test/integration/sqlite/ (the file, its backups, the SQLite queue's statements) under `npm test`, and
// test/integration/postgres/*.pg.test.ts (pool, migrations, queue across instances, store contracts) under `npm test`
// with TEST_DATABASE_URL set.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/integration/*.test.ts'],
    env: { TEST_ENGINE: 'postgres' },
    pool: 'forks',
    // Vitest's default is one worker per CPU but one: a single file at a time on a 2-vCPU machine, where most files
    // spend much of their time importing modules or waiting on a child process, a socket or PostgreSQL. Three keep both
    // CPUs busy: the whole of `npm test` took 206 s with three, 243 s with two (same machine, same hour).
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    globalSetup: ['test/helpers/postgres-template.ts'],
  },
});
