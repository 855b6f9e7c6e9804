// The job queue's contract, for every engine (SQLite today, PostgreSQL next): priority, fairness across locations,
// parking, per-caller order, and the recurring jobs' look-ups. A suite calls describeJobQueueContract with a factory
// for a fresh, empty queue; every call is awaited, so an engine may answer synchronously or with promises.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Awaitable, Job, JobQueue, NewJob } from '../../src/scheduler/queue-port.js';
import { createWorker, PermanentJobError, type JobHandler } from '../../src/scheduler/worker.js';
import { priorityOf } from '../../src/jobs/registry.js';
import { createManualClock, MINUTE, type ManualClock } from '../../src/lib/clock.js';
import { createLogger, silentLogger } from '../../src/lib/logger.js';

export interface QueueFixture {
  queue: JobQueue;
  close(): Awaitable<void>;
}

/** What the factory gives the engine: each kind's priority, for jobs enqueued without one (the job registry's). */
export interface QueueOptions {
  priorityOf(kind: string): number;
}

const LEASE = 5 * MINUTE;

/** A promise and the function that resolves it: a handler says it began, a test lets it finish. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => { fire = resolve; });
  return { promise, fire };
}

export function describeJobQueueContract(name: string, makeQueue: (options: QueueOptions) => Awaitable<QueueFixture>): void {
  describe(`job queue contract: ${name}`, () => {
    let fixture: QueueFixture;
    let queue: JobQueue;
    let clock: ManualClock;
    let counter = 0;

    beforeEach(async () => {
      fixture = await makeQueue({ priorityOf });
      queue = fixture.queue;
      clock = createManualClock();
    });
    afterEach(async () => { await fixture.close(); });

    /** Enqueues a job due `dueInMs` from now (negative: already overdue) and returns its dedupe key as a label. */
    async function add(job: Partial<NewJob> & { label?: string; dueInMs?: number }): Promise<string> {
      const label = job.label ?? `job-${++counter}`;
      const now = clock.now();
      await queue.enqueue({ kind: 'k', payload: { label }, runAt: now + (job.dueInMs ?? 0), dedupeKey: label, ...job }, now);
      return label;
    }
    const labels = (jobs: Job[]) => jobs.map((job) => (job.payload as { label: string }).label);
    const claim = async (limit = 10) => queue.claimDue(clock.now(), limit, LEASE);

    describe('priority', () => {
      it('when jobs of several priorities are due, then the lowest priority value is claimed first, whatever fell due first', async () => {
        await add({ label: 'follow-up', priority: 20, dueInMs: -60_000 });
        await add({ label: 'text-back', priority: 0 });
        await add({ label: 'message', priority: 10, dueInMs: -30_000 });
        expect(labels(await claim(1))).toEqual(['text-back']);
        expect(labels(await claim(10))).toEqual(['message', 'follow-up']);
      });

      it('when kinds carry no explicit priority, then text-backs and inbound events run before follow-ups, delivery checks, catch-ups, keep-alive, retention and backups', async () => {
        const kinds = ['backup', 'retention', 'token-keepalive', 'catch-up', 'delivery-check', 'followup', 'highlevel-event', 'textback'];
        for (const [i, kind] of kinds.entries()) await add({ label: kind, kind, locationId: `loc-${i}`, subject: `s-${i}`, dueInMs: -1_000 * (kinds.length - i) });
        const order = labels(await claim(10));
        expect(order.slice(0, 2).sort()).toEqual(['highlevel-event', 'textback']);
        expect(order.slice(2)).toEqual(['followup', 'delivery-check', 'catch-up', 'token-keepalive', 'retention', 'backup']);
      });
    });

    describe('fairness across locations', () => {
      it('when one location has many due jobs, then each batch takes one job per location before a second from any', async () => {
        for (let i = 0; i < 5; i += 1) await add({ label: `busy-${i}`, locationId: 'busy', subject: `+1555000000${i}`, dueInMs: -10_000 + i });
        await add({ label: 'quiet-a', locationId: 'quiet-a', subject: '+15550001000' });
        await add({ label: 'quiet-b', locationId: 'quiet-b', subject: '+15550002000' });
        expect(labels(await claim(3)).sort()).toEqual(['busy-0', 'quiet-a', 'quiet-b']);
      });

      it('when one location has a backlog of thousands, then a job another location queued after it is in the very next batch', async () => {
        for (let i = 0; i < 2_000; i += 1) await add({ label: `busy-${i}`, locationId: 'busy', subject: `busy-${i}`, dueInMs: -60_000 + i });
        await add({ label: 'other', locationId: 'other', subject: '+15550003000' });
        expect(labels(await claim(4))).toContain('other');
      });

      it('when only one location has due work, then a batch is filled from it (no slot is left idle)', async () => {
        for (let i = 0; i < 6; i += 1) await add({ label: `only-${i}`, locationId: 'only', subject: `s-${i}` });
        expect(await claim(4)).toHaveLength(4);
      });
    });

    describe('parking', () => {
      it('when a claimed job is parked until a later time, then it holds no lease, has no attempt counted, and is claimed again from that time', async () => {
        await add({ label: 'paced', locationId: 'busy', subject: '+15550004000' });
        const [job] = await claim();
        await queue.park(job.id, clock.now() + 7_000);
        expect(await queue.counts()).toMatchObject({ pending: 1, running: 0 });
        expect(await queue.nextDueAt()).toBe(clock.now() + 7_000);
        expect(await claim()).toEqual([]);
        clock.advance(7_000);
        const [again] = await claim();
        expect(again.id).toBe(job.id);
        expect(again.attempts).toBe(1);
      });

      it('when the worker is told a location has no slot until later, then its job is parked without taking a worker slot and another location runs meanwhile', async () => {
        const ran: string[] = [];
        const slotAt = clock.now() + 4_000;
        const handler: JobHandler = async (job) => { ran.push(`${(job.payload as { label: string }).label}@${clock.now()}`); };
        const worker = createWorker({
          queue, clock, logger: silentLogger, concurrency: 1, handlers: { k: handler },
          admit: (job, now) => (job.locationId === 'paced' && now < slotAt ? slotAt : null),
        });
        await add({ label: 'paced', locationId: 'paced', subject: '+15550005000', dueInMs: -1_000 });
        await add({ label: 'other', locationId: 'other', subject: '+15550006000' });
        const start = clock.now();
        await worker.runDue();
        expect(ran).toEqual([`other@${start}`]);
        expect(await queue.counts()).toMatchObject({ pending: 1, running: 0 });
        clock.advance(4_000);
        await worker.runDue();
        expect(ran).toEqual([`other@${start}`, `paced@${slotAt}`]);
        await worker.stop();
      });
    });

    describe('per-caller order', () => {
      it('when a STOP and a later send to the same caller are due, then the STOP is claimed first and the send only after the STOP finished, whatever their priorities', async () => {
        await add({ label: 'stop', locationId: 'loc', subject: '+15550007000', priority: 30 });
        clock.advance(1);
        await add({ label: 'send', locationId: 'loc', subject: '+15550007000', priority: 0 });
        const first = await claim();
        expect(labels(first)).toEqual(['stop']);
        expect(await claim()).toEqual([]);
        await queue.complete(first[0].id, clock.now());
        expect(labels(await claim())).toEqual(['send']);
      });

      it('when a caller\'s earlier job waits for a retry, then the caller\'s later job waits behind it', async () => {
        await add({ label: 'stop', locationId: 'loc', subject: '+15550008000' });
        clock.advance(1);
        await add({ label: 'send', locationId: 'loc', subject: '+15550008000' });
        const [stop] = await claim();
        await queue.retry(stop.id, clock.now() + 5_000, 'HighLevel answered 500');
        expect(await claim()).toEqual([]);
        clock.advance(5_000);
        const again = await claim();
        expect(labels(again)).toEqual(['stop']);
        await queue.complete(again[0].id, clock.now());
        expect(labels(await claim())).toEqual(['send']);
      });

      it('when a caller\'s earlier job is parked, then the caller\'s later job waits behind it', async () => {
        await add({ label: 'first', locationId: 'loc', subject: '+15550009000' });
        clock.advance(1);
        await add({ label: 'second', locationId: 'loc', subject: '+15550009000' });
        const [first] = await claim();
        await queue.park(first.id, clock.now() + 3_000);
        expect(await claim()).toEqual([]);
        clock.advance(3_000);
        expect(labels(await claim())).toEqual(['first']);
      });

      it('when a caller\'s earlier job was deferred to a later time, then the caller\'s later jobs are not held behind it', async () => {
        await add({ label: 'deferred', locationId: 'loc', subject: '+15550010000' });
        clock.advance(1);
        await add({ label: 'stop', locationId: 'loc', subject: '+15550010000' });
        const [deferred] = await claim();
        await queue.reschedule(deferred.id, clock.now() + 8 * 60 * MINUTE);
        expect(labels(await claim())).toEqual(['stop']);
      });

      it('when the same subject is at two locations, then they are two callers and run side by side', async () => {
        await add({ label: 'a', locationId: 'loc-a', subject: '+15550011000' });
        await add({ label: 'b', locationId: 'loc-b', subject: '+15550011000' });
        expect(labels(await claim()).sort()).toEqual(['a', 'b']);
      });

      it('when a caller\'s jobs are all due at once, then a batch takes only the first of them', async () => {
        for (let i = 0; i < 3; i += 1) { await add({ label: `msg-${i}`, locationId: 'loc', subject: '+15550012000' }); clock.advance(1); }
        expect(labels(await claim())).toEqual(['msg-0']);
      });
    });

    describe('giving claimed jobs back (a stopping instance)', () => {
      it('when claimed jobs are released, then they are due again at once in the place they had, with no attempt counted', async () => {
        await add({ label: 'first', locationId: 'loc', subject: '+15550013000', dueInMs: -2_000 });
        clock.advance(1);
        await add({ label: 'second', locationId: 'loc', subject: '+15550013000' });
        await add({ label: 'alone', locationId: 'other', subject: '+15550014000' });
        const claimed = await claim();
        expect(labels(claimed).sort()).toEqual(['alone', 'first']);
        expect(await queue.release(claimed.map((job) => job.id), clock.now())).toBe(2);
        expect(await queue.counts()).toMatchObject({ pending: 3, running: 0 });
        const again = await claim();
        expect(labels(again).sort()).toEqual(['alone', 'first']);
        expect(again.map((job) => job.attempts)).toEqual([1, 1]);
      });

      it('when a job is no longer running under a lease this worker holds, then releasing it changes nothing', async () => {
        await add({ label: 'done', locationId: 'loc-a', subject: '+15550015000' });
        await add({ label: 'expired', locationId: 'loc-b', subject: '+15550016000' });
        const claimed = await claim();
        const done = claimed.find((job) => labels([job])[0] === 'done')!;
        await queue.complete(done.id, clock.now());
        clock.advance(LEASE + 1);
        expect(await queue.release(claimed.map((job) => job.id), clock.now())).toBe(0);
        expect(await queue.release([], clock.now())).toBe(0);
        expect(await queue.counts()).toMatchObject({ done: 1, running: 1, pending: 0 });
      });

      it('when the worker stops while a job runs, then that job finishes and nothing more is claimed', async () => {
        const began = signal();
        const finish = signal();
        const ran: string[] = [];
        const handler: JobHandler = async (job) => {
          ran.push((job.payload as { label: string }).label);
          began.fire();
          await finish.promise;
        };
        const worker = createWorker({ queue, clock, logger: silentLogger, concurrency: 1, handlers: { k: handler } });
        await add({ label: 'slow', locationId: 'loc-a', subject: '+15550017000', dueInMs: -1 });
        await add({ label: 'next', locationId: 'loc-b', subject: '+15550018000' });
        const draining = worker.runDue();
        await began.promise;
        const stopped = worker.stop();
        finish.fire();
        expect(await stopped).toEqual({ released: 0, unfinished: 0 });
        await draining;
        expect(ran).toEqual(['slow']);
        expect(await queue.counts()).toMatchObject({ done: 1, pending: 1, running: 0 });
      });

      it('when jobs are claimed as the worker stops, then none of them starts and they are given back at once, no attempt counted', async () => {
        const ran: string[] = [];
        let stopped: Promise<unknown> | undefined;
        const worker = createWorker({
          // A claim in flight when the stop comes (a SIGTERM during a database round trip).
          queue: { ...queue, claimDue: async (now, limit, leaseMs) => {
            const jobs = await queue.claimDue(now, limit, leaseMs);
            stopped ??= worker.stop();
            return jobs;
          } },
          clock, logger: silentLogger, handlers: { k: async (job) => { ran.push(String(job.id)); } },
        });
        await add({ label: 'a', locationId: 'loc-a', subject: '+15550019000' });
        await add({ label: 'b', locationId: 'loc-b', subject: '+15550020000' });
        await worker.runDue();
        expect(await stopped).toEqual({ released: 2, unfinished: 0 });
        expect(ran).toEqual([]);
        expect(await queue.counts()).toMatchObject({ pending: 2, running: 0 });
        expect((await claim()).map((job) => job.attempts)).toEqual([1, 1]);
      });

      it('when a job is still running once the grace period is over, then stop returns without it and its lease stays', async () => {
        const began = signal();
        const finish = signal();
        const settled = signal();
        const worker = createWorker({
          queue, clock, logger: silentLogger, stopGraceMs: 0, onSettled: () => settled.fire(),
          handlers: { k: async () => { began.fire(); await finish.promise; } },
        });
        await add({ label: 'stuck', locationId: 'loc', subject: '+15550021000' });
        const draining = worker.runDue();
        await began.promise;
        expect(await worker.stop()).toEqual({ released: 0, unfinished: 1 });
        expect(await queue.counts()).toMatchObject({ running: 1 });
        finish.fire();
        await settled.promise;
        await draining;
      });
    });

    describe('job kinds this instance does not know (rolling deploys)', () => {
      it('when a job of an unknown kind is claimed, then it is parked a minute untouched, no attempt counted, warned about once, and an instance that knows the kind runs it', async () => {
        const lines: { level: string; msg: string; kind?: string }[] = [];
        const logger = createLogger({ level: 'warn', destination: { write: (line: string) => { lines.push(JSON.parse(line)); } } });
        const ran: string[] = [];
        const older = createWorker({ queue, clock, logger, handlers: { k: async (job) => { ran.push(labels([job])[0]); } } });
        await add({ label: 'newer-1', kind: 'newer-kind', locationId: 'loc-a', subject: '+15550031000' });
        await add({ label: 'newer-2', kind: 'newer-kind', locationId: 'loc-b', subject: '+15550032000' });
        await add({ label: 'known', locationId: 'loc-c', subject: '+15550033000' });
        const start = clock.now();
        await older.runDue();
        expect(ran).toEqual(['known']);
        expect(await queue.counts()).toMatchObject({ pending: 2, running: 0, failed: 0, done: 1 });
        expect(await queue.nextDueAt()).toBe(start + MINUTE);
        expect(lines.filter((line) => line.level === 'warn').map((line) => line.kind)).toEqual(['newer-kind']);
        // Still unknown a minute later: parked again, and not warned about again.
        clock.advance(MINUTE);
        await older.runDue();
        expect(await queue.counts()).toMatchObject({ pending: 2, failed: 0 });
        expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
        await older.stop();

        clock.advance(MINUTE);
        const seen: { label: string; attempts: number; lastError: string | null }[] = [];
        const newer = createWorker({
          queue, clock, logger: silentLogger,
          handlers: { 'newer-kind': async (job) => { seen.push({ label: labels([job])[0], attempts: job.attempts, lastError: job.lastError }); } },
        });
        await newer.runDue();
        expect(seen.sort((a, b) => a.label.localeCompare(b.label))).toEqual([
          { label: 'newer-1', attempts: 1, lastError: null }, { label: 'newer-2', attempts: 1, lastError: null },
        ]);
        expect(await queue.counts()).toMatchObject({ pending: 0, done: 3, failed: 0 });
        await newer.stop();
      });
    });

    describe('a settle the database refuses', () => {
      it('when saving a job\'s failure rejects once, then the worker logs it and goes on (no unhandled rejection), and the job runs again once its lease expires', async () => {
        const lines: { level: string; msg: string; job?: number }[] = [];
        const logger = createLogger({ level: 'error', destination: { write: (line: string) => { lines.push(JSON.parse(line)); } } });
        // The database is down when the job's failure is saved: that one settle rejects.
        let refused = false;
        const failing: JobQueue = {
          ...queue,
          fail: async (...args: Parameters<JobQueue['fail']>) => {
            if (!refused) { refused = true; throw new Error('connection terminated'); }
            return queue.fail(...args);
          },
        };
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
        process.on('unhandledRejection', onUnhandled);
        try {
          let runs = 0;
          const handler: JobHandler = async () => { if (++runs === 1) throw new PermanentJobError('not this time'); };
          const worker = createWorker({ queue: failing, clock, logger, leaseMs: LEASE, handlers: { k: handler } });
          await add({ label: 'settle', locationId: 'loc', subject: '+15550034000' });
          await worker.runDue();
          await new Promise((resolve) => setImmediate(resolve));
          expect(runs).toBe(1);
          expect(unhandled).toEqual([]);
          expect(lines.some((line) => line.level === 'error' && /could not be saved/.test(line.msg))).toBe(true);
          expect(await queue.counts()).toMatchObject({ running: 1, done: 0 });
          clock.advance(LEASE + 1);
          expect(await queue.recoverExpiredLeases(clock.now())).toBe(1);
          await worker.runDue();
          expect(runs).toBe(2);
          expect(await queue.counts()).toMatchObject({ running: 0, pending: 0, done: 1 });
          await worker.stop();
        } finally {
          process.off('unhandledRejection', onUnhandled);
        }
      });
    });

    describe('recurring jobs', () => {
      it('when a kind has a pending job due later, then its next run is known and can be brought forward, and a finished one does not count', async () => {
        expect(await queue.nextRunOfKind('backup')).toBeNull();
        await add({ label: 'backup-1', kind: 'backup', dueInMs: 60 * MINUTE });
        expect(await queue.nextRunOfKind('backup')).toBe(clock.now() + 60 * MINUTE);
        expect(await queue.bringForward('backup', clock.now() + 90 * MINUTE)).toBe(0);
        expect(await queue.bringForward('backup', clock.now() + 10 * MINUTE)).toBe(1);
        expect(await queue.nextRunOfKind('backup')).toBe(clock.now() + 10 * MINUTE);
        clock.advance(10 * MINUTE);
        const [job] = await claim();
        expect(await queue.nextRunOfKind('backup')).toBe(clock.now());
        await queue.complete(job.id, clock.now());
        expect(await queue.nextRunOfKind('backup')).toBeNull();
      });
    });
  });
}
