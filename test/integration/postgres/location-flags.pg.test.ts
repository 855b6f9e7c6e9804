// The location flags contract (test/contracts/location-flags-contract.ts) on PostgreSQL: one database for the file, emptied before each test.
// Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresLocationFlags } from '../../../src/store/postgres/location-flags.js';
import { describeLocationFlagsContract } from '../../contracts/location-flags-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL location flags', () => {
  const engine = usePostgresEngine();

  describeLocationFlagsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresLocationFlags(pg), rows, close() {} };
  });
});
