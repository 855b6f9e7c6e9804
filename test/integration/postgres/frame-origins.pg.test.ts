// The frame origins contract (test/contracts/frame-origins-contract.ts) on PostgreSQL, the database emptied per test.
import { describe } from 'vitest';
import { createPostgresFrameOrigins } from '../../../src/store/postgres/frame-origins.js';
import { describeFrameOriginsContract } from '../../contracts/frame-origins-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL frame origins', () => {
  const engine = usePostgresEngine();
  describeFrameOriginsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresFrameOrigins(pg), rows, close() {} };
  });
});
