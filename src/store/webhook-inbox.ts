// The inbox's store on SQLite: a batch of incoming events, each a receipt and a job, committed in ONE transaction.
import type { Db } from './db.js';
import type { SqliteJobQueue } from './job-queue.js';
import type { WebhookReceipts } from './webhook-receipts.js';
import type { InboxItem, InboxResult, InboxStore } from '../scheduler/queue-port.js';

export function createWebhookInbox(db: Db, deps: { queue: Pick<SqliteJobQueue, 'enqueue'>; receipts: Pick<WebhookReceipts, 'remember'> }) {
  // The receipt and the job commit together: a redelivery finds the receipt even after the job was pruned, and a
  // failed commit leaves neither, so the sender's next try is stored.
  const commit = db.transaction((items: readonly InboxItem[], now: number) =>
    items.map((item): InboxResult => {
      if (item.receiptKey && !deps.receipts.remember(item.receiptKey, now)) return 'duplicate';
      return deps.queue.enqueue(item.job, now) ? 'stored' : 'duplicate';
    }));
  return {
    store: (items: readonly InboxItem[], now: number): InboxResult[] => commit(items, now),
  } satisfies InboxStore;
}
