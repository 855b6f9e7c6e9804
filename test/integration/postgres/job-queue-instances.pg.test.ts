// The PostgreSQL queue with several instances on one database (each its own pool): claims never overlap, a caller's
// jobs never run side by side, leases are taken over only once expired, enqueues wake the other instances, and
// batches of jobs are stored and settled together.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job, NewJob } from '../../../src/scheduler/queue-port.js';
import { enqueueJobs } from '../../../src/store/postgres/job-enqueue.js';
import { createPostgresJobQueue, type PostgresJobQueue } from '../../../src/store/postgres/job-queue.js';
import { transaction, type Postgres } from '../../../src/store/postgres/pool.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../../helpers/postgres.js';

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0);
const MINUTE = 60_000;

describe.runIf(hasPostgres)('PostgreSQL job queue with several instances', () => {
  let database: TestDatabase;
  let pools: Postgres[];
  let queues: PostgresJobQueue[];

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    pools = [database.open({ max: 4 }), database.open({ max: 4 })];
  });
  afterAll(async () => { await database?.drop(); });
  beforeEach(async () => {
    await pools[0].pool.query('TRUNCATE jobs RESTART IDENTITY');
    queues = pools.map((pg) => createPostgresJobQueue(pg, { listen: false }));
  });
  afterEach(async () => { await Promise.all(queues.map((queue) => queue.close())); });

  const job = (i: number, extra: Partial<NewJob> = {}): NewJob => ({
    kind: 'k', payload: { i }, runAt: NOW - 60_000 + i, locationId: `loc-${i % 13}`, subject: i % 5 === 0 ? null : `+1555000${i % 17}`,
    dedupeKey: `job-${i}`, ...extra,
  });

  it('when two instances claim at once while a third enqueues into the same lines, then no job is claimed twice and no caller has two jobs running', async () => {
    const total = 300;
    for (let i = 0; i < total; i += 1) await queues[0].enqueue(job(i), NOW);
    const claimedIds: number[] = [];
    const running = new Map<string, number>();
    let overlaps = 0;
    let enqueuing = true;

    // Late arrivals with places EARLIER than jobs already waiting: the case where two snapshots disagree on a head.
    const enqueuer = (async () => {
      for (let i = total; i < total + 100; i += 1) await queues[1].enqueue(job(i, { runAt: NOW - 120_000 + i }), NOW);
      enqueuing = false;
    })();
    const lineOf = (claimed: Job) => (claimed.subject === null ? null : `${claimed.locationId}|${claimed.subject}`);
    // Like the worker, a claimer claims again while its previous batch still runs; a batch is settled after the next
    // claim returned. Its lines are freed here before the completions commit: a claim of the same line by anyone can
    // only come after that commit, so an overlap seen here is a real one.
    const settle = async (queue: PostgresJobQueue, jobs: Job[]) => {
      for (const claimed of jobs) { const line = lineOf(claimed); if (line) running.delete(line); }
      await Promise.all(jobs.map((claimed) => queue.complete(claimed.id, NOW)));
    };
    const claimer = async (queue: PostgresJobQueue) => {
      let previous: Job[] = [];
      for (let idle = 0; idle < 3 || enqueuing;) {
        const jobs = await queue.claimDue(NOW, 8, 5 * MINUTE);
        idle = jobs.length === 0 ? idle + 1 : 0;
        for (const claimed of jobs) {
          claimedIds.push(claimed.id);
          const line = lineOf(claimed);
          if (line === null) continue;
          if (running.has(line)) overlaps += 1;
          running.set(line, claimed.id);
        }
        await settle(queue, previous);
        previous = jobs;
      }
      await settle(queue, previous);
    };
    await Promise.all([claimer(queues[0]), claimer(queues[1]), enqueuer]);
    await claimer(queues[0]);

    expect(overlaps).toBe(0);
    expect(new Set(claimedIds).size).toBe(claimedIds.length);
    expect(claimedIds).toHaveLength(total + 100);
    expect(await queues[0].counts()).toMatchObject({ pending: 0, running: 0, done: total + 100 });
  });

  it('when another instance took a line\'s newer head while this claim worked from an older snapshot, then this claim leaves the line alone and takes it after the head', async () => {
    const line = { locationId: 'loc-race', subject: '+15550001234' };
    await queues[0].enqueue(job(1, { ...line, runAt: NOW - MINUTE }), NOW);
    // The other instance, mid-commit: a job of the line with an earlier place, stored and already taken (running), not
    // yet committed. This claim's snapshot has neither; it sees job 1 alone, as the head, free to lock.
    const other = await pools[1].pool.connect();
    try {
      await other.query('BEGIN');
      const [newer] = (await other.query<{ id: number }>(`
        INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, queued_at, attempts, max_attempts, created_at, priority, lease_until)
        VALUES ('k', $1, $2, 'newer-head', '{}', 'running', $3, $3, 1, 5, $4, 20, $5) RETURNING id`,
      [line.locationId, line.subject, NOW - 2 * MINUTE, NOW, NOW + MINUTE])).rows;
      const claim = Promise.resolve(queues[0].claimDue(NOW, 8, MINUTE));
      // The claim reaches its update and waits on the other instance's running job of the same line (migration 16);
      // without that index it would have returned job 1 already.
      let waiting = false;
      let done = false;
      void claim.finally(() => { done = true; });
      while (!waiting && !done) {
        const { rows } = await pools[1].pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_locks WHERE NOT granted`);
        waiting = rows[0].n > 0;
      }
      await other.query('COMMIT');
      expect(await claim).toEqual([]);
      expect(await queues[0].counts()).toMatchObject({ pending: 1, running: 1 });

      await queues[1].complete(newer.id, NOW);
      const [next] = await queues[0].claimDue(NOW, 8, MINUTE);
      expect(next).toMatchObject({ dedupeKey: 'job-1', ...line });
    } finally {
      other.release();
    }
  });

  it('when an instance\'s lease is live, then another instance neither recovers nor claims its job; once expired, it takes it over', async () => {
    await queues[0].enqueue(job(1), NOW);
    const [held] = await queues[0].claimDue(NOW, 1, MINUTE);
    expect(held.attempts).toBe(1);

    expect(await queues[1].recoverAfterRestart(NOW + MINUTE - 1)).toBe(0);
    expect(await queues[1].recoverExpiredLeases(NOW + MINUTE - 1)).toBe(0);
    expect(await queues[1].claimDue(NOW + MINUTE - 1, 10, MINUTE)).toEqual([]);

    expect(await queues[1].recoverExpiredLeases(NOW + MINUTE + 1)).toBe(1);
    const [taken] = await queues[1].claimDue(NOW + MINUTE + 1, 10, MINUTE);
    expect(taken.id).toBe(held.id);
    expect(taken.attempts).toBe(2);
    expect(taken.lastError).toMatch(/lease expired/);
  });

  it('when a batch is enqueued, then each job is stored once: a key repeated in the batch or already stored is a duplicate', async () => {
    await queues[0].enqueue(job(1), NOW);
    const stored = await queues[1].enqueueMany([job(1), job(2), job(2, { payload: 'second' }), job(3, { dedupeKey: null }), job(3, { dedupeKey: null })], NOW);
    expect(stored).toEqual([false, true, false, true, true]);
    expect(await queues[0].counts()).toMatchObject({ pending: 4 });
  });

  it('when a batch is enqueued inside a transaction that rolls back, then none of it is stored', async () => {
    await expect(transaction(pools[0].pool, async (client) => {
      await enqueueJobs(client, [job(1), job(2)], NOW, () => 0);
      throw new Error('receipt could not be stored');
    })).rejects.toThrow('receipt could not be stored');
    expect(await queues[0].counts()).toMatchObject({ pending: 0 });
  });

  it('when a recurring job finished, then enqueueing it with revive brings the same row back; a pending one is left as it is', async () => {
    const recurring = { kind: 'retention', payload: {}, runAt: NOW, dedupeKey: 'retention', revive: true } satisfies NewJob;
    expect(await queues[0].enqueue(recurring, NOW)).toBe(true);
    expect(await queues[0].enqueue({ ...recurring, runAt: NOW + MINUTE }, NOW)).toBe(false);
    const [first] = await queues[0].claimDue(NOW, 1, MINUTE);
    await queues[0].complete(first.id, NOW);
    expect(await queues[1].enqueue({ ...recurring, runAt: NOW + 60 * MINUTE }, NOW)).toBe(true);
    expect(await queues[0].nextRunOfKind('retention')).toBe(NOW + 60 * MINUTE);
    expect(await queues[0].counts()).toMatchObject({ pending: 1, done: 0 });
  });

  it('when many jobs complete in the same turn, then all are settled, and a forgotten payload is erased', async () => {
    for (let i = 0; i < 20; i += 1) await queues[0].enqueue(job(i, { subject: null }), NOW);
    const claimed = await queues[0].claimDue(NOW, 20, MINUTE);
    expect(claimed).toHaveLength(20);
    await Promise.all(claimed.map((c, i) => queues[0].complete(c.id, NOW + i, i === 0)));
    expect(await queues[1].counts()).toMatchObject({ running: 0, done: 20 });
    const { rows } = await pools[1].pool.query<{ payload: string; finished_at: number }>('SELECT payload, finished_at FROM jobs WHERE id = $1', [claimed[0].id]);
    expect(rows[0]).toEqual({ payload: 'null', finished_at: NOW });
  });
});

describe.runIf(hasPostgres)('PostgreSQL job queue wake-ups', () => {
  let database: TestDatabase;
  let listener: PostgresJobQueue;
  let other: PostgresJobQueue;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    listener = createPostgresJobQueue(database.open());
    other = createPostgresJobQueue(database.open(), { listen: false });
  });
  afterAll(async () => {
    await listener?.close();
    await other?.close();
    await database?.drop();
  });

  it('when another instance enqueues a job due now, then a listening instance is woken; a job due later wakes nobody', async () => {
    let wakes = 0;
    let wake: () => void = () => {};
    const nextWake = () => new Promise<void>((resolve) => { wake = resolve; });
    let connected = nextWake();
    const stop = listener.onNotify(() => { wakes += 1; wake(); });
    await connected; // the listening connection is up (a wake-up is given on every (re)connection)

    const before = wakes;
    connected = nextWake();
    await other.enqueue({ kind: 'followup', payload: {}, runAt: NOW + 60 * MINUTE, dedupeKey: 'later' }, NOW);
    await other.enqueue({ kind: 'textback', payload: {}, runAt: NOW, dedupeKey: 'now' }, NOW);
    await connected;
    expect(wakes - before).toBe(1);

    const woken = nextWake();
    await other.notify();
    await woken;
    expect(wakes - before).toBe(2);
    stop();
  });
});
