// The send ledger contract (test/contracts/ledger-contract.ts) on SQLite, each test on a fresh file.
import { createSendLedger } from '../../../src/store/ledger.js';
import { createJobQueue } from '../../../src/store/job-queue.js';
import { describeSendLedgerContract } from '../../contracts/ledger-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeSendLedgerContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createSendLedger(engine.db, createJobQueue(engine.db)), rows: engine.rows, close: engine.close };
});
