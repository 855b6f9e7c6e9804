// The caller-facts contract (test/contracts/caller-facts-contract.ts) on PostgreSQL: one database for the file,
// emptied before each test. Runs when TEST_DATABASE_URL is set (.ci/run sets it and checks that it ran).
import { describe } from 'vitest';
import { createPostgresCallerFacts } from '../../../src/store/postgres/caller-facts.js';
import { createPostgresSendLedger } from '../../../src/store/postgres/ledger.js';
import { createPostgresSuppressions } from '../../../src/store/postgres/suppressions.js';
import { createPostgresCallLog } from '../../../src/store/postgres/calls.js';
import { createPostgresReplyLog } from '../../../src/store/postgres/replies.js';
import { createPostgresLocationStore } from '../../../src/store/postgres/locations.js';
import { createPostgresLineTypeCache } from '../../../src/store/postgres/line-types.js';
import { describeCallerFactsContract } from '../../contracts/caller-facts-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL caller facts', () => {
  const engine = usePostgresEngine();

  describeCallerFactsContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return {
      store: {
        facts: createPostgresCallerFacts(pg), ledger: createPostgresSendLedger(pg), suppressions: createPostgresSuppressions(pg),
        calls: createPostgresCallLog(pg), replies: createPostgresReplyLog(pg), installations: createPostgresLocationStore(pg),
        lineTypes: createPostgresLineTypeCache(pg),
      },
      rows,
      close() {},
    };
  });
});
