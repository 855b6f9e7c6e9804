// The job queue's hot-path shapes (docs/performance.md): claims in due order, completions batched per microtask turn.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/store/db.js';
import { createJobQueue, type SqliteJobQueue } from '../../../src/store/job-queue.js';
import { MINUTE } from '../../../src/lib/clock.js';

let dir: string;
let db: Db;
let queue: SqliteJobQueue;
const NOW = Date.UTC(2026, 0, 6, 16, 0, 0);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-settle-'));
  db = openDatabase(join(dir, 'jobs.sqlite'));
  queue = createJobQueue(db);
});
afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

const statusOf = (id: number) => db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id);

describe('job queue settlement', () => {
  it('when due jobs are claimed, then they come back oldest due first, leased, and only once', () => {
    for (const [key, runAt] of [['c', NOW - 1_000], ['a', NOW - 3_000], ['later', NOW + MINUTE], ['b', NOW - 2_000]] as const) {
      queue.enqueue({ kind: 'k', payload: { key }, runAt, dedupeKey: key }, NOW);
    }
    const claimed = queue.claimDue(NOW, 10, MINUTE);
    expect(claimed.map((job) => (job.payload as { key: string }).key)).toEqual(['a', 'b', 'c']);
    expect(claimed.every((job) => job.status === 'running' && job.attempts === 1)).toBe(true);
    expect(queue.claimDue(NOW, 10, MINUTE)).toEqual([]);
  });

  it('when jobs complete in one turn, then they are all done before that turn ends', async () => {
    for (let i = 0; i < 3; i += 1) queue.enqueue({ kind: 'k', payload: i, runAt: NOW }, NOW);
    const claimed = queue.claimDue(NOW, 10, MINUTE);
    for (const job of claimed) queue.complete(job.id, NOW);
    // Any later event (a request, a timer) runs after the microtask queue: it can only see them done.
    await new Promise((resolve) => setImmediate(resolve));
    expect(claimed.map((job) => statusOf(job.id))).toEqual(['done', 'done', 'done']);
  });

  it('when the queue is read right after a completion in the same turn, then it already counts the job as done', () => {
    queue.enqueue({ kind: 'k', payload: null, runAt: NOW }, NOW);
    const [job] = queue.claimDue(NOW, 1, MINUTE);
    queue.complete(job.id, NOW, true);
    expect(queue.counts()).toMatchObject({ running: 0, done: 1 });
    expect(db.prepare('SELECT payload FROM jobs WHERE id = ?').pluck().get(job.id)).toBe('null');
  });

  it('when the process dies before a completion is written, then the job is run again after the restart', () => {
    queue.enqueue({ kind: 'k', payload: null, runAt: NOW }, NOW);
    const [job] = queue.claimDue(NOW, 1, MINUTE);
    queue.complete(job.id, NOW);
    // A new process over the same file, before this one's microtask turn ended (kill -9 at that instant).
    const other = openDatabase(join(dir, 'jobs.sqlite'));
    try {
      const restarted = createJobQueue(other);
      expect(restarted.recoverAfterRestart(NOW)).toBe(1);
      expect(restarted.claimDue(NOW, 1, MINUTE).map((again) => again.id)).toEqual([job.id]);
    } finally {
      other.close();
    }
  });
});
