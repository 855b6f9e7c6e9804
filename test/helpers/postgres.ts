// PostgreSQL for tests: suites run only when TEST_DATABASE_URL names a server, each in a database of its own
// (textback_test_<pid>_<random>) created from that URL and dropped afterwards. When TEXTBACK_POSTGRES_MARKER names a
// file (.ci/run sets it), every database created is noted there, so CI can tell the PostgreSQL half really ran.
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres, type Postgres, type PostgresOptions } from '../../src/store/postgres/pool.js';
import { migratePostgres } from '../../src/store/postgres/migrate.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? null;

/** True when the PostgreSQL suites should run (`describe.runIf(hasPostgres)`). */
export const hasPostgres = TEST_DATABASE_URL !== null;

export interface TestDatabase {
  /** The new database's URL. */
  url: string;
  name: string;
  /** A pool on it; the caller may open more with openPostgres(url). */
  open(options?: PostgresOptions): Postgres;
  /** Closes every pool opened through `open` and drops the database. */
  drop(): Promise<void>;
}

function requireUrl(): string {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  return TEST_DATABASE_URL;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requireUrl(), application_name: 'textback-tests' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database; with `migrate`, brings it to the current schema (by copying the run's migrated template
 * when test/helpers/postgres-template.ts made one); with `template`, a copy of that database (far quicker than
 * migrating each).
 */
export async function createTestDatabase(requested: { migrate?: boolean; template?: string } = {}): Promise<TestDatabase> {
  // A migrated database is a copy of the run's template when there is one (postgres-template.ts): same schema, faster.
  const runTemplate = process.env.TEXTBACK_POSTGRES_TEMPLATE;
  const options = requested.migrate && !requested.template && runTemplate ? { template: runTemplate } : requested;
  const name = `textback_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(async (client) => {
    if (!options.template) return client.query(`CREATE DATABASE ${name}`);
    // A copy waits out the template's last connection closing (its backend exits just after the client hung up).
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.query(`CREATE DATABASE ${name} TEMPLATE ${options.template}`);
      } catch (error) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  const marker = process.env.TEXTBACK_POSTGRES_MARKER;
  if (marker) appendFileSync(marker, `${name}\n`);
  const url = new URL(requireUrl());
  url.pathname = `/${name}`;
  const pools: Postgres[] = [];
  const open = (poolOptions?: PostgresOptions) => {
    const opened = openPostgres(url.toString(), poolOptions);
    pools.push(opened);
    return opened;
  };
  if (options.migrate) {
    const first = open({ max: 1 });
    await migratePostgres(first.pool);
  }
  return {
    url: url.toString(),
    name,
    open,
    async drop() {
      await Promise.all(pools.map((opened) => opened.close()));
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
