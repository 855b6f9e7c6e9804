// The database health contract (test/contracts/database-health-contract.ts) on PostgreSQL: each test on a pool of its
// own, which the contract closes to take the database away.
import { describe } from 'vitest';
import { createPostgresDatabaseHealth } from '../../../src/store/postgres/database-health.js';
import { describeDatabaseHealthContract } from '../../contracts/database-health-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { postgresRows, usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL database health', () => {
  const engine = usePostgresEngine();
  describeDatabaseHealthContract('PostgreSQL', () => {
    const pg = engine.open();
    return { store: createPostgresDatabaseHealth(pg), rows: postgresRows(pg), close: () => pg.close() };
  });
});
