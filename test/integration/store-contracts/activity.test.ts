// The activity log contract (test/contracts/activity-contract.ts) on SQLite, each test on a fresh file.
import { createActivityLog } from '../../../src/store/activity.js';
import { describeActivityLogContract } from '../../contracts/activity-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeActivityLogContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createActivityLog(engine.db), rows: engine.rows, close: engine.close };
});
