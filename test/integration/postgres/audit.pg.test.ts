// The audit log contract (test/contracts/audit-contract.ts) on PostgreSQL: one database for the file, emptied before each test.
// Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresAuditLog } from '../../../src/store/postgres/audit.js';
import { describeAuditLogContract } from '../../contracts/audit-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL audit log', () => {
  const engine = usePostgresEngine();

  describeAuditLogContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresAuditLog(pg), rows, close() {} };
  });
});
