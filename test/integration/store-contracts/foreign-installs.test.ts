// The foreign install check contract (test/contracts/foreign-installs-contract.ts) on SQLite, each test on a fresh file.
import { createForeignInstallCheck } from '../../../src/store/foreign-installs.js';
import { describeForeignInstallCheckContract } from '../../contracts/foreign-installs-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeForeignInstallCheckContract('SQLite', (ownIds) => {
  const engine = openSqliteEngine();
  return { store: createForeignInstallCheck(engine.db, ownIds), rows: engine.rows, close: engine.close };
});
