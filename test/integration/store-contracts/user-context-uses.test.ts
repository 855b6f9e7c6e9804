// The user context uses contract (test/contracts/user-context-uses-contract.ts) on SQLite, each test on a fresh file.
import { createUserContextUses } from '../../../src/store/user-context-uses.js';
import { describeUserContextUsesContract } from '../../contracts/user-context-uses-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeUserContextUsesContract('SQLite', (options) => {
  const engine = openSqliteEngine();
  return { store: createUserContextUses(engine.db, options), rows: engine.rows, close: engine.close };
});
