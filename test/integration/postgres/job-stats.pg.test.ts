// The job stats contract (test/contracts/job-stats-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresJobStats } from '../../../src/store/postgres/job-stats.js';
import { describeJobStatsContract } from '../../contracts/job-stats-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL job stats', () => {
  const engine = usePostgresEngine();
  describeJobStatsContract('PostgreSQL', async (options) => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresJobStats(pg, options), rows, close() {} };
  });
});
