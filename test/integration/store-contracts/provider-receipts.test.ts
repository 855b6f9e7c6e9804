// The provider receipts contract (test/contracts/provider-receipts-contract.ts) on SQLite, each test on a fresh file.
import { createProviderReceipts } from '../../../src/store/provider-receipts.js';
import { describeProviderReceiptsContract } from '../../contracts/provider-receipts-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeProviderReceiptsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createProviderReceipts(engine.db), rows: engine.rows, close: engine.close };
});
