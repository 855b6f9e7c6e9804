// The inbox's store on SQLite: a batch of incoming events, each a receipt and a job, committed in ONE transaction.
import type { Db } from './db.js';
import type { SqliteJobQueue } from './job-queue.js';
import type { WebhookReceipts } from './webhook-receipts.js';
import type { InboxCommit, InboxHandOff, InboxItem, InboxResult, InboxStore, Job } from '../scheduler/queue-port.js';

export function createWebhookInbox(db: Db, deps: {
  queue: Pick<SqliteJobQueue, 'enqueue' | 'enqueueClaimed' | 'hasDue' | 'lineIsBusy'>;
  receipts: Pick<WebhookReceipts, 'remember'>;
}) {
  // The receipt and the job commit together: a redelivery finds the receipt even after the job was pruned, and a
  // failed commit leaves neither, so the sender's next try is stored.
  const commit = db.transaction((items: readonly InboxItem[], now: number, handOff: InboxHandOff | null): InboxCommit => {
    const claimed: Job[] = [];
    // Nothing due may be overtaken: with a job waiting for a claim, every job of the batch waits its turn too.
    let room = handOff && !deps.queue.hasDue(now) ? handOff.limit : 0;
    const results = items.map((item): InboxResult => {
      if (item.receiptKey && !deps.receipts.remember(item.receiptKey, now)) return 'duplicate';
      // Checked in the same transaction as the insert, after the batch's earlier items: a caller's second event
      // in one batch finds the first in its line and waits behind it.
      if (handOff && room > 0 && !item.job.revive && item.job.runAt <= now && !deps.queue.lineIsBusy(item.job)) {
        const job = deps.queue.enqueueClaimed(item.job, now, handOff.leaseUntil);
        if (!job) return 'duplicate';
        claimed.push(job);
        room -= 1;
        return 'stored';
      }
      return deps.queue.enqueue(item.job, now) ? 'stored' : 'duplicate';
    });
    return { results, claimed };
  });
  return {
    store: (items: readonly InboxItem[], now: number): InboxResult[] => commit(items, now, null).results,
    storeAndClaim: (items: readonly InboxItem[], now: number, handOff: InboxHandOff): InboxCommit => commit(items, now, handOff),
  } satisfies InboxStore;
}
