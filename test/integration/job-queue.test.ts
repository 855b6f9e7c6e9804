// The durable job queue and its worker on a database of their own, on the engine under test (TEST_ENGINE): leases,
// crash recovery, retries, give-up, pruning. SQLite-only details (its query plans) are in sqlite/job-queue.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { createJobQueue } from '../../src/store/job-queue.js';
import { createPostgresJobQueue } from '../../src/store/postgres/job-queue.js';
import type { Postgres } from '../../src/store/postgres/pool.js';
import type { JobQueue } from '../../src/scheduler/queue-port.js';
import { createWorker, PermanentJobError } from '../../src/scheduler/worker.js';
import { createManualClock, DAY, MINUTE, type ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { engine } from '../helpers/harness.js';
import { engineSql, type EngineSql } from '../helpers/engine-sql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

let queue: JobQueue;
let sql: EngineSql;
let clock: ManualClock;
let closeQueue: () => Promise<void>;

// PostgreSQL: one database for the file, its jobs emptied before each test (ids start at 1 again).
let database: TestDatabase | undefined;
let pg: Postgres | undefined;
beforeAll(async () => {
  if (engine !== 'postgres') return;
  database = await createTestDatabase({ template: process.env.TEXTBACK_POSTGRES_TEMPLATE, migrate: !process.env.TEXTBACK_POSTGRES_TEMPLATE });
  pg = database.open();
});
afterAll(async () => { await database?.drop(); });

beforeEach(async () => {
  clock = createManualClock();
  if (pg) {
    await pg.pool.query('TRUNCATE jobs RESTART IDENTITY');
    const opened = createPostgresJobQueue(pg, { listen: false });
    queue = opened;
    sql = engineSql({ postgres: pg });
    closeQueue = () => opened.close();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'textback-jobs-'));
    const db = openDatabase(join(dir, 'jobs.sqlite'));
    queue = createJobQueue(db);
    sql = engineSql({ sqlite: db });
    closeQueue = async () => { db.close(); rmSync(dir, { recursive: true, force: true }); };
  }
});
afterEach(async () => { await closeQueue(); });

type Status = { status: string; attempts: number; error: string | null };
const status = async (id = 1) => (await sql.get<Status>('SELECT status, attempts, last_error AS error FROM jobs WHERE id = ?', id))!;

describe('job queue', () => {
  it('when a job with the same dedupe key is enqueued twice, then it is stored once', async () => {
    expect(await queue.enqueue({ kind: 'k', payload: 1, runAt: clock.now(), dedupeKey: 'a' }, clock.now())).toBe(true);
    expect(await queue.enqueue({ kind: 'k', payload: 2, runAt: clock.now(), dedupeKey: 'a' }, clock.now())).toBe(false);
    expect((await queue.counts()).pending).toBe(1);
  });

  it('when a job is claimed, then nobody else can claim it until its lease expires, and then it comes back', async () => {
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    expect(await queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(1);
    expect(await queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(0);
    clock.advance(30_000);
    expect(await queue.recoverExpiredLeases(clock.now())).toBe(0);
    clock.advance(31_000);
    expect(await queue.recoverExpiredLeases(clock.now())).toBe(1);
    const [again] = await queue.claimDue(clock.now(), 10, MINUTE);
    expect(again.attempts).toBe(2);
  });

  it('when the process restarts, then jobs it was running come back: at once on SQLite, once their lease ran out on PostgreSQL', async () => {
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await queue.claimDue(clock.now(), 10, 10 * MINUTE);
    if (engine === 'postgres') {
      // Several instances share the database: a live lease may be another instance's, so only an expired one is taken.
      expect(await queue.recoverAfterRestart(clock.now())).toBe(0);
      expect(await queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(0);
      clock.advance(10 * MINUTE + 1);
    }
    expect(await queue.recoverAfterRestart(clock.now())).toBe(1);
    expect(await queue.claimDue(clock.now(), 10, MINUTE)).toHaveLength(1);
  });

  it('when finished jobs are older than the cut-off, then pruning removes them and keeps pending ones', async () => {
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() + DAY }, clock.now());
    const [job] = await queue.claimDue(clock.now(), 1, MINUTE);
    await queue.complete(job.id, clock.now());
    clock.advance(8 * DAY);
    expect(await queue.prune(clock.now() - 7 * DAY)).toBe(1);
    expect(await queue.counts()).toMatchObject({ pending: 1, done: 0 });
  });
});

describe('worker', () => {
  function worker(handler: (payload: unknown) => Promise<void | { runAgainAt: number }>) {
    return createWorker({ queue, clock, logger: silentLogger, handlers: { k: (job) => handler(job.payload) }, backoff: (n) => n * 1000 });
  }

  it('when a handler fails, then the job is retried after its backoff and succeeds', async () => {
    let calls = 0;
    const w = worker(async () => { if (++calls === 1) throw new Error('flaky'); });
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await w.runDue();
    expect(await status()).toMatchObject({ status: 'pending', attempts: 1, error: 'flaky' });
    await w.runDue();
    expect(calls).toBe(1);
    clock.advance(1000);
    await w.runDue();
    expect((await status()).status).toBe('done');
  });

  it('when a handler keeps failing, then the job gives up after its attempts with the error recorded', async () => {
    const w = worker(async () => { throw new Error('always'); });
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now(), maxAttempts: 3 }, clock.now());
    for (let i = 0; i < 5; i++) { await w.runDue(); clock.advance(10_000); }
    expect(await status()).toMatchObject({ status: 'failed', attempts: 3, error: 'always' });
  });

  it('when a handler throws a permanent error, then the job fails at once', async () => {
    const w = worker(async () => { throw new PermanentJobError('bad payload'); });
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await w.runDue();
    expect(await status()).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('when a handler asks to run again later, then it is rescheduled without counting a failure', async () => {
    let runs = 0;
    const w = worker(async () => (++runs === 1 ? { runAgainAt: clock.now() + 5 * MINUTE } : undefined));
    await queue.enqueue({ kind: 'k', payload: null, runAt: clock.now() }, clock.now());
    await w.runDue();
    expect(await status()).toMatchObject({ status: 'pending', attempts: 0 });
    clock.advance(5 * MINUTE);
    await w.runDue();
    expect((await status()).status).toBe('done');
  });

  it('when two jobs concern the same subject, then they run one after the other', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => { firstStarted = resolve; });
    const w = worker(async (payload) => {
      log.push(`start ${payload}`);
      if (payload === 1) { firstStarted(); await gate; }
      log.push(`end ${payload}`);
    });
    await queue.enqueue({ kind: 'k', payload: 1, runAt: clock.now(), locationId: 'l', subject: '+1' }, clock.now());
    await queue.enqueue({ kind: 'k', payload: 2, runAt: clock.now(), locationId: 'l', subject: '+1' }, clock.now());
    const run = w.runDue();
    // The first job is under way (on PostgreSQL its claim took a round trip): the second must not start beside it.
    await started;
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await run;
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});
