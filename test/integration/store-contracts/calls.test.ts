// The call log contract (test/contracts/calls-contract.ts) on SQLite, each test on a fresh file.
import { createCallLog } from '../../../src/store/calls.js';
import { describeCallLogContract } from '../../contracts/calls-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeCallLogContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createCallLog(engine.db), rows: engine.rows, close: engine.close };
});
