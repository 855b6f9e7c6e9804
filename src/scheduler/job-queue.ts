// The durable job queue on SQLite: enqueue with dedupe, claim due jobs under a lease, settle, cancel, recover, prune.
import type { Db } from '../store/db.js';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface NewJob {
  kind: string;
  payload: unknown;
  runAt: number;
  locationId?: string | null;
  subject?: string | null;
  /** A second enqueue with the same key is ignored: that is how webhook redeliveries and double schedules collapse. */
  dedupeKey?: string | null;
  /** For recurring jobs: a finished (done, failed, cancelled) job with the same key is brought back instead. */
  revive?: boolean;
  maxAttempts?: number;
}

export interface Job {
  id: number;
  kind: string;
  locationId: string | null;
  subject: string | null;
  dedupeKey: string | null;
  payload: unknown;
  status: JobStatus;
  runAt: number;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: number;
}

interface JobRow {
  id: number; kind: string; location_id: string | null; subject: string | null; dedupe_key: string | null;
  payload: string; status: JobStatus; run_at: number; attempts: number; max_attempts: number;
  last_error: string | null; created_at: number;
}

const toJob = (row: JobRow): Job => ({
  id: row.id, kind: row.kind, locationId: row.location_id, subject: row.subject, dedupeKey: row.dedupe_key,
  payload: JSON.parse(row.payload), status: row.status, runAt: row.run_at, attempts: row.attempts,
  maxAttempts: row.max_attempts, lastError: row.last_error, createdAt: row.created_at,
});

export type JobQueue = ReturnType<typeof createJobQueue>;

