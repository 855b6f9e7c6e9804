// The agency look-ups contract (test/contracts/agency-lookups-contract.ts) on SQLite, each test on a fresh file.
import { createAgencyLookups } from '../../../src/store/agency-lookups.js';
import { describeAgencyLookupsContract } from '../../contracts/agency-lookups-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeAgencyLookupsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createAgencyLookups(engine.db), rows: engine.rows, close: engine.close };
});
