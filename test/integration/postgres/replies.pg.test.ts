// The reply log contract (test/contracts/replies-contract.ts) on PostgreSQL: one database for the file, emptied before each test.
// Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresReplyLog } from '../../../src/store/postgres/replies.js';
import { describeReplyLogContract } from '../../contracts/replies-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL reply log', () => {
  const engine = usePostgresEngine();

  describeReplyLogContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresReplyLog(pg), rows, close() {} };
  });
});
