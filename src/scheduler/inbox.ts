// Group commit for incoming events: every add() made in the same tick goes to the store as ONE batch (one
// transaction), and each caller's promise settles only after that batch committed, so a 200 always means "stored durably".
import type { Clock } from '../lib/clock.js';
import type { InboxItem, InboxResult, InboxStore, NewJob } from './queue-port.js';

export type { InboxResult } from './queue-port.js';

interface Pending extends InboxItem {
  resolve: (result: InboxResult) => void;
  reject: (error: unknown) => void;
}

export type Inbox = ReturnType<typeof createInbox>;

export function createInbox(deps: { store: InboxStore; clock: Clock; maxBatch?: number; onCommit?: (stored: number) => void }) {
  const maxBatch = deps.maxBatch ?? 512;
  let batch: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const items = batch;
    batch = [];
    if (items.length === 0) return;
    let results: InboxResult[];
    try {
      results = await deps.store.store(items, deps.clock.now());
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
        if (batch.length >= maxBatch) void flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
