// The frame origins contract (test/contracts/frame-origins-contract.ts) on SQLite, each test on a fresh file.
import { createFrameOrigins } from '../../../src/store/frame-origins.js';
import { describeFrameOriginsContract } from '../../contracts/frame-origins-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeFrameOriginsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createFrameOrigins(engine.db), rows: engine.rows, close: engine.close };
});
