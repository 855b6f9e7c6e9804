// The provider receipts contract (test/contracts/provider-receipts-contract.ts) on PostgreSQL.
import { describe } from 'vitest';
import { createPostgresProviderReceipts } from '../../../src/store/postgres/provider-receipts.js';
import { describeProviderReceiptsContract } from '../../contracts/provider-receipts-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL provider receipts', () => {
  const engine = usePostgresEngine();
  describeProviderReceiptsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresProviderReceipts(pg), rows, close() {} };
  });
});