export function createJobQueue(db: Db) {
  const insert = db.prepare(`
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at)
    VALUES (@kind, @locationId, @subject, @dedupeKey, @payload, 'pending', @runAt, @maxAttempts, @createdAt)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const insertOrRevive = db.prepare(`
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at)
    VALUES (@kind, @locationId, @subject, @dedupeKey, @payload, 'pending', @runAt, @maxAttempts, @createdAt)
    ON CONFLICT (dedupe_key) DO UPDATE SET status = 'pending', run_at = excluded.run_at, payload = excluded.payload,
      attempts = 0, last_error = NULL, finished_at = NULL, lease_until = NULL
    WHERE jobs.status IN ('done', 'failed', 'cancelled')`);
  // Two statements in one transaction rather than `UPDATE … WHERE id IN (SELECT …) RETURNING *`: SQLite runs that
  // form about 3× slower (measured in docs/performance.md), and this one returns the jobs in due order.
  const dueIds = db.prepare(`SELECT id FROM jobs WHERE status = 'pending' AND run_at <= ? ORDER BY run_at LIMIT ?`).pluck();
  const claimOne = db.prepare(`
    UPDATE jobs SET status = 'running', lease_until = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'
    RETURNING *`);
  const claim = db.transaction((now: number, limit: number, leaseUntil: number) => {
    const rows: JobRow[] = [];
    for (const id of dueIds.all(now, limit) as number[]) {
      const claimed = claimOne.get(leaseUntil, id) as JobRow | undefined;
      if (claimed) rows.push(claimed);
    }
    return rows;
  });
  const nextDue = db.prepare(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'`).pluck();
  const complete = db.prepare(`UPDATE jobs SET status = 'done', lease_until = NULL, finished_at = @at WHERE id = @id`);
  const completeAndForget = db.prepare(`UPDATE jobs SET status = 'done', lease_until = NULL, finished_at = @at, payload = 'null' WHERE id = @id`);
  const retry = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @runAt, last_error = @error WHERE id = @id`);
  const reschedule = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @runAt, attempts = 0, last_error = NULL WHERE id = @id`);
  const giveUp = db.prepare(`
    UPDATE jobs SET status = 'failed', lease_until = NULL, last_error = @error, finished_at = @at WHERE id = @id`);
  const recover = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @now,
      last_error = 'lease expired (worker stopped or crashed while running it)'
    WHERE status = 'running' AND lease_until < @now`);
  const recoverAll = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = MIN(run_at, @now),
      last_error = 'interrupted by a restart while running'
    WHERE status = 'running'`);
  const prune = db.prepare(`DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled') AND finished_at < @before`);
  const hasPending = db.prepare(`SELECT 1 FROM jobs WHERE status = 'pending' AND location_id = ? AND subject = ? AND kind = ? LIMIT 1`).pluck();
  const counts = db.prepare(`SELECT status, COUNT(*) AS n FROM jobs GROUP BY status`);

  const row = (job: NewJob, now: number) => ({
    kind: job.kind,
    locationId: job.locationId ?? null,
    subject: job.subject ?? null,
    dedupeKey: job.dedupeKey ?? null,
    payload: JSON.stringify(job.payload ?? null),
    runAt: Math.round(job.runAt),
    maxAttempts: job.maxAttempts ?? 8,
    createdAt: now,
  });

  // Completions are written together, one transaction per microtask turn, instead of one commit per job: the worker
  // settles the jobs it ran side by side in the same turn, and a commit costs about as much as an Ed25519 verify.
  // The flush runs before the turn ends, so no other event (a request, a timer) ever sees a completed job as running;
  // every method below flushes first, so callers of this queue never do either. A crash before the flush leaves the
  // job "running": it is recovered and re-run at start-up, which handlers tolerate (they re-run after a crash anyway).
  type Completion = { id: number; at: number; forgetPayload: boolean };
  let completed: Completion[] = [];
  let flushQueued = false;
  const completeAll = db.transaction((items: Completion[]) => {
    for (const { id, at, forgetPayload } of items) (forgetPayload ? completeAndForget : complete).run({ id, at });
  });
  function flushCompleted(): void {
    if (completed.length === 0) return;
    const items = completed;
    completed = [];
    try {
      completeAll(items);
    } catch (error) {
      completed = items.concat(completed);
      throw error;
    }
  }
  function flushSoon(): void {
    flushQueued = false;
    // A failure here (database closed or busy) keeps the completions for the next queue call, which then reports it.
    if (db.open) try { flushCompleted(); } catch { /* retried by the next call */ }
  }

  return {
    /** True when stored, false when a job with the same dedupe key already exists. */
    enqueue(job: NewJob, now: number): boolean {
      flushCompleted();
      return (job.revive ? insertOrRevive : insert).run(row(job, now)).changes === 1;
    },
    claimDue(now: number, limit: number, leaseMs: number): Job[] {
      flushCompleted();
      return claim.immediate(now, limit, now + leaseMs).map(toJob);
    },
    nextDueAt(): number | null {
      flushCompleted();
      return (nextDue.get() as number | null) ?? null;
    },
    /**
     * `forgetPayload`: the job carried someone's raw words (an inbound event); once handled, only the row stays.
     * Written before the current microtask turn ends (see above).
     */
    complete(id: number, at: number, forgetPayload = false): void {
      completed.push({ id, at, forgetPayload });
      if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(flushSoon);
      }
    },
    retry(id: number, runAt: number, error: string): void {
      flushCompleted();
      retry.run({ id, runAt: Math.round(runAt), error });
    },
    /** The job asked to run again later (e.g. deferred to the send window): not a failure, attempts start over. */
    reschedule(id: number, runAt: number): void {
      flushCompleted();
      reschedule.run({ id, runAt: Math.round(runAt) });
    },
    fail(id: number, error: string, at: number): void {
      flushCompleted();
      giveUp.run({ id, error, at });
    },
    /** Cancels pending jobs of a location, optionally only those about one subject and of some kinds. */
    cancel(filter: { locationId: string; subject?: string; kinds?: string[] }, at: number): number {
      flushCompleted();
      const clauses = [`status = 'pending'`, 'location_id = @locationId'];
      if (filter.subject !== undefined) clauses.push('subject = @subject');
      if (filter.kinds?.length) clauses.push(`kind IN (${filter.kinds.map((_, i) => `@k${i}`).join(', ')})`);
      const params: Record<string, unknown> = { locationId: filter.locationId, subject: filter.subject, at };
      filter.kinds?.forEach((kind, i) => { params[`k${i}`] = kind; });
      return db.prepare(`UPDATE jobs SET status = 'cancelled', finished_at = @at WHERE ${clauses.join(' AND ')}`)
        .run(params).changes;
    },
    hasPending(filter: { locationId: string; subject: string; kind: string }): boolean {
      flushCompleted();
      return hasPending.get(filter.locationId, filter.subject, filter.kind) === 1;
    },
    /** Jobs whose worker died mid-run go back to pending; their attempt was already counted. */
    recoverExpiredLeases(now: number): number {
      flushCompleted();
      return recover.run({ now }).changes;
    },
    /** At start-up of the one process that owns the database: whatever was running died with the last process. */
    recoverAfterRestart(now: number): number {
      flushCompleted();
      return recoverAll.run({ now }).changes;
    },
    prune(before: number): number {
      flushCompleted();
      return prune.run({ before }).changes;
    },
    counts(): Record<JobStatus, number> {
      flushCompleted();
      const out: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
      for (const { status, n } of counts.all() as { status: JobStatus; n: number }[]) out[status] = n;
      return out;
    },
  };
}
