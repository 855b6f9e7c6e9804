// The durable job queue on PostgreSQL, for any number of instances sharing one database: the same contract as the
// SQLite queue (test/contracts/job-queue-contract.ts; docs/decisions/0008-fair-queue.md), claimed with
// FOR UPDATE SKIP LOCKED (job-claim.ts), woken by LISTEN/NOTIFY (job-wakeups.ts). Leases are the only ownership: an
// instance takes over a job only once its lease has expired, never one a live instance is running.
import type { CancelFilter, JobQueue, JobStatus, NewJob } from '../../scheduler/queue-port.js';
import { toJob, type JobRow } from '../rows/jobs.js';
import { CLAIM_SQL, LOOKAHEAD, createElsewhereMemo } from './job-claim.js';
import { enqueueJobs } from './job-enqueue.js';
import { DEADLOCK_DETECTED, UNIQUE_VIOLATION, sqlStateOf } from './error-codes.js';
import { groupStatements } from './grouped-statement.js';
import { JOBS_CHANNEL, createJobWakeups, type JobWakeups } from './job-wakeups.js';
import type { Postgres } from './pool.js';

/** A claim that lost a race on a caller's line (see claimDue) is made again, this many times at most. */
const CLAIM_ATTEMPTS = 3;
const isRaceLost = (error: unknown) => [UNIQUE_VIOLATION, DEADLOCK_DETECTED].includes(sqlStateOf(error) as string);

/** A job enqueued without a priority, of a kind `priorityOf` does not know: the column's default (migration 008). */
const DEFAULT_PRIORITY = 20;

export interface PostgresJobQueueOptions {
  /** Each kind's priority (the job registry's), for jobs enqueued without one. */
  priorityOf?: (kind: string) => number;
  /** LISTEN for other instances' enqueues (default true). Off behind PgBouncer in transaction mode: poll instead. */
  listen?: boolean;
  onError?: (error: Error) => void;
}

export type PostgresJobQueue = JobQueue & JobWakeups & {
  /** Stores several jobs in one statement (see enqueueJobs); true for each one stored. */
  enqueueMany(jobs: readonly NewJob[], now: number): Promise<boolean[]>;
  complete(id: number, at: number, forgetPayload?: boolean): Promise<void>;
};

