// The location store contract (test/contracts/locations-contract.ts) on SQLite, each test on a fresh file.
import { createLocationStore } from '../../../src/store/locations.js';
import { describeLocationStoreContract } from '../../contracts/locations-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeLocationStoreContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createLocationStore(engine.db), rows: engine.rows, close: engine.close };
});
