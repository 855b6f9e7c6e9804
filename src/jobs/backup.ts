// Scheduled backups as a durable job: one pending "backup" job at a time; each run takes, verifies and rotates a
// backup, reports it, and reschedules itself an interval later (sooner after a failure), so a restart keeps the schedule.
import { HOUR, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { errorMessage } from '../lib/errors.js';
import type { Db } from '../store/db.js';
import { listBackups, takeBackup, type BackupResult } from '../store/backup.js';
import type { JobQueue } from '../store/job-queue.js';
import type { JobHandler } from '../scheduler/worker.js';

export const BACKUP_JOB = 'backup';

export type BackupReport =
  | { ok: true; at: number; durationMs: number; bytes: number; path: string }
  | { ok: false; at: number; durationMs: number; error: string };

export interface BackupJobDeps {
  db: Db;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  databasePath: string;
  /** null: backups are off (BACKUP_DIR unset); a backup job left from an earlier configuration is dropped. */
  backup: { dir: string; intervalHours: number; keep: number } | null;
  onReport?(report: BackupReport): void;
  /** Pages copied per event-loop turn (smaller: shorter pauses for requests served meanwhile). */
  pagesPerStep?: number;
}

export type BackupJob = ReturnType<typeof createBackupJob>;

export function createBackupJob(deps: BackupJobDeps) {
  const { clock, logger } = deps;
  const nextRunAt = deps.db.prepare(`SELECT MIN(run_at) FROM jobs WHERE kind = ? AND status IN ('pending', 'running')`).pluck();
  const pullIn = deps.db.prepare(`UPDATE jobs SET run_at = ? WHERE kind = ? AND status = 'pending' AND run_at > ?`);
  let inFlight: Promise<BackupResult> | null = null;

  /** Takes one backup now; a call while one is running shares it (a lease that ran out must not start a second). */
  function runNow(): Promise<BackupResult> {
    const config = deps.backup;
    if (!config) return Promise.reject(new Error('backups are off: BACKUP_DIR is not set'));
    inFlight ??= takeBackup(deps.db, { dir: config.dir, databasePath: deps.databasePath, keep: config.keep, now: clock.now(), pagesPerStep: deps.pagesPerStep })
      .finally(() => { inFlight = null; });
    return inFlight;
  }

  const handler: JobHandler = async () => {
    const config = deps.backup;
    if (!config) {
      logger.info('backups are off (BACKUP_DIR unset): the scheduled backup is dropped');
      return;
    }
    const startedAt = clock.now();
    const started = performance.now();
    const intervalMs = config.intervalHours * HOUR;
    try {
      const result = await runNow();
      deps.onReport?.({ ok: true, at: clock.now(), durationMs: result.durationMs, bytes: result.bytes, path: result.path });
      logger.info({ file: result.path, bytes: result.bytes, ms: Math.round(result.durationMs), rotatedOut: result.removed.length }, 'database backup taken and verified');
      return { runAgainAt: startedAt + intervalMs };
    } catch (error) {
      const retryAt = startedAt + Math.min(intervalMs, HOUR);
      deps.onReport?.({ ok: false, at: clock.now(), durationMs: performance.now() - started, error: errorMessage(error) });
      logger.error({ err: error, retryAt: new Date(retryAt).toISOString() }, 'database backup failed; it will be tried again');
      return { runAgainAt: retryAt };
    }
  };

  return {
    handler,
    runNow,
    /**
     * Makes sure one backup job is pending: due at once when no backup is younger than the interval, else an interval
     * after the newest one. Idempotent; a pending job due later than that (the interval was shortened) is brought forward.
     */
    ensureScheduled(): void {
      const config = deps.backup;
      if (!config) return;
      const now = clock.now();
      const newest = listBackups(config.dir, deps.databasePath)[0];
      const dueAt = newest ? Math.max(now, newest.takenAt + config.intervalHours * HOUR) : now;
      const pending = nextRunAt.get(BACKUP_JOB) as number | null;
      if (pending === null) {
        deps.queue.enqueue({ kind: BACKUP_JOB, payload: {}, runAt: dueAt, dedupeKey: `${BACKUP_JOB}:${now}` }, now);
        logger.info({ dir: config.dir, dueAt: new Date(dueAt).toISOString(), everyHours: config.intervalHours, keep: config.keep }, 'database backups scheduled');
      } else if (pending > dueAt) {
        pullIn.run(dueAt, BACKUP_JOB, dueAt);
      }
    },
  };
}
