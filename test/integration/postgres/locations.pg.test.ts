// The location store contract (test/contracts/locations-contract.ts) on PostgreSQL: one database for the file, emptied before each test.
// Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresLocationStore } from '../../../src/store/postgres/locations.js';
import { describeLocationStoreContract } from '../../contracts/locations-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL location store', () => {
  const engine = usePostgresEngine();

  describeLocationStoreContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresLocationStore(pg), rows, close() {} };
  });
});
