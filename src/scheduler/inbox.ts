// Group commit for incoming events: every add() made in the same tick lands in ONE transaction, and each
// caller's promise settles only after that transaction committed, so a 200 always means "stored durably".
import type { Clock } from '../lib/clock.js';
import type { JobQueue, NewJob } from './job-queue.js';
import type { Db } from '../store/db.js';

export type InboxResult = 'stored' | 'duplicate';

interface Pending {
  job: NewJob;
  resolve: (result: InboxResult) => void;
  reject: (error: unknown) => void;
}

export type Inbox = ReturnType<typeof createInbox>;

export function createInbox(deps: { db: Db; queue: JobQueue; clock: Clock; maxBatch?: number; onCommit?: (stored: number) => void }) {
  const maxBatch = deps.maxBatch ?? 512;
  let batch: Pending[] = [];
  let scheduled = false;

  const commit = deps.db.transaction((items: Pending[], now: number) =>
    items.map((item) => (deps.queue.enqueue(item.job, now) ? 'stored' : 'duplicate') as InboxResult));

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
    add(job: NewJob): Promise<InboxResult> {
      return new Promise<InboxResult>((resolve, reject) => {
        batch.push({ job, resolve, reject });
        if (batch.length >= maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
