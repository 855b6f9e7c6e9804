// The integration suite once more, on PostgreSQL (npm run test:postgres; TEST_DATABASE_URL names the server): every
// harness runs the app on a database of its own (test/helpers/harness.ts). The files below still need SQLite; each
// says why. Store contracts and the *.pg.test.ts suites already run on PostgreSQL under `npm test`.
import { defineConfig } from 'vitest/config';

/** Integration files not run on PostgreSQL, each with its reason (`npm test` runs all of them on SQLite). */
export const sqliteOnly: Record<string, string> = {
  // ── SQLite by design ──
  'crash-safety.test.ts': 'kills the app mid-send and reopens the same SQLite file (WAL recovery); PostgreSQL crash recovery is the server\'s',
  'backup.test.ts': 'file backups (BACKUP_DIR) are SQLite\'s only: composeApp turns them off on another engine',
  'deferred-storage.test.ts': 'the SQLite storage wrapped to answer later: the stand-in for PostgreSQL this run replaces',
  'sqlite-storage.test.ts': 'the SQLite storage factory itself (PostgreSQL\'s is covered by test/integration/postgres/*.pg.test.ts)',
  'cli-sqlite-only.test.ts': 'the CLI\'s backup and restore, which work on the SQLite file only (it checks they refuse with DATABASE_URL)',
  'cli-restore.test.ts': 'restore copies a SQLite backup file over the database file',
  'job-queue.test.ts': 'the SQLite queue and worker on a file of their own (PostgreSQL\'s queue: postgres/job-queue-*.pg.test.ts)',
  'job-queue-contract.test.ts': 'the queue contract on SQLite; the same contract runs on PostgreSQL in postgres/job-queue-contract.pg.test.ts',
  'job-queue-settlement.test.ts': 'the SQLite queue\'s statement shapes (claims in due order, completions batched per microtask turn)',
  'access-tokens.test.ts': 'access tokens over SQLite stores it builds itself, not the harness (tokens on PostgreSQL: postgres/tokens.pg.test.ts)',
  'cli.test.ts': 'the CLI on a SQLite file it opens itself (not the harness); npm test runs it',
  'privacy-promises.test.ts': 'dumps every table through sqlite_master and pragma_table_info: not yet written for both engines',
  // ── no database of the harness: the same on either engine, so run once, by npm test ──
  'api-client.test.ts': 'the HighLevel API client against nock, on a SQLite token store of its own',
  'readiness.test.ts': '/readyz over an in-memory SQLite storage of its own, not the harness',
  'provider-delivery-outage.test.ts': 'a database outage faked with an inbox store of its own, not the harness',
  'sandbox.test.ts': 'sandbox mode, which keeps its own SQLite file',
  'sandbox-isolation.test.ts': 'sandbox mode, which keeps its own SQLite file',
  'sandbox-twilio.test.ts': 'sandbox mode, which keeps its own SQLite file',
  'standin.test.ts': 'the HighLevel stand-in over HTTP: no app database',
  'standin-conversation-channel.test.ts': 'the HighLevel stand-in over HTTP: no app database',
  'start-modes.test.ts': 'the built app as a black box on SQLite (main.ts on PostgreSQL is checked by hand and by the several-instance test)',
};

export default defineConfig({
  test: {
    include: ['test/integration/*.test.ts'],
    exclude: Object.keys(sqliteOnly).map((name) => `test/integration/${name}`),
    env: { TEST_ENGINE: 'postgres' },
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    globalSetup: ['test/helpers/postgres-template.ts'],
  },
});
