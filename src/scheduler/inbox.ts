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
  // The hand-off needs both ends: a worker to take jobs, and a store that can store them claimed.
  const handOff = deps.handOff && deps.store.storeAndClaim
    ? { target: deps.handOff, storeAndClaim: deps.store.storeAndClaim.bind(deps.store) }
    : null;

  /** Stores the batch, handing the worker as many of its jobs as it has room for (none without a hand-off). */
  async function commit(items: readonly InboxItem[], now: number): Promise<InboxCommit> {
    const spare = handOff?.target.spareSlots() ?? 0;
    if (!handOff || spare === 0) return { results: await deps.store.store(items, now), claimed: [] };
    return handOff.storeAndClaim(items, now, { limit: spare, leaseUntil: now + handOff.target.leaseMs });
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const items = batch;
    batch = [];
    if (items.length === 0) return;
    let committed: InboxCommit;
    try {
      committed = await commit(items, deps.clock.now());
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    const { results, claimed } = committed;
    items.forEach((item, i) => item.resolve(results[i]));
    if (claimed.length > 0) handOff?.target.adopt(claimed);
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
