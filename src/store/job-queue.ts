// The durable job queue on SQLite: enqueue with dedupe, claim due jobs fairly under a lease, settle, park, cancel,
// recover, prune. It implements the queue port (src/scheduler/queue-port.ts), synchronously: docs/decisions/
// 0008-fair-queue.md says how a claim chooses; test/contracts/job-queue-contract.ts is what any engine must do.
import type { Db } from './db.js';
import { payloadText, type CancelFilter, type Job, type JobQueue, type JobStatus, type NewJob } from '../scheduler/queue-port.js';
import { toJob, type JobRow } from './rows/jobs.js';

export type { Job, JobStatus, NewJob } from '../scheduler/queue-port.js';

/** A job enqueued without a priority, of a kind `priorityOf` does not know: the column's default (migration 008). */
const DEFAULT_PRIORITY = 20;

/** A due job as a claim first sees it: enough to choose, not yet the whole row. */
interface Candidate { id: number; priority: number; run_at: number; location_id: string | null; subject: string | null }

/** Due jobs a claim looks at in one go; past this many, it reads level by level and location by location. */
const LOOKAHEAD = 64;

export type SqliteJobQueue = ReturnType<typeof createJobQueue>;

/** `priorityOf`: each kind's priority (the job registry's), for jobs enqueued without one. */
export function createJobQueue(db: Db, options: { priorityOf?: (kind: string) => number } = {}) {
  const priorityOf = options.priorityOf ?? (() => DEFAULT_PRIORITY);
  const insert = db.prepare(`
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at, priority, queued_at)
    VALUES (@kind, @locationId, @subject, @dedupeKey, @payload, 'pending', @runAt, @maxAttempts, @createdAt, @priority, @runAt)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const insertOrRevive = db.prepare(`
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at, priority, queued_at)
    VALUES (@kind, @locationId, @subject, @dedupeKey, @payload, 'pending', @runAt, @maxAttempts, @createdAt, @priority, @runAt)
    ON CONFLICT (dedupe_key) DO UPDATE SET status = 'pending', run_at = excluded.run_at, payload = excluded.payload,
      attempts = 0, last_error = NULL, finished_at = NULL, lease_until = NULL, priority = excluded.priority,
      queued_at = excluded.queued_at
    WHERE jobs.status IN ('done', 'failed', 'cancelled')`);

  // ── handing an incoming event's job straight to this process's worker (src/scheduler/inbox.ts) ──
  // Stored already running, as a claim would leave it, when nothing due waits before it and its line is empty.
  const insertRunning = db.prepare(`
    INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at, priority, queued_at, lease_until, attempts)
    VALUES (@kind, @locationId, @subject, @dedupeKey, @payload, 'running', @runAt, @maxAttempts, @createdAt, @priority, @runAt, @leaseUntil, 1)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const anyDue = db.prepare(`SELECT 1 FROM jobs WHERE status = 'pending' AND run_at <= ? LIMIT 1`).pluck();
  // Two looks, each on its own partial index (jobs_subject, jobs_leased): one with status IN (…) could use neither.
  const linePending = db.prepare(`SELECT 1 FROM jobs WHERE status = 'pending' AND location_id = ? AND subject = ? LIMIT 1`).pluck();
  const lineRunning = db.prepare(`SELECT 1 FROM jobs WHERE status = 'running' AND location_id = ? AND subject = ? LIMIT 1`).pluck();

  // ── claiming: priority first, then round-robin over locations, never a caller's jobs out of order ──
  // Selects then updates row by row in one transaction rather than `UPDATE … WHERE id IN (SELECT …) RETURNING *`:
  // SQLite runs that form about 3× slower (measured in docs/performance.md).
  const CANDIDATE = 'id, priority, run_at, location_id, subject';
  // Few due jobs (the usual case): one look at all of them, on the due-time index.
  const dueAny = db.prepare(`SELECT ${CANDIDATE} FROM jobs WHERE status = 'pending' AND run_at <= ? ORDER BY run_at, id LIMIT ${LOOKAHEAD}`);
  // Many: level by level (each a range of jobs_ready), and past the locations a level's first jobs came from.
  const nextLevel = db.prepare(`SELECT priority FROM jobs WHERE status = 'pending' AND priority > ? ORDER BY priority LIMIT 1`).pluck();
  const dueAtLevel = db.prepare(`
    SELECT ${CANDIDATE} FROM jobs WHERE status = 'pending' AND priority = ? AND run_at <= ? ORDER BY run_at, id LIMIT ${LOOKAHEAD}`);
  const dueAtLevelElsewhere = db.prepare(`
    SELECT ${CANDIDATE} FROM jobs INDEXED BY jobs_ready
    WHERE status = 'pending' AND priority = ? AND run_at <= ? AND location_id NOT IN (SELECT value FROM json_each(?))
    ORDER BY run_at, id LIMIT ?`);
  // The head of a (location, subject) line: the pending job with the earliest place whose place has come (a job
  // brought forward, its run_at moved before its place, takes the earlier of the two).
  const headOfLine = db.prepare(`
    SELECT ${CANDIDATE} FROM jobs
    WHERE status = 'pending' AND location_id = ? AND subject = ? AND MIN(COALESCE(queued_at, run_at), run_at) <= ?
    ORDER BY MIN(COALESCE(queued_at, run_at), run_at), id LIMIT 1`);
  const runningLines = db.prepare(`SELECT location_id, subject FROM jobs WHERE status = 'running' AND subject IS NOT NULL`).raw();
  const claimOne = db.prepare(`
    UPDATE jobs SET status = 'running', lease_until = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'
    RETURNING *`);
  // A level whose other locations were just looked for in vain is not scanned again (past every job of the crowding
  // locations) until a job is enqueued or 100 ms pass: a lone backlog would otherwise pay that scan on every claim.
  let enqueued = 0;
  const elsewhereEmpty = new Map<number, { at: number; enqueued: number }>();
  const lineOf = (job: { location_id: string | null; subject: string | null }) =>
    job.subject === null ? null : `${job.location_id ?? ''}\u0000${job.subject}`;

  /**
   * Chooses up to `limit` due jobs: lower priority first; within a level, one job per location per round in the
   * order the locations' oldest due jobs came due; a job only when it heads its (location, subject) line and no
   * job of that line is running (a blocked job's head is taken in its stead when it is due).
   */
  function choose(now: number, limit: number): number[] {
    // The lines with a job running, read when the first candidate in a line needs them (not for an empty look).
    let running: Set<string> | undefined;
    const busyLines = (): Set<string> => {
      running ??= new Set((runningLines.all() as [string | null, string][]).map(([locationId, subject]) => `${locationId ?? ''}\u0000${subject}`));
      return running;
    };
    const chosen: number[] = [];
    const taken = new Set<number>();
    const consider = (job: Candidate): void => {
      if (chosen.length >= limit || taken.has(job.id)) return;
      const line = lineOf(job);
      if (line !== null) {
        const busy = busyLines();
        if (busy.has(line)) return;
        const head = job.location_id === null ? job : headOfLine.get(job.location_id, job.subject, now) as Candidate | undefined;
        if (!head || head.run_at > now || taken.has(head.id)) return;
        busy.add(line);
        taken.add(head.id);
        chosen.push(head.id);
        return;
      }
      taken.add(job.id);
      chosen.push(job.id);
    };
    const all = dueAny.all(now) as Candidate[];
    if (all.length < LOOKAHEAD) {
      all.sort((a, b) => a.priority - b.priority || a.run_at - b.run_at || a.id - b.id);
      for (let i = 0; i < all.length && chosen.length < limit;) {
        let j = i;
        while (j < all.length && all[j].priority === all[i].priority) j += 1;
        for (const job of roundRobin(all.slice(i, j))) consider(job);
        i = j;
      }
      return chosen;
    }
    for (let level = nextLevel.get(Number.MIN_SAFE_INTEGER) as number | undefined; level !== undefined && chosen.length < limit;
      level = nextLevel.get(level) as number | undefined) {
      const first = dueAtLevel.all(level, now) as Candidate[];
      if (first.length === 0) continue;
      let candidates = first;
      const empty = elsewhereEmpty.get(level);
      if (first.length === LOOKAHEAD && !(empty && empty.enqueued === enqueued && now - empty.at < 100)) {
        // Locations beyond the first jobs of this level get their turn in this batch too.
        const seen = [...new Set(first.map((job) => job.location_id).filter((id) => id !== null))];
        const others = dueAtLevelElsewhere.all(level, now, JSON.stringify(seen), limit) as Candidate[];
        if (others.length === 0) elsewhereEmpty.set(level, { at: now, enqueued });
        candidates = first.concat(others);
      }
      for (const job of roundRobin(candidates)) consider(job);
    }
    return chosen;
  }

  const claim = db.transaction((ids: readonly number[], leaseUntil: number) => {
    const rows: JobRow[] = [];
    for (const id of ids) {
      const claimed = claimOne.get(leaseUntil, id) as JobRow | undefined;
      if (claimed) rows.push(claimed);
    }
    return rows;
  });
  const nextDue = db.prepare(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'`).pluck();
  const nextDueAfter = db.prepare(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending' AND run_at > ?`).pluck();
  const complete = db.prepare(`UPDATE jobs SET status = 'done', lease_until = NULL, finished_at = @at WHERE id = @id`);
  const completeAndForget = db.prepare(`UPDATE jobs SET status = 'done', lease_until = NULL, finished_at = @at, payload = 'null' WHERE id = @id`);
  const retry = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @runAt, last_error = @error WHERE id = @id`);
  const reschedule = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @runAt, queued_at = @runAt, attempts = 0, last_error = NULL
    WHERE id = @id`);
  const park = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @runAt, attempts = MAX(0, attempts - 1)
    WHERE id = @id AND status = 'running'`);
  // A release keeps run_at and queued_at: the job is due again at once, in the place it had.
  const release = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, attempts = MAX(0, attempts - 1)
    WHERE id = ? AND status = 'running' AND lease_until > ?`);
  const releaseAll = db.transaction((ids: readonly number[], now: number) =>
    ids.reduce((released, id) => released + release.run(id, now).changes, 0));
  const giveUp = db.prepare(`
    UPDATE jobs SET status = 'failed', lease_until = NULL, last_error = @error, finished_at = @at WHERE id = @id`);
  const recover = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = @now,
      last_error = 'lease expired (worker stopped or crashed while running it)'
    WHERE status = 'running' AND lease_until < @now`);
  // Looked for before the update: the worker asks on every tick, and a write statement takes the write lock even when
  // it changes nothing.
  const anyExpired = db.prepare(`SELECT 1 FROM jobs WHERE status = 'running' AND lease_until < ? LIMIT 1`).pluck();
  const recoverAll = db.prepare(`
    UPDATE jobs SET status = 'pending', lease_until = NULL, run_at = MIN(run_at, @now),
      last_error = 'interrupted by a restart while running'
    WHERE status = 'running'`);
  const prune = db.prepare(`DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled') AND finished_at < @before`);
  const hasPending = db.prepare(`SELECT 1 FROM jobs WHERE status = 'pending' AND location_id = ? AND subject = ? AND kind = ? LIMIT 1`).pluck();
  const counts = db.prepare(`SELECT status, COUNT(*) AS n FROM jobs GROUP BY status`);
  const nextRunOfKind = db.prepare(`SELECT MIN(run_at) FROM jobs WHERE kind = ? AND status IN ('pending', 'running')`).pluck();
  const bringForward = db.prepare(`UPDATE jobs SET run_at = @runAt WHERE kind = @kind AND status = 'pending' AND run_at > @runAt`);

  const row = (job: NewJob, now: number) => ({
    kind: job.kind,
    locationId: job.locationId ?? null,
    subject: job.subject ?? null,
    dedupeKey: job.dedupeKey ?? null,
    payload: payloadText(job),
    runAt: Math.round(job.runAt),
    maxAttempts: job.maxAttempts ?? 8,
    createdAt: now,
    priority: job.priority ?? priorityOf(job.kind),
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

  const queue = {
    /** True when stored, false when a job with the same dedupe key already exists. */
    enqueue(job: NewJob, now: number): boolean {
      flushCompleted();
      enqueued += 1;
      return (job.revive ? insertOrRevive : insert).run(row(job, now)).changes === 1;
    },
    claimDue(now: number, limit: number, leaseMs: number): Job[] {
      flushCompleted();
      // Chosen before the write transaction, which only a claim that found something opens: this process is the
      // database's one writer (decisions/0004) and choose() is synchronous, so nothing changes the jobs in between;
      // each claim still re-checks that its job is pending.
      const ids = choose(now, limit);
      return ids.length === 0 ? [] : claim.immediate(ids, now + leaseMs).map(toJob);
    },
    /** The earliest due time of a pending job; with `after`, the earliest one later than that. */
    nextDueAt(after?: number): number | null {
      flushCompleted();
      return ((after === undefined ? nextDue.get() : nextDueAfter.get(after)) as number | null) ?? null;
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
    /**
     * A claimed job that must not start yet (its location has no HighLevel slot before `runAt`) goes back to waiting
     * without holding a lease or counting an attempt, and keeps its place in its caller's line.
     */
    park(id: number, runAt: number): void {
      flushCompleted();
      park.run({ id, runAt: Math.round(runAt) });
    },
    /** Claimed jobs a stopping worker will not start: waiting again at once, no attempt counted, same place. */
    release(ids: readonly number[], now: number): number {
      flushCompleted();
      return ids.length === 0 ? 0 : releaseAll(ids, now);
    },
    fail(id: number, error: string, at: number): void {
      flushCompleted();
      giveUp.run({ id, error, at });
    },
    /** Cancels pending jobs of a location, optionally only those about one subject and of some kinds. */
    cancel(filter: CancelFilter, at: number): number {
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
    nextRunOfKind(kind: string): number | null {
      flushCompleted();
      return (nextRunOfKind.get(kind) as number | null) ?? null;
    },
    bringForward(kind: string, runAt: number): number {
      flushCompleted();
      return bringForward.run({ kind, runAt: Math.round(runAt) }).changes;
    },
    /** Jobs whose worker died mid-run go back to pending; their attempt was already counted. */
    recoverExpiredLeases(now: number): number {
      flushCompleted();
      return anyExpired.get(now) === 1 ? recover.run({ now }).changes : 0;
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
  } satisfies JobQueue;

  // What the inbox needs to hand an incoming event's job straight to this process's worker (src/scheduler/inbox.ts).
  const handOff = {
    /** Whether a pending job is due at `now` (one waits for the worker's next claim). */
    hasDue(now: number): boolean {
      flushCompleted();
      return anyDue.get(now) === 1;
    },
    /** Whether the job's (location, subject) line has a job pending or running; a job without one has no line. */
    lineIsBusy(job: Pick<NewJob, 'locationId' | 'subject'>): boolean {
      if (job.locationId === undefined || job.locationId === null || job.subject === undefined || job.subject === null) return false;
      flushCompleted();
      return linePending.get(job.locationId, job.subject) === 1 || lineRunning.get(job.locationId, job.subject) === 1;
    },
    /** Stores the job already claimed (running, leased until `leaseUntil`, first attempt); null when its key exists. */
    enqueueClaimed(job: NewJob, now: number, leaseUntil: number): Job | null {
      flushCompleted();
      enqueued += 1;
      // The job is read back from what was bound, not with RETURNING *: SQLite would copy the row (payload
      // included) out again through a temporary table of its own, for values this code already holds. Its payload is
      // the caller's own JSON value, not parsed again from the text just stored.
      const values = row(job, now);
      const stored = insertRunning.run({ ...values, leaseUntil });
      if (stored.changes === 0) return null;
      return {
        id: Number(stored.lastInsertRowid), kind: values.kind, locationId: values.locationId, subject: values.subject,
        dedupeKey: values.dedupeKey, payload: job.payload ?? null, status: 'running', runAt: values.runAt, attempts: 1,
        maxAttempts: values.maxAttempts, lastError: null, createdAt: values.createdAt, priority: values.priority, queuedAt: values.runAt,
      };
    },
  };
  return { ...queue, ...handOff };
}

/**
 * One job per location per round, locations in the order their first job appears (`jobs` is in claim order);
 * jobs without a location each count as their own.
 */
function roundRobin(jobs: Candidate[]): Candidate[] {
  const byLocation = new Map<string | number, Candidate[]>();
  for (const job of jobs) {
    const key = job.location_id ?? -job.id;
    const line = byLocation.get(key);
    if (line) line.push(job);
    else byLocation.set(key, [job]);
  }
  if (byLocation.size === jobs.length) return jobs;
  const lines = [...byLocation.values()];
  const out: Candidate[] = [];
  for (let round = 0; out.length < jobs.length; round += 1) {
    for (const line of lines) if (round < line.length) out.push(line[round]);
  }
  return out;
}
