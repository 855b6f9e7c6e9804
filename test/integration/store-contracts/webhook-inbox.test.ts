// The inbox store contract (test/contracts/webhook-inbox-contract.ts) on SQLite, each test on a fresh file.
import { priorityOf } from '../../../src/jobs/registry.js';
import { createJobQueue } from '../../../src/store/job-queue.js';
import { createProviderReceipts } from '../../../src/store/provider-receipts.js';
import { createWebhookInbox } from '../../../src/store/webhook-inbox.js';
import { createWebhookReceipts } from '../../../src/store/webhook-receipts.js';
import { describeWebhookInboxContract } from '../../contracts/webhook-inbox-contract.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

describeWebhookInboxContract('SQLite', (kind) => {
  const engine = openSqliteEngine();
  const receipts = kind === 'webhook' ? createWebhookReceipts(engine.db) : createProviderReceipts(engine.db);
  const store = createWebhookInbox(engine.db, { queue: createJobQueue(engine.db, { priorityOf }), receipts });
  return { store, rows: engine.rows, close: engine.close };
});
