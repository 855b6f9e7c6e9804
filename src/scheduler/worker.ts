// Runs due jobs: claims them under a lease, parks the ones their location's pacing cannot admit yet, serialises jobs
// about the same subject, retries with backoff, gives up; on stop, drains (bounded) and gives back what it never started.
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { RetryLaterError, errorMessage } from '../lib/errors.js';
import type { Awaitable, Job, JobQueue } from './queue-port.js';

/** A handler finishes the job, or asks for it to run again at a later time (not a failure). */
export type JobHandler = (job: Job) => Promise<void | { runAgainAt: number }>;

/** Thrown by a handler for a job that can never succeed: it fails at once, without further attempts. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface WorkerOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  clock: Clock;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  /** Longest sleep between looks at the queue when nothing is due sooner. */
  idlePollMs?: number;
  backoff?: (attempt: number) => number;
  /** Job kinds whose payload is erased once they succeed (raw inbound events: callers' words, attachment URLs). */
  forgetPayloadOf?: ReadonlySet<string>;
  /**
   * Asked before a claimed job runs: null to run it now, or the time before which it cannot make progress (its
   * location has no HighLevel slot until then). Such a job is parked until that time instead of waiting in a slot.
   * Asked for one job at a time, in claim order (an answer that needs the store may come as a promise).
   */
  admit?: (job: Job, now: number) => Awaitable<number | null>;
  onSettled?: (job: Job, outcome: 'done' | 'deferred' | 'retry' | 'failed' | 'parked', error?: unknown) => void;
  /** How long stop() waits for jobs in flight (default 20 s, inside main.ts's 25 s shutdown limit). */
  stopGraceMs?: number;
  /**
   * A claimed job of a kind this instance has no handler for (a newer instance enqueued it during a rolling deploy)
   * is parked this long, untouched and no attempt counted, for an instance that knows it (default a minute).
   */
  unknownKindParkMs?: number;
}

/** What stop() left behind: jobs given back unstarted, and jobs still running when the grace ran out (their leases
 * stay: on SQLite the next start takes them back, on PostgreSQL another instance once the lease expires). */
export interface StopReport { released: number; unfinished: number }

export const defaultBackoff = (attempt: number): number =>
  Math.min(5_000 * 2 ** (attempt - 1), 60 * 60_000) * (0.8 + Math.random() * 0.4);

export type Worker = ReturnType<typeof createWorker>;

