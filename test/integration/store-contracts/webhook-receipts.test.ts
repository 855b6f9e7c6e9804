// The webhook receipts contract (test/contracts/webhook-receipts-contract.ts) on SQLite, each test on a fresh file.
import { createWebhookReceipts } from '../../../src/store/webhook-receipts.js';
import { describeWebhookReceiptsContract } from '../../contracts/webhook-receipts-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeWebhookReceiptsContract('SQLite', () => {
  const engine = openSqliteEngine();
  return { store: createWebhookReceipts(engine.db), rows: engine.rows, close: engine.close };
});
