// The call outcomes contract (test/contracts/call-outcomes-contract.ts) on SQLite, each test on a fresh file.
import { createCallOutcomes } from '../../../src/store/call-outcomes.js';
import { describeCallOutcomesContract } from '../../contracts/call-outcomes-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeCallOutcomesContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createCallOutcomes(engine.db), rows: engine.rows, close: engine.close };
});
