// The suppression list contract (test/contracts/suppressions-contract.ts) on SQLite, each test on a fresh file.
import { createSuppressions } from '../../../src/store/suppressions.js';
import { describeSuppressionsContract } from '../../contracts/suppressions-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeSuppressionsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createSuppressions(engine.db), rows: engine.rows, close: engine.close };
});
