// The database health contract (test/contracts/database-health-contract.ts) on SQLite, each test on a fresh file.
import { createDatabaseHealth } from '../../../src/store/database-health.js';
import { describeDatabaseHealthContract } from '../../contracts/database-health-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeDatabaseHealthContract('SQLite', () => {
  const engine = openSqliteEngine();
  let closed = false;
  const close = () => {
    if (!closed) engine.close();
    closed = true;
  };
  return { store: createDatabaseHealth(engine.db), rows: engine.rows, close };
});
