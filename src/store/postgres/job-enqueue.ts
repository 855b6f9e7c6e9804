// Storing jobs in the PostgreSQL queue: many in one statement (the intake's group commit passes its transaction's
// client), dedupe keys collapsing redeliveries, recurring jobs revived, and a NOTIFY when one is due already.
import { payloadText, type NewJob } from '../../scheduler/queue-port.js';
import { JOBS_CHANNEL } from './job-wakeups.js';
import type { Queryable } from './pool.js';

export const COLUMNS = 'kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at, priority, queued_at';

// Rows come in as parallel arrays (one statement whatever their number). A NOTIFY is queued when a stored job is
// due (the `woken` column only makes the statement evaluate it); PostgreSQL sends it when the transaction commits,
// and folds repeats within one transaction into one.
const INSERT_MANY = /* sql */ `
WITH stored AS (
  INSERT INTO jobs (${COLUMNS})
  SELECT kind, location_id, subject, dedupe_key, payload, 'pending', run_at, max_attempts, $9, priority, run_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[], $8::int[])
    WITH ORDINALITY AS input (kind, location_id, subject, dedupe_key, payload, run_at, max_attempts, priority, ord)
  ORDER BY ord
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING dedupe_key, run_at
)
SELECT dedupe_key, (SELECT pg_notify('${JOBS_CHANNEL}', '') FROM stored WHERE run_at <= $9 LIMIT 1) IS NULL AS woken
FROM stored`;

// A recurring job (retention, keep-alive) brings its finished row back instead of adding one.
const INSERT_OR_REVIVE = /* sql */ `
WITH stored AS (
  INSERT INTO jobs (${COLUMNS})
  VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $9, $8, $6)
  ON CONFLICT (dedupe_key) DO UPDATE SET status = 'pending', run_at = EXCLUDED.run_at, payload = EXCLUDED.payload,
    attempts = 0, last_error = NULL, finished_at = NULL, lease_until = NULL, priority = EXCLUDED.priority,
    queued_at = EXCLUDED.queued_at
  WHERE jobs.status IN ('done', 'failed', 'cancelled')
  RETURNING run_at
)
SELECT (SELECT pg_notify('${JOBS_CHANNEL}', '') FROM stored WHERE run_at <= $9 LIMIT 1) IS NULL AS woken, COUNT(*) AS n FROM stored`;

/**
 * Jobs as the parallel arrays an `unnest` of (kind, location_id, subject, dedupe_key, payload, run_at, max_attempts,
 * priority) takes: one statement whatever their number.
 */
export function jobColumns(jobs: readonly NewJob[], priorityOf: (kind: string) => number): unknown[][] {
  const column = <T>(pick: (job: NewJob) => T) => jobs.map(pick);
  return [
    column((job) => job.kind),
    column((job) => job.locationId ?? null),
    column((job) => job.subject ?? null),
    column((job) => job.dedupeKey ?? null),
    column(payloadText),
    column((job) => Math.round(job.runAt)),
    column((job) => job.maxAttempts ?? 8),
    column((job) => job.priority ?? priorityOf(job.kind)),
  ];
}

/**
 * Stores jobs; returns, for each, true when stored and false when a job with its dedupe key already exists (a key
 * repeated within `jobs` keeps its first job). Atomic with the caller's transaction when `db` is a client in one.
 */
export async function enqueueJobs(db: Queryable, jobs: readonly NewJob[], now: number, priorityOf: (kind: string) => number): Promise<boolean[]> {
  const results = new Array<boolean>(jobs.length).fill(false);
  const plain: number[] = [];
  const firstWithKey = new Map<string, number>();
  for (const [i, job] of jobs.entries()) {
    const key = job.dedupeKey ?? null;
    if (job.revive) {
      results[i] = await reviveOrInsert(db, job, now, priorityOf);
      continue;
    }
    if (key !== null) {
      if (firstWithKey.has(key)) continue;
      firstWithKey.set(key, i);
    }
    plain.push(i);
  }
  if (plain.length === 0) return results;
  const { rows } = await db.query<{ dedupe_key: string | null }>(INSERT_MANY, [...jobColumns(plain.map((i) => jobs[i]), priorityOf), now]);
  const storedKeys = new Set(rows.map((row) => row.dedupe_key));
  for (const i of plain) {
    const key = jobs[i].dedupeKey ?? null;
    results[i] = key === null || storedKeys.has(key);
  }
  return results;
}

async function reviveOrInsert(db: Queryable, job: NewJob, now: number, priorityOf: (kind: string) => number): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(INSERT_OR_REVIVE, [
    job.kind, job.locationId ?? null, job.subject ?? null, job.dedupeKey ?? null, payloadText(job),
    Math.round(job.runAt), job.maxAttempts ?? 8, job.priority ?? priorityOf(job.kind), now,
  ]);
  return rows[0].n === 1;
}
