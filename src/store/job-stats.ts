// Cheap job-queue figures for /metrics: every query is answered from one of the jobs table's partial indexes,
// so a scrape costs the same with 1M finished jobs as with none.
import type { Db } from './db.js';

export interface JobStats {
  pending: number;
  running: number;
  /** Jobs that failed for good in the last `failedWindowMs` (finished jobs are pruned after 7 days anyway). */
  failedRecently: number;
  /** How long the most overdue pending job has been waiting to run; 0 when nothing is late. */
  oldestOverdueMs: number;
}

export type JobStatsReader = ReturnType<typeof createJobStats>;

export function createJobStats(db: Db, options: { failedWindowMs?: number } = {}) {
  const failedWindowMs = options.failedWindowMs ?? 24 * 60 * 60_000;
  // Covering partial indexes: jobs_due (pending), jobs_leased (running).
  const pending = db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'pending'`).pluck();
  const running = db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'running'`).pluck();
  const earliestDue = db.prepare(`SELECT MIN(run_at) FROM jobs WHERE status = 'pending'`).pluck();
  // The index's own condition is repeated so SQLite picks jobs_finished and reads only the window's range of it.
  const failed = db.prepare(`
    SELECT COUNT(*) FROM jobs
    WHERE status IN ('done', 'failed', 'cancelled') AND finished_at >= ? AND status = 'failed'`).pluck();

  return {
    read(now: number): JobStats {
      const due = earliestDue.get() as number | null;
      return {
        pending: pending.get() as number,
        running: running.get() as number,
        failedRecently: failed.get(now - failedWindowMs) as number,
        oldestOverdueMs: due === null ? 0 : Math.max(0, now - due),
      };
    },
    failedWindowMs,
  };
}
