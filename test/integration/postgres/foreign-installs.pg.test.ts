// The foreign install check contract (test/contracts/foreign-installs-contract.ts) on PostgreSQL, emptied per test.
import { describe } from 'vitest';
import { createPostgresForeignInstallCheck } from '../../../src/store/postgres/foreign-installs.js';
import { describeForeignInstallCheckContract } from '../../contracts/foreign-installs-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL foreign install check', () => {
  const engine = usePostgresEngine();
  describeForeignInstallCheckContract('PostgreSQL', async (ownIds) => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresForeignInstallCheck(pg, ownIds), rows, close() {} };
  });
});
