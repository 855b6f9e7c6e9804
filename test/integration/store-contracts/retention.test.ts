// The retention contract (test/contracts/retention-contract.ts) on SQLite, each test on a fresh file; finished jobs
// are pruned through the SQLite job queue, as the app does.
import { createRetention } from '../../../src/store/retention.js';
import { createJobQueue } from '../../../src/store/job-queue.js';
import { describeRetentionContract } from '../../contracts/retention-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeRetentionContract('SQLite', ({ batchSize }) => {
  const engine = openSqliteEngine();
  return { store: createRetention(engine.db, createJobQueue(engine.db), { batchSize, pause: async () => {} }), rows: engine.rows, close: engine.close };
});
