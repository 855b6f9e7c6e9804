// The line type cache contract (test/contracts/line-types-contract.ts) on PostgreSQL.
import { describe } from 'vitest';
import { createPostgresLineTypeCache } from '../../../src/store/postgres/line-types.js';
import { describeLineTypeCacheContract } from '../../contracts/line-types-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL line type cache', () => {
  const engine = usePostgresEngine();
  describeLineTypeCacheContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresLineTypeCache(pg), rows, close() {} };
  });
});
