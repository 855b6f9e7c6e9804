// Vitest global setup for the integration suite on PostgreSQL (vitest.postgres.config.ts, and npm test when
// TEST_DATABASE_URL is set, through postgres-template-if-configured.ts): one migrated database,
// made once per run, that every harness copies (CREATE DATABASE … TEMPLATE) instead of migrating a new one; dropped
// at the end. Workers read its name from TEXTBACK_POSTGRES_TEMPLATE, and find SHOW synchronous_commit checked here.
import pg from 'pg';
import { migratePostgres } from '../../src/store/postgres/migrate.js';
import { createTestDatabase } from './postgres.js';

export default async function setup(): Promise<() => Promise<void>> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('npm run test:postgres needs TEST_DATABASE_URL (a PostgreSQL server the tests may create databases on)');
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
  await client.end();
  // The suite checks what a commit promises: a server that acknowledges before the WAL is flushed proves less.
  if (rows[0]?.synchronous_commit !== 'on') throw new Error(`synchronous_commit is ${rows[0]?.synchronous_commit} on the test server: the suite wants it on`);
  const template = await createTestDatabase();
  const opened = template.open({ max: 1 });
  await migratePostgres(opened.pool);
  await opened.close(); // the template must have no connection while it is copied
  process.env.TEXTBACK_POSTGRES_TEMPLATE = template.name;
  return async () => { await template.drop(); };
}
