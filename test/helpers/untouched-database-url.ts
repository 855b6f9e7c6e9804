// Sandbox suites on the PostgreSQL run (TEST_ENGINE=postgres): the sandbox starts with DATABASE_URL naming a fresh,
// empty PostgreSQL database, and at the end of the file that database must be untouched (CONTRACT, "Sandbox mode": it
// keeps its own SQLite file, never DATABASE_URL). On SQLite it registers nothing, so both runs count the same tests.
import pg from 'pg';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './postgres.js';

/** harness.ts's `engine`, read here so sandbox suites need not load the harness (and nock with it). */
const onPostgres = process.env.TEST_ENGINE === 'postgres';

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'textback-tests' });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * No session was ever opened on the database, and it holds no relation in schema public. Connections are looked at
 * from the server before this check opens its own: a backend still shown in pg_stat_activity has not yet counted its
 * session in pg_stat_database, one gone from it already has, so reading them in this order misses none.
 */
async function expectUntouched(database: TestDatabase): Promise<void> {
  const server = TEST_DATABASE_URL!;
  const open = await query<{ application: string }>(server,
    'SELECT application_name AS application FROM pg_stat_activity WHERE datname = $1', [database.name]);
  const [{ sessions }] = await query<{ sessions: number }>(server,
    'SELECT sessions::int AS sessions FROM pg_stat_database WHERE datname = $1', [database.name]);
  const relations = await query<{ name: string }>(database.url,
    "SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname");
  expect({ openConnections: open.map((row) => row.application), sessionsEver: sessions, relationsInPublic: relations.map((row) => row.name) },
    `DATABASE_URL ${database.name} used by the sandbox`).toEqual({ openConnections: [], sessionsEver: 0, relationsInPublic: [] });
}

/**
 * Call at the top of a sandbox suite: on PostgreSQL, DATABASE_URL names a database of the file's own (created empty,
 * not migrated) while its tests run, and afterAll checks the sandbox never used it, then drops it.
 */
export function startSandboxesBesideDatabaseUrl(): void {
  if (!onPostgres) return;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    vi.stubEnv('DATABASE_URL', database.url);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    if (!database) return;
    try {
      await expectUntouched(database);
    } finally {
      await database.drop();
    }
  });
}
