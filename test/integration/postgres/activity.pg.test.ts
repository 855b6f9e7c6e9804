// The activity log contract (test/contracts/activity-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresActivityLog } from '../../../src/store/postgres/activity.js';
import { describeActivityLogContract } from '../../contracts/activity-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL activity log', () => {
  const engine = usePostgresEngine();
  describeActivityLogContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresActivityLog(pg), rows, close() {} };
  });
});