export function createPostgresJobQueue(pg: Pick<Postgres, 'pool' | 'newClient'>, options: PostgresJobQueueOptions = {}): PostgresJobQueue {
  const db = pg.pool;
  const priorityOf = options.priorityOf ?? (() => DEFAULT_PRIORITY);
  const memo = createElsewhereMemo();
  const wakeups = createJobWakeups({ db, newClient: pg.newClient, onError: options.onError });
  // Another instance's enqueue may be a location a crowded claim skipped looking for: look again.
  const unsubscribe = options.listen === false ? () => {} : wakeups.onNotify(() => memo.enqueued());

  // Completions are written together (the worker settles the jobs it ran side by side): one statement and one commit
  // for the lot. A crash before it leaves the job running until its lease expires; handlers tolerate the re-run.
  const complete = groupStatements<{ id: number; at: number; forget: boolean }, void>(async (batch) => {
    // A function (PostgreSQL migration 013) so that the statement is planned once per connection, not on every call.
    await db.query('SELECT textback_complete_jobs($1::bigint[], $2::bigint[], $3::boolean[])',
      [batch.map((c) => c.id), batch.map((c) => c.at), batch.map((c) => c.forget)]);
    return batch.map(() => undefined);
  });
  // Single enqueues from jobs running side by side (a text-back's follow-up, a send's delivery check) share one
  // INSERT too; a key enqueued twice in one batch keeps its first job, as two enqueues in a row would.
  const enqueueOne = groupStatements<{ job: NewJob; now: number }, boolean>((batch) =>
    enqueueJobs(db, batch.map((b) => b.job), Math.max(...batch.map((b) => b.now)), priorityOf));

  const count = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0;
  const recoverExpiredLeases = (now: number) => count(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = $1,
      last_error = 'lease expired (worker stopped or crashed while running it)'
    WHERE status = 'running' AND lease_until < $1`, [now]);

  return {
    async enqueue(job, now) {
      memo.enqueued();
      return job.revive ? (await enqueueJobs(db, [job], now, priorityOf))[0] : enqueueOne({ job, now });
    },
    async enqueueMany(jobs, now) {
      memo.enqueued();
      return enqueueJobs(db, jobs, now, priorityOf);
    },
    async claimDue(now, limit, leaseMs) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const { rows } = await db.query<JobRow & { ord: number | null; crowded: number; elsewhere: number }>(CLAIM_SQL,
            [now, limit, now + leaseMs, LOOKAHEAD, memo.shouldLook(now), limit * 2]);
          memo.saw(now, rows[0]?.crowded ?? 0, rows[0]?.elsewhere ?? 0);
          return rows.filter((row) => row.ord !== null).map(toJob);
        } catch (error) {
          // Another instance's claim took a line's head this claim's snapshot did not have (migration 16), or two such
          // races crossed: nothing was claimed, and a fresh snapshot sees those lines busy.
          if (!isRaceLost(error) || attempt === CLAIM_ATTEMPTS) throw error;
        }
      }
    },
    async nextDueAt(after) {
      const { rows } = after === undefined
        ? await db.query<{ at: number | null }>(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'`)
        : await db.query<{ at: number | null }>(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending' AND run_at > $1`, [after]);
      return rows[0].at;
    },
    complete: (id, at, forgetPayload = false) => complete({ id, at, forget: forgetPayload }),
    async retry(id, runAt, error) {
      await db.query(`UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = $2, last_error = $3 WHERE id = $1`, [id, Math.round(runAt), error]);
    },
    async reschedule(id, runAt) {
      await db.query(`
        UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = $2, queued_at = $2, attempts = 0, last_error = NULL
        WHERE id = $1`, [id, Math.round(runAt)]);
    },
    async park(id, runAt) {
      await db.query(`
        UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = $2, attempts = GREATEST(0, attempts - 1)
        WHERE id = $1 AND status = 'running'`, [id, Math.round(runAt)]);
    },
    async fail(id, error, at) {
      await db.query(`UPDATE jobs SET status = 'failed', lease_until = NULL, last_error = $2, finished_at = $3 WHERE id = $1`, [id, error, at]);
    },
    async release(ids, now) {
      if (ids.length === 0) return 0;
      memo.enqueued();
      // One statement: the jobs go back (run_at and queued_at kept: due at once, same place) and, at its commit,
      // every listening instance is woken to take them.
      const { rows } = await db.query<{ n: number }>(`
        WITH released AS (
          UPDATE jobs SET status = 'pending', lease_until = NULL, attempts = GREATEST(0, attempts - 1)
          WHERE id = ANY ($1::bigint[]) AND status = 'running' AND lease_until > $2
          RETURNING id
        )
        SELECT COUNT(*) AS n, (SELECT pg_notify('${JOBS_CHANNEL}', '') FROM released LIMIT 1) IS NULL AS woken FROM released`,
      [ids, now]);
      return rows[0].n;
    },
    async cancel(filter: CancelFilter, at) {
      const values: unknown[] = [filter.locationId, at];
      const clauses = [`status = 'pending'`, 'location_id = $1'];
      if (filter.subject !== undefined) clauses.push(`subject = $${values.push(filter.subject)}`);
      if (filter.kinds?.length) clauses.push(`kind = ANY ($${values.push(filter.kinds)}::text[])`);
      return count(`UPDATE jobs SET status = 'cancelled', finished_at = $2 WHERE ${clauses.join(' AND ')}`, values);
    },
    async hasPending(filter) {
      const { rows } = await db.query(`SELECT 1 FROM jobs WHERE status = 'pending' AND location_id = $1 AND subject = $2 AND kind = $3 LIMIT 1`,
        [filter.locationId, filter.subject, filter.kind]);
      return rows.length > 0;
    },
    async nextRunOfKind(kind) {
      const { rows } = await db.query<{ at: number | null }>(`
        SELECT LEAST((SELECT MIN(run_at) FROM jobs WHERE status = 'pending' AND kind = $1),
                     (SELECT MIN(run_at) FROM jobs WHERE status = 'running' AND kind = $1)) AS at`, [kind]);
      return rows[0].at;
    },
    async bringForward(kind, runAt) {
      return count(`UPDATE jobs SET run_at = $2 WHERE status = 'pending' AND kind = $1 AND run_at > $2`, [kind, Math.round(runAt)]);
    },
    recoverExpiredLeases,
    /**
     * With several instances, "whatever was running" may belong to a live one: only expired leases are taken back
     * (a restarted instance's own jobs come back when their leases run out).
     */
    recoverAfterRestart: recoverExpiredLeases,
    async prune(before) {
      return count(`DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled') AND finished_at < $1`, [before]);
    },
    async counts() {
      const out: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
      const { rows } = await db.query<{ status: JobStatus; n: number }>(`SELECT status, COUNT(*) AS n FROM jobs GROUP BY status`);
      for (const { status, n } of rows) out[status] = n;
      return out;
    },
    notify: () => wakeups.notify(),
    onNotify: (onWake) => wakeups.onNotify(onWake),
    async close() {
      unsubscribe();
      await Promise.all([complete.idle(), enqueueOne.idle()]);
      await wakeups.close();
    },
  };
}
