// The durable job queue and its worker on a real SQLite file: leases, crash recovery, retries, give-up, pruning.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createJobQueue, type SqliteJobQueue } from '../../src/store/job-queue.js';
import { createWorker, PermanentJobError } from '../../src/scheduler/worker.js';
import { createManualClock, DAY, MINUTE, type ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';

let dir: string;
let db: Db;
let queue: SqliteJobQueue;
let clock: ManualClock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-jobs-'));
  db = openDatabase(join(dir, 'jobs.sqlite'));
  queue = createJobQueue(db);
  clock = createManualClock();
});
afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

const status = (id = 1) => db.prepare('SELECT status, attempts, last_error AS error FROM jobs WHERE id = ?').get(id) as { status: string; attempts: number; error: string | null };

describe('job queue', () => {
  it('when a job with the same dedupe key is enqueued twice, then it is stored once', () => {
    expect(queue.enqueue({ kind: 'k', payload: 1, runAt: clock.now(), dedupeKey: 'a' }, clock.now())).toBe(true);
    expect(queue.enqueue({ kind: 'k', payload: 2, runAt: clock.now(), dedupeKey: 'a' }, clock.now())).toBe(false);
    expect(queue.counts().pending).toBe(1);
  });

  it('when a job is claimed, then nobody else can claim it until its lease expires, and then it comes back', () => {
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    expect(queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(1);
    expect(queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(0);
    clock.advance(30_000);
    expect(queue.recoverExpiredLeases(clock.now())).toBe(0);
    clock.advance(31_000);
    expect(queue.recoverExpiredLeases(clock.now())).toBe(1);
    const [again] = queue.claimDue(clock.now(), 10, MINUTE);
    expect(again.attempts).toBe(2);
  });

  it('when the process restarts, then jobs it was running are runnable at once', () => {
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    queue.claimDue(clock.now(), 10, 10 * MINUTE);
    expect(queue.recoverAfterRestart(clock.now())).toBe(1);
    expect(queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(1);
  });

  it('when due jobs are looked up, then SQLite uses the partial index on due time (built for 1M pending rows)', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE status = 'pending' AND run_at <= 1 ORDER BY run_at LIMIT 10`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('jobs_due');
  });

  it('when finished jobs are older than the cut-off, then pruning removes them and keeps pending ones', () => {
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() + DAY }, clock.now());
    const [job] = queue.claimDue(clock.now(), 1, MINUTE);
    queue.complete(job.id, clock.now());
    clock.advance(8 * DAY);
    expect(queue.prune(clock.now() - 7 * DAY)).toBe(1);
    expect(queue.counts()).toMatchObject({ pending: 1, done: 0 });
  });
});

describe('worker', () => {
  function worker(handler: (payload: unknown) => Promise<void | { runAgainAt: number }>) {
    return createWorker({ queue, clock, logger: silentLogger, handlers: { k: (job) => handler(job.payload) }, backoff: (n) => n * 1000 });
  }

  it('when a handler fails, then the job is retried after its backoff and succeeds', async () => {
    let calls = 0;
    const w = worker(async () => { if (++calls === 1) throw new Error('flaky'); });
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await w.runDue();
    expect(status()).toMatchObject({ status: 'pending', attempts: 1, error: 'flaky' });
    await w.runDue();
    expect(calls).toBe(1);
    clock.advance(1000);
    await w.runDue();
    expect(status().status).toBe('done');
  });

  it('when a handler keeps failing, then the job gives up after its attempts with the error recorded', async () => {
    const w = worker(async () => { throw new Error('always'); });
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now(), maxAttempts: 3 }, clock.now());
    for (let i = 0; i < 5; i++) { await w.runDue(); clock.advance(10_000); }
    expect(status()).toMatchObject({ status: 'failed', attempts: 3, error: 'always' });
  });

  it('when a handler throws a permanent error, then the job fails at once', async () => {
    const w = worker(async () => { throw new PermanentJobError('bad payload'); });
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await w.runDue();
    expect(status()).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('when a handler asks to run again later, then it is rescheduled without counting a failure', async () => {
    let runs = 0;
    const w = worker(async () => (++runs === 1 ? { runAgainAt: clock.now() + 5 * MINUTE } : undefined));
    queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await w.runDue();
    expect(status()).toMatchObject({ status: 'pending', attempts: 0 });
    clock.advance(5 * MINUTE);
    await w.runDue();
    expect(status().status).toBe('done');
  });

  it('when two jobs concern the same subject, then they run one after the other', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const w = worker(async (payload) => {
      log.push(`start ${payload}`);
      if (payload === 1) await gate;
      log.push(`end ${payload}`);
    });
    queue.enqueue({ kind: 'k', payload: 1, runAt: clock.now(), locationId: 'l', subject: '+1' }, clock.now());
    queue.enqueue({ kind: 'k', payload: 2, runAt: clock.now(), locationId: 'l', subject: '+1' }, clock.now());
    const run = w.runDue();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await run;
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});
