// The call outcomes contract (test/contracts/call-outcomes-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresCallOutcomes } from '../../../src/store/postgres/call-outcomes.js';
import { describeCallOutcomesContract } from '../../contracts/call-outcomes-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL call outcomes', () => {
  const engine = usePostgresEngine();
  describeCallOutcomesContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresCallOutcomes(pg), rows, close() {} };
  });
});
