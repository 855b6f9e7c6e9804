// Job-queue figures for /metrics on PostgreSQL: the twin of src/store/job-stats.ts, read in one round trip.
import type { AsyncStore } from '../async-store.js';
import type { JobStats, JobStatsReader } from '../job-stats.js';
import type { Postgres } from './pool.js';

/**
 * Each figure is answered from one of the jobs table's partial indexes (jobs_due, jobs_leased, jobs_finished). The
 * counts are index-only scans of the pending and running jobs, so a scrape costs in proportion to the backlog,
 * never to the finished jobs kept for a week.
 */
export type PostgresJobStats = ReturnType<typeof createPostgresJobStats>;

export function createPostgresJobStats(pg: Pick<Postgres, 'pool'>, options: { failedWindowMs?: number } = {}) {
  const failedWindowMs = options.failedWindowMs ?? 24 * 60 * 60_000;
  return {
    async read(now: number): Promise<JobStats> {
      const { rows } = await pg.pool.query<{ pending: number; running: number; failed: number; due: number | null }>(`
        SELECT
          (SELECT COUNT(*) FROM jobs WHERE status = 'pending') AS pending,
          (SELECT COUNT(*) FROM jobs WHERE status = 'running') AS running,
          (SELECT COUNT(*) FROM jobs WHERE status IN ('done', 'failed', 'cancelled') AND finished_at >= $1 AND status = 'failed') AS failed,
          (SELECT MIN(run_at) FROM jobs WHERE status = 'pending') AS due`, [now - failedWindowMs]);
      const { pending, running, failed, due } = rows[0];
      return { pending, running, failedRecently: failed, oldestOverdueMs: due === null ? 0 : Math.max(0, now - due) };
    },
    failedWindowMs,
  } satisfies AsyncStore<JobStatsReader>;
}
