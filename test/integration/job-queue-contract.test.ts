// The job queue contract (test/contracts/job-queue-contract.ts) on the engine under test (TEST_ENGINE): on SQLite each
// test on a fresh file; on PostgreSQL one database for the file, its jobs emptied before each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { createJobQueue } from '../../src/store/job-queue.js';
import { createPostgresJobQueue } from '../../src/store/postgres/job-queue.js';
import type { Postgres } from '../../src/store/postgres/pool.js';
import { describeJobQueueContract } from '../contracts/job-queue-contract.js';
import { engine } from '../helpers/harness.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

if (engine === 'postgres') {
  let database: TestDatabase | undefined;
  let pg: Postgres | undefined;
  beforeAll(async () => {
    database = await createTestDatabase({ template: process.env.TEXTBACK_POSTGRES_TEMPLATE, migrate: !process.env.TEXTBACK_POSTGRES_TEMPLATE });
    pg = database.open();
  });
  afterAll(async () => { await database?.drop(); });

  describeJobQueueContract('PostgreSQL', async ({ priorityOf }) => {
    if (!pg) throw new Error('the test database is not open');
    await pg.pool.query('TRUNCATE jobs RESTART IDENTITY');
    const queue = createPostgresJobQueue(pg, { priorityOf, listen: false });
    return { queue, close: () => queue.close() };
  });
} else {
  describeJobQueueContract('SQLite', ({ priorityOf }) => {
    const dir = mkdtempSync(join(tmpdir(), 'textback-contract-'));
    const db = openDatabase(join(dir, 'jobs.sqlite'));
    return {
      queue: createJobQueue(db, { priorityOf }),
      close() { db.close(); rmSync(dir, { recursive: true, force: true }); },
    };
  });
}