export function createWorker(options: WorkerOptions) {
  const { queue, handlers, clock, logger } = options;
  // Jobs wait on HighLevel's answers, not on this process: more in flight costs little and keeps a slow provider
  // answer from holding everyone else's text. Pacing never holds a slot (see admit).
  const concurrency = options.concurrency ?? 32;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const idlePollMs = options.idlePollMs ?? 1_000;
  const backoff = options.backoff ?? defaultBackoff;
  const stopGraceMs = options.stopGraceMs ?? 20_000;
  const unknownKindParkMs = options.unknownKindParkMs ?? 60_000;
  /** Kinds already reported as unknown: one warning per kind, however often their jobs come by. */
  const unknownKinds = new Set<string>();
  const running = new Set<Promise<void>>();
  /** Jobs claimed and neither started nor parked yet: what a stop gives back. */
  const waiting = new Map<number, Job>();
  /** Of those, the ones already scheduled (about to start, or behind their caller's earlier job): `running` counts them. */
  const queuedBehind = new Set<number>();
  let claiming: Promise<Job[]> | undefined;
  let stopping = false;
  let stopped: Promise<StopReport> | undefined;
  const subjectTails = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let draining: Promise<number> | undefined;

  async function execute(job: Job): Promise<void> {
    const handler = handlers[job.kind];
    const started = Date.now();
    try {
      const result = await handler(job);
      if (result && typeof result.runAgainAt === 'number') {
        await queue.reschedule(job.id, result.runAgainAt);
        options.onSettled?.(job, 'deferred');
        return;
      }
      await queue.complete(job.id, clock.now(), options.forgetPayloadOf?.has(job.kind) ?? false);
      options.onSettled?.(job, 'done');
      logger.debug({ job: job.id, kind: job.kind, ms: Date.now() - started }, 'job done');
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (!permanent && job.attempts < job.maxAttempts) {
        const delay = error instanceof RetryLaterError ? error.delayMs : backoff(job.attempts);
        await queue.retry(job.id, clock.now() + delay, errorMessage(error));
        options.onSettled?.(job, 'retry', error);
        logger.warn({ job: job.id, kind: job.kind, attempt: job.attempts, delayMs: Math.round(delay), err: error }, 'job will be retried');
      } else {
        await queue.fail(job.id, errorMessage(error), clock.now());
        options.onSettled?.(job, 'failed', error);
        logger.error({ job: job.id, kind: job.kind, attempt: job.attempts, err: error }, 'job failed for good');
      }
    }
  }

  /** Jobs about the same location+subject run one after another, in claim order (a STOP never races a send). */
  function schedule(job: Job): Promise<void> {
    const key = job.subject ? `${job.locationId}:${job.subject}` : undefined;
    const previous = key ? subjectTails.get(key) : undefined;
    // A job still waiting for its turn when the worker stops has been given back: it must not start here.
    // A settle that throws (the database is down) must not become an unhandled rejection, which ends the process: the
    // job keeps its lease, and once that runs out it is taken back and runs again (here or on another instance).
    queuedBehind.add(job.id);
    const run = (previous ?? Promise.resolve())
      .then(() => {
        queuedBehind.delete(job.id);
        return waiting.delete(job.id) ? execute(job) : undefined;
      })
      .catch((error: unknown) => { logger.error({ job: job.id, kind: job.kind, err: error }, 'job outcome could not be saved; it runs again once its lease expires'); });
    if (key) {
      subjectTails.set(key, run);
      void run.finally(() => { if (subjectTails.get(key) === run) subjectTails.delete(key); });
    }
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  }

  /** Claims up to `limit` due jobs; they wait in `waiting` until started, parked or given back. */
  function claim(now: number, limit: number): Promise<Job[]> {
    const claimed = Promise.resolve(queue.claimDue(now, limit, leaseMs)).then((jobs) => {
      for (const job of jobs) waiting.set(job.id, job);
      return jobs;
    });
    claiming = claimed;
    void claimed.finally(() => { if (claiming === claimed) claiming = undefined; }).catch(() => {});
    return claimed;
  }

  /**
   * Starts claimed jobs (already in `waiting`) in claim order: an unknown kind is left for another instance, a job its
   * location's pacing cannot admit yet is parked, the rest are scheduled. Returns how many were scheduled.
   */
  async function begin(jobs: readonly Job[], now: number): Promise<number> {
    let scheduled = 0;
    for (const job of jobs) {
      // Given back meanwhile (a stop while an earlier job's admission was awaited): not this worker's any more.
      if (!waiting.has(job.id)) continue;
      if (!handlers[job.kind]) {
        await leaveUnknown(job, now);
        continue;
      }
      // Waited for only when it is a promise: a store that answers at once keeps the batch in one turn.
      const verdict = options.admit?.(job, now) ?? null;
      const parkUntil = verdict instanceof Promise ? await verdict : verdict;
      if (parkUntil !== null && parkUntil > now) {
        if (!waiting.delete(job.id)) continue;
        await queue.park(job.id, parkUntil);
        options.onSettled?.(job, 'parked');
        continue;
      }
      scheduled += 1;
      schedule(job);
    }
    return scheduled;
  }

  /** Claims and runs everything due now, until nothing is due; returns how many jobs ran (parked ones not counted). */
  async function drain(): Promise<number> {
    let ran = 0;
    while (!stopping) {
      const free = concurrency - running.size;
      if (free <= 0) {
        await Promise.race(running);
        continue;
      }
      const now = clock.now();
      const jobs = await claim(now, free);
      // Claimed while stopping: stop() gives them back.
      if (stopping) break;
      if (jobs.length === 0) {
        // Nothing claimable now, but a job still running may be what holds the next one back (a text-back waits
        // behind the missed-call event that scheduled it, in its caller's line): look again once one finishes.
        // Nudges are ignored while draining, so breaking here would leave that job to the next poll.
        if (running.size === 0) break;
        await Promise.race(running);
        continue;
      }
      ran += await begin(jobs, now);
      if (running.size > 0) await Promise.race(running);
      // Let waiting I/O (webhook requests above all) in between batches: handlers that finish without real I/O
      // would otherwise keep this loop on the event loop for as long as jobs are due.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    return ran;
  }

  /**
   * A kind this instance does not know (rolling deploys: an instance running newer code enqueued it) is not failed:
   * the job is parked untouched, no attempt counted, for an instance that knows it. It keeps its place in its
   * (location, subject) line, so later jobs about the same caller wait for it rather than overtake it.
   */
  async function leaveUnknown(job: Job, now: number): Promise<void> {
    if (!waiting.delete(job.id)) return;
    if (!unknownKinds.has(job.kind)) {
      unknownKinds.add(job.kind);
      logger.warn({ kind: job.kind, job: job.id, parkMs: unknownKindParkMs }, 'job kind unknown to this instance: its jobs are left for an instance that knows it');
    }
    await queue.park(job.id, now + unknownKindParkMs);
    options.onSettled?.(job, 'parked');
  }

  /** Gives back every claimed job not started yet (none of them starts here afterwards). */
  async function giveBack(): Promise<number> {
    if (waiting.size === 0) return 0;
    const ids = [...waiting.keys()];
    waiting.clear();
    try {
      return await queue.release(ids, clock.now());
    } catch (error) {
      logger.error({ err: error, jobs: ids.length }, 'claimed jobs could not be given back; they return when their leases expire');
      return 0;
    }
  }

  async function halt(): Promise<StopReport> {
    stopping = true;
    started = false;
    clearTimeout(timer);
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((resolve) => { graceTimer = setTimeout(() => resolve('late'), stopGraceMs); graceTimer.unref(); });
    try {
      // A claim in flight brings its jobs into `waiting`; they go back at once, for another instance to take.
      if (claiming) await Promise.race([claiming.catch(() => {}), graceOver]);
      let released = await giveBack();
      const inFlight = Promise.all([draining, ...running]).then(() => 'done' as const, () => 'done' as const);
      const outcome = await Promise.race([inFlight, graceOver]);
      // A claim that outlived the wait above lands here.
      released += await giveBack();
      const unfinished = outcome === 'done' ? 0 : running.size;
      logger.info({ released, unfinished }, unfinished > 0 ? 'worker stopped with jobs still running' : 'worker stopped');
      return { released, unfinished };
    } finally {
      clearTimeout(graceTimer);
    }
  }

  function runDue(): Promise<number> {
    draining ??= drain().finally(() => { draining = undefined; });
    return draining;
  }

  async function arm(ranNothing: boolean): Promise<void> {
    if (!started) return;
    // After a look that found due jobs but could run none (each waits behind its caller's earlier job), the next
    // chance is when something else falls due: waking for those again at once would spin.
    let next: number | null = null;
    try {
      next = await (ranNothing ? queue.nextDueAt(clock.now()) : queue.nextDueAt());
    } catch (error) {
      logger.error({ err: error }, 'worker could not read the next due time');
    }
    if (!started) return;
    clearTimeout(timer);
    const wait = next === null ? idlePollMs : Math.max(0, Math.min(idlePollMs, next - clock.now()));
    timer = setTimeout(tick, wait);
    timer.unref();
  }

  async function tick(): Promise<void> {
    let ran = 0;
    try {
      await queue.recoverExpiredLeases(clock.now());
      ran = await runDue();
    } catch (error) {
      logger.error({ err: error }, 'worker tick failed');
    }
    await arm(ran === 0);
  }

  return {
    start(): void {
      if (started) return;
      started = true;
      // A synchronous engine that cannot recover throws here, at start-up; an asynchronous one logs and goes on
      // (the jobs come back when their leases run out).
      void Promise.resolve(queue.recoverAfterRestart(clock.now()))
        .catch((error: unknown) => logger.error({ err: error }, 'jobs interrupted by the last shutdown could not be recovered'))
        .then(tick);
    },
    /** Wakes the worker now (e.g. right after a webhook was stored) instead of at its next poll. */
    nudge(): void {
      if (started && !draining) { clearTimeout(timer); timer = setTimeout(tick, 0); timer.unref(); }
    },
    runDue,
    /** The lease a claim gives: jobs handed to adopt() are stored with it. */
    leaseMs,
    /** How many more jobs this worker would run now: none when it is not running or is stopping. */
    spareSlots(): number {
      if (!started || stopping) return 0;
      let notScheduled = 0;
      for (const id of waiting.keys()) if (!queuedBehind.has(id)) notScheduled += 1;
      return Math.max(0, concurrency - running.size - notScheduled);
    },
    /**
     * Runs jobs claimed for this worker elsewhere (the inbox stores an incoming event's job already claimed when this
     * worker has room: src/scheduler/inbox.ts), exactly as jobs it claimed itself. Jobs handed over while it stops
     * go back to the queue at once.
     */
    adopt(jobs: readonly Job[]): void {
      for (const job of jobs) waiting.set(job.id, job);
      if (stopping || !started) {
        void giveBack();
        return;
      }
      void begin(jobs, clock.now()).catch((error: unknown) => {
        // A park that could not be saved: those jobs keep their leases and come back when the leases run out.
        logger.error({ err: error, jobs: jobs.length }, 'handed-over jobs could not all be started');
      });
    },
    /**
     * Stops claiming, gives back the claimed jobs it has not started, and waits for the ones running, at most
     * `stopGraceMs`. Idempotent: every call answers the same report.
     */
    stop(): Promise<StopReport> {
      stopped ??= halt();
      return stopped;
    },
  };
}
