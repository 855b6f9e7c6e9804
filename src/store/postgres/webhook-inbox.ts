// The inbox's store on PostgreSQL (the InboxStore of src/scheduler/queue-port.ts): a batch of incoming events, each a
// receipt and a job, committed in ONE transaction (group commit) with two statements whatever the batch's size.
import type { InboxItem, InboxResult, InboxStore } from '../../scheduler/queue-port.js';
import { enqueueJobs } from './job-enqueue.js';
import { transaction, type Postgres } from './pool.js';
import type { ReceiptLog } from './receipt-keys.js';

export interface PostgresInboxDeps {
  /** Where event ids are remembered: the webhook receipts or the provider receipts (postgres/*-receipts.ts). */
  receipts: Pick<ReceiptLog, 'rememberAll'>;
  /** Each kind's priority (the job registry's), for jobs enqueued without one; as given to the job queue. */
  priorityOf: (kind: string) => number;
}

/** PostgreSQL broke a lock cycle by aborting this transaction; nothing of it was stored, so it is simply run again. */
const DEADLOCK_DETECTED = '40P01';
const ATTEMPTS = 3;

export function createPostgresWebhookInbox(pg: Pick<Postgres, 'pool'>, deps: PostgresInboxDeps): InboxStore {
  // The receipts and the jobs commit together: a redelivery finds the receipt even after the job was pruned, and a
  // failed commit leaves neither, so the sender's next try is stored. Across instances the receipts' primary key
  // decides: a redelivery landing on another instance mid-commit waits for this commit, then finds the receipt.
  const commit = (items: readonly InboxItem[], now: number) => transaction(pg.pool, async (client): Promise<InboxResult[]> => {
    const keyed = items.flatMap((item, i) => (item.receiptKey === null ? [] : [i]));
    const fresh = await deps.receipts.rememberAll(keyed.map((i) => items[i].receiptKey as string), now, client);
    const duplicate = new Set(keyed.filter((_, k) => !fresh[k]));
    const toStore = items.flatMap((_, i) => (duplicate.has(i) ? [] : [i]));
    const stored = await enqueueJobs(client, toStore.map((i) => items[i].job), now, deps.priorityOf);
    const results = items.map((): InboxResult => 'duplicate');
    toStore.forEach((i, k) => { if (stored[k]) results[i] = 'stored'; });
    return results;
  });

  return {
    async store(items, now) {
      if (items.length === 0) return [];
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await commit(items, now);
        } catch (error) {
          if (attempt >= ATTEMPTS || (error as { code?: string }).code !== DEADLOCK_DETECTED) throw error;
        }
      }
    },
  };
}
