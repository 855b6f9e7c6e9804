// The suppression list contract (test/contracts/suppressions-contract.ts) on PostgreSQL: one database for the file, emptied before each test.
// Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresSuppressions } from '../../../src/store/postgres/suppressions.js';
import { describeSuppressionsContract } from '../../contracts/suppressions-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL suppression list', () => {
  const engine = usePostgresEngine();

  describeSuppressionsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresSuppressions(pg), rows, close() {} };
  });
});
