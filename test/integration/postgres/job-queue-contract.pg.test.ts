// The job queue contract (test/contracts/job-queue-contract.ts) on the PostgreSQL engine: one database for the file,
// emptied before each test. Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { afterAll, beforeAll, describe } from 'vitest';
import { createPostgresJobQueue } from '../../../src/store/postgres/job-queue.js';
import type { Postgres } from '../../../src/store/postgres/pool.js';
import { describeJobQueueContract } from '../../contracts/job-queue-contract.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

describe.runIf(hasPostgres)('PostgreSQL job queue', () => {
  let database: TestDatabase;
  let pg: Postgres;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    pg = database.open();
  });
  afterAll(async () => { await database?.drop(); });

  describeJobQueueContract('PostgreSQL', async ({ priorityOf }) => {
    await pg.pool.query('TRUNCATE jobs RESTART IDENTITY');
    const queue = createPostgresJobQueue(pg, { priorityOf, listen: false });
    return { queue, close: () => queue.close() };
  });
});
