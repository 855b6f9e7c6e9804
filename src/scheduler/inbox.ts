// Group commit for incoming events: every add() made in the same tick goes to the store as ONE batch (one
// transaction), and each caller's promise settles only after that batch committed, so a 200 always means "stored durably".
import type { Clock } from '../lib/clock.js';
import type { InboxCommit, InboxItem, InboxResult, InboxStore, Job, NewJob } from './queue-port.js';

export type { InboxResult } from './queue-port.js';

interface Pending extends InboxItem {
  resolve: (result: InboxResult) => void;
  reject: (error: unknown) => void;
}

export type Inbox = ReturnType<typeof createInbox>;

/**
 * The worker of this process, as the inbox hands it jobs: how many it could start now, the lease a claim gives, and
 * where claimed jobs go (src/scheduler/worker.ts).
 */
export interface HandOffTarget {
  spareSlots(): number;
  readonly leaseMs: number;
  adopt(jobs: Job[]): void;
}

export interface InboxDeps {
  store: InboxStore;
  clock: Clock;
  maxBatch?: number;
  /** After a commit: how many jobs were stored for a claim (not counting those handed off). */
  onCommit?: (stored: number) => void;
  /** Where a store that can (InboxStore.storeAndClaim) hands the jobs it stored claimed; without it, none is. */
  handOff?: HandOffTarget;
}

export function createInbox(deps: InboxDeps) {
  const maxBatch = deps.maxBatch ?? 512;
  let batch: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const items = batch;
    batch = [];
    if (items.length === 0) return;
    let committed: InboxCommit;
    try {
      const now = deps.clock.now();
      const spare = deps.handOff && deps.store.storeAndClaim ? deps.handOff.spareSlots() : 0;
      committed = spare > 0
        ? await deps.store.storeAndClaim!(items, now, { limit: spare, leaseUntil: now + deps.handOff!.leaseMs })
        : { results: await deps.store.store(items, now), claimed: [] };
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    const { results, claimed } = committed;
    items.forEach((item, i) => item.resolve(results[i]));
    if (claimed.length > 0) deps.handOff!.adopt(claimed);
    const stored = results.filter((r) => r === 'stored').length - claimed.length;
    if (stored > 0) deps.onCommit?.(stored);
  }

  return {
    /** `receiptKey`: an event id remembered for WEBHOOK_RECEIPT_KEEP_DAYS; a second add with it is a duplicate. */
    add(job: NewJob, receiptKey?: string): Promise<InboxResult> {
      return new Promise<InboxResult>((resolve, reject) => {
        batch.push({ job, receiptKey: receiptKey ?? null, resolve, reject });
        if (batch.length >= maxBatch) void flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
