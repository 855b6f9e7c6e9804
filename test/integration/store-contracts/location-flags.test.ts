// The location flags contract (test/contracts/location-flags-contract.ts) on SQLite, each test on a fresh file.
import { createLocationFlags } from '../../../src/store/location-flags.js';
import { describeLocationFlagsContract } from '../../contracts/location-flags-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeLocationFlagsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createLocationFlags(engine.db), rows: engine.rows, close: engine.close };
});
