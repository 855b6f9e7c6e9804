// The job stats contract (test/contracts/job-stats-contract.ts) on SQLite, each test on a fresh file.
import { createJobStats } from '../../../src/store/job-stats.js';
import { describeJobStatsContract } from '../../contracts/job-stats-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeJobStatsContract('SQLite', (options) => {
  const engine = openSqliteEngine();
  return { store: createJobStats(engine.db, options), rows: engine.rows, close: engine.close };
});
