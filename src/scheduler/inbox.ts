// Group commit for incoming events: every add() made in the same tick lands in ONE transaction, and each
// caller's promise settles only after that transaction committed, so a 200 always means "stored durably".
import type { Clock } from '../lib/clock.js';
import type { JobQueue, NewJob } from '../store/job-queue.js';
import type { Db } from '../store/db.js';
import type { WebhookReceipts } from '../store/webhook-receipts.js';

export type InboxResult = 'stored' | 'duplicate';

interface Pending {
  job: NewJob;
  receiptKey: string | null;
  resolve: (result: InboxResult) => void;
  reject: (error: unknown) => void;
}

export type Inbox = ReturnType<typeof createInbox>;

export function createInbox(deps: { db: Db; queue: JobQueue; clock: Clock; receipts: Pick<WebhookReceipts, 'remember'>; maxBatch?: number; onCommit?: (stored: number) => void }) {
  const maxBatch = deps.maxBatch ?? 512;
  let batch: Pending[] = [];
  let scheduled = false;

  // The receipt and the job commit together: a redelivery finds the receipt even after the job was pruned, and a
  // failed commit leaves neither, so HighLevel's next try is stored.
  const commit = deps.db.transaction((items: Pending[], now: number) =>
    items.map((item): InboxResult => {
      if (item.receiptKey && !deps.receipts.remember(item.receiptKey, now)) return 'duplicate';
      return deps.queue.enqueue(item.job, now) ? 'stored' : 'duplicate';
    }));

  function flush(): void {
    scheduled = false;
    const items = batch;
    batch = [];
    let results: InboxResult[];
    try {
      results = commit(items, deps.clock.now());
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    items.forEach((item, i) => item.resolve(results[i]));
    const stored = results.filter((r) => r === 'stored').length;
    if (stored > 0) deps.onCommit?.(stored);
  }

  return {
    /** `receiptKey`: an event id remembered for WEBHOOK_RECEIPT_KEEP_DAYS; a second add with it is a duplicate. */
    add(job: NewJob, receiptKey?: string): Promise<InboxResult> {
      return new Promise<InboxResult>((resolve, reject) => {
        batch.push({ job, receiptKey: receiptKey ?? null, resolve, reject });
        if (batch.length >= maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
