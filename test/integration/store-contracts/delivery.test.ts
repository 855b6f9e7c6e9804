// The delivery log contract (test/contracts/delivery-contract.ts) on SQLite, each test on a fresh file.
import { createDeliveryLog } from '../../../src/store/delivery.js';
import { describeDeliveryLogContract } from '../../contracts/delivery-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeDeliveryLogContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createDeliveryLog(engine.db), rows: engine.rows, close: engine.close };
});
