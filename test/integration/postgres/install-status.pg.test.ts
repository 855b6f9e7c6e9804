// The install status contract (test/contracts/install-status-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresInstallStatus } from '../../../src/store/postgres/install-status.js';
import { describeInstallStatusContract } from '../../contracts/install-status-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL install status', () => {
  const engine = usePostgresEngine();
  describeInstallStatusContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresInstallStatus(pg), rows, close() {} };
  });
});
