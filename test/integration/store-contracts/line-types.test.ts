// The line type cache contract (test/contracts/line-types-contract.ts) on SQLite, each test on a fresh file.
import { createLineTypeCache } from '../../../src/store/line-types.js';
import { describeLineTypeCacheContract } from '../../contracts/line-types-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeLineTypeCacheContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createLineTypeCache(engine.db), rows: engine.rows, close: engine.close };
});
