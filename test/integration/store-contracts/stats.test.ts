// The stats contract (test/contracts/stats-contract.ts) on SQLite, each test on a fresh file.
import { createStats } from '../../../src/store/stats.js';
import { describeStatsContract } from '../../contracts/stats-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeStatsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createStats(engine.db), rows: engine.rows, close: engine.close };
});
