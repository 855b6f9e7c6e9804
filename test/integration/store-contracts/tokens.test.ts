// The token store contract (test/contracts/tokens-contract.ts) on SQLite, each test on a fresh file.
import { createTokenStore } from '../../../src/store/tokens.js';
import { describeTokenStoreContract } from '../../contracts/tokens-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeTokenStoreContract('SQLite', (box) => {
  const engine = openSqliteEngine();
  return { store: createTokenStore(engine.db, box), rows: engine.rows, close: engine.close };
});
