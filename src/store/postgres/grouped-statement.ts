// Group commit for one kind of write: calls made while the previous statement is in flight (or in the same turn) are
// written together by the next one, so under load many callers share one statement and one commit, and a lone call
// waits for nothing but a microtask. Each caller's promise settles when the statement carrying it did.

export interface GroupedStatement<I, O> {
  (item: I): Promise<O>;
  /** Settles once nothing is waiting or in flight. */
  idle(): Promise<void>;
}

/** `write` gets the items in call order and answers one result per item, in the same order. */
export function groupStatements<I, O>(write: (items: I[]) => Promise<O[]>): GroupedStatement<I, O> {
  type Waiting = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const results = await write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    flushing = null;
  }

  const submit = (item: I) => new Promise<O>((resolve, reject) => {
    waiting.push({ item, resolve, reject });
    flushing ??= new Promise<void>((start) => queueMicrotask(start)).then(flush);
  });
  return Object.assign(submit, { idle: async () => { await flushing; } });
}
