// The call log contract (test/contracts/calls-contract.ts) on PostgreSQL: one database for the file, emptied before each test.
// Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresCallLog } from '../../../src/store/postgres/calls.js';
import { describeCallLogContract } from '../../contracts/calls-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL call log', () => {
  const engine = usePostgresEngine();

  describeCallLogContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresCallLog(pg), rows, close() {} };
  });
});
