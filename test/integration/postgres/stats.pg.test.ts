// The stats contract (test/contracts/stats-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresStats } from '../../../src/store/postgres/stats.js';
import { describeStatsContract } from '../../contracts/stats-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL stats', () => {
  const engine = usePostgresEngine();
  describeStatsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresStats(pg), rows, close() {} };
  });
});
