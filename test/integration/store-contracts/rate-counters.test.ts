// The shared rate limiter contract (test/contracts/rate-counters-contract.ts) on SQLite, each test on a fresh file.
import { createSharedRateLimiter } from '../../../src/store/rate-counters.js';
import { describeSharedRateLimiterContract } from '../../contracts/rate-counters-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeSharedRateLimiterContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: (options) => createSharedRateLimiter(engine.db, options), rows: engine.rows, close: engine.close };
});
