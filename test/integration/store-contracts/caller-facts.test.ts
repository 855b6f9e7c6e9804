// The caller-facts contract (test/contracts/caller-facts-contract.ts) on SQLite, each test on a fresh file.
import { createCallerFacts } from '../../../src/store/caller-facts.js';
import { createSendLedger } from '../../../src/store/ledger.js';
import { createSuppressions } from '../../../src/store/suppressions.js';
import { createCallLog } from '../../../src/store/calls.js';
import { createReplyLog } from '../../../src/store/replies.js';
import { createLocationStore } from '../../../src/store/locations.js';
import { createLineTypeCache } from '../../../src/store/line-types.js';
import { describeCallerFactsContract } from '../../contracts/caller-facts-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeCallerFactsContract('SQLite', () => {
  const engine = openSqliteEngine();
  const { db } = engine;
  return {
    store: {
      facts: createCallerFacts(db), ledger: createSendLedger(db), suppressions: createSuppressions(db), calls: createCallLog(db),
      replies: createReplyLog(db), installations: createLocationStore(db), lineTypes: createLineTypeCache(db),
    },
    rows: engine.rows,
    close: engine.close,
  };
});
