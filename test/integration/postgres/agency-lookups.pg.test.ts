// The agency look-ups contract (test/contracts/agency-lookups-contract.ts) on PostgreSQL.
import { describe } from 'vitest';
import { createPostgresAgencyLookups } from '../../../src/store/postgres/agency-lookups.js';
import { describeAgencyLookupsContract } from '../../contracts/agency-lookups-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL agency look-ups', () => {
  const engine = usePostgresEngine();
  describeAgencyLookupsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresAgencyLookups(pg), rows, close() {} };
  });
});
