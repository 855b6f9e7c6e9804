// The app-wide senders contract (test/contracts/app-senders-contract.ts) on SQLite, each test on a fresh file.
import { createAppSenders } from '../../../src/store/app-senders.js';
import { describeAppSendersContract } from '../../contracts/app-senders-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeAppSendersContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createAppSenders(engine.db), rows: engine.rows, close: engine.close };
});
