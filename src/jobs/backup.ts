// The 'backup' kind, scheduled backups as a durable job: one pending "backup" job at a time; each run takes, verifies
// and rotates a backup, reports it, and reschedules itself an interval later (sooner after a failure), so a restart
// keeps the schedule.
import { HOUR, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { errorMessage } from '../lib/errors.js';
import type { Db } from '../store/db.js';
import { listBackups, takeBackup, type BackupResult } from '../store/backup.js';
import type { JobQueue } from '../scheduler/queue-port.js';
import type { JobHandler } from '../scheduler/worker.js';
import { defineJobKind, NoPayloadSchema } from './job-kind.js';
import { BACKUP_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

export type BackupReport =
  | { ok: true; at: number; durationMs: number; bytes: number; path: string }
  | { ok: false; at: number; durationMs: number; error: string };

export interface BackupJobDeps {
  /** The SQLite database backed up; null on another engine (its backups are its own tools'), with `backup` null too. */
  db: Db | null;
  queue: Pick<JobQueue, 'enqueue' | 'nextRunOfKind' | 'bringForward'>;
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
  let inFlight: Promise<BackupResult> | null = null;

  /** Takes one backup now; a call while one is running shares it (a lease that ran out must not start a second). */
  function runNow(): Promise<BackupResult> {
    const config = deps.backup;
    if (!config) return Promise.reject(new Error('backups are off: BACKUP_DIR is not set'));
    if (!deps.db) return Promise.reject(new Error('file backups are SQLite\'s: this database is backed up with its own tools'));
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
    async ensureScheduled(): Promise<void> {
      const config = deps.backup;
      if (!config) return;
      const now = clock.now();
      const newest = listBackups(config.dir, deps.databasePath)[0];
      const dueAt = newest ? Math.max(now, newest.takenAt + config.intervalHours * HOUR) : now;
      const pending = await deps.queue.nextRunOfKind(BACKUP_JOB);
      if (pending === null) {
        await deps.queue.enqueue({ kind: BACKUP_JOB, payload: {}, runAt: dueAt, dedupeKey: `${BACKUP_JOB}:${now}` }, now);
        logger.info({ dir: config.dir, dueAt: new Date(dueAt).toISOString(), everyHours: config.intervalHours, keep: config.keep }, 'database backups scheduled');
      } else if (pending > dueAt) {
        await deps.queue.bringForward(BACKUP_JOB, dueAt);
      }
    },
  };
}

export const backupKind = defineJobKind({
  name: BACKUP_JOB,
  priority: PRIORITY.backup,
  highLevelRequests: 0,
  payload: NoPayloadSchema,
  handler: ({ backups }: { backups: Pick<BackupJob, 'handler'> }) => (_payload, job) => backups.handler(job),
});
