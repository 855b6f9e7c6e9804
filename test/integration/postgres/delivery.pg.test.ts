// The delivery log contract (test/contracts/delivery-contract.ts) on PostgreSQL.
import { describe } from 'vitest';
import { createPostgresDeliveryLog } from '../../../src/store/postgres/delivery.js';
import { describeDeliveryLogContract } from '../../contracts/delivery-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL delivery log', () => {
  const engine = usePostgresEngine();
  describeDeliveryLogContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresDeliveryLog(pg), rows, close() {} };
  });
});
