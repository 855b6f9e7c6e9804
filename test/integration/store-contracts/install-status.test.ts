// The install status contract (test/contracts/install-status-contract.ts) on SQLite, each test on a fresh file.
import { createInstallStatus } from '../../../src/store/install-status.js';
import { describeInstallStatusContract } from '../../contracts/install-status-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeInstallStatusContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createInstallStatus(engine.db), rows: engine.rows, close: engine.close };
});
