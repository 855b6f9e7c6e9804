// The daily 'retention' kind: applies the retention rules, reports what it removed (log line, audit entry, return
// value) and reschedules itself for the next day. One row for ever (constant dedupe key), seeded at start-up.
import { DAY, HOUR, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { AuditLog } from '../workflow/ports/storage.js';
import type { RetentionPolicy, RetentionReport } from '../store/retention.js';
import type { RetentionPort } from '../store/storage.js';
import type { Awaitable, JobQueue } from '../scheduler/queue-port.js';
import { defineJobKind, NoPayloadSchema } from './job-kind.js';
import { RETENTION_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

/** 08:00 UTC: 3–4 am on the US east coast, midnight on the west coast; the quietest hour for US businesses. */
export const RETENTION_HOUR_UTC = 8;
export const FINISHED_JOBS_KEEP_DAYS = 7;

export interface RetentionDeps {
  retention: RetentionPort;
  /** Config's `retention` (RETENTION_MONTHS, UNINSTALL_PURGE_DAYS). */
  policy: { months: number; uninstallPurgeDays: number; finishedJobsKeepDays?: number };
  audit: AuditLog;
  logger: Logger;
  clock: Clock;
}

/** The first RETENTION_HOUR_UTC strictly after `now`. */
export function nextRetentionRunAt(now: number): number {
  const today = Math.floor(now / DAY) * DAY + RETENTION_HOUR_UTC * 3_600_000;
  return today > now ? today : today + DAY;
}

/**
 * At start-up: schedules the next run unless one is pending or running already (a finished or failed one is brought
 * back). Returns whether it scheduled.
 */
export function ensureRetentionScheduled(queue: Pick<JobQueue, 'enqueue'>, now: number): Awaitable<boolean> {
  return queue.enqueue({ kind: RETENTION_JOB, payload: {}, runAt: nextRetentionRunAt(now), dedupeKey: RETENTION_JOB, revive: true }, now);
}

/** Applies the rules once and reports: the job, and `npm run textback -- retention`, both go through here. */
export async function performRetention(deps: RetentionDeps, options: { actor: string; dryRun?: boolean }): Promise<RetentionReport> {
  const now = deps.clock.now();
  const policy: RetentionPolicy = {
    retentionMonths: deps.policy.months,
    uninstallPurgeDays: deps.policy.uninstallPurgeDays,
    finishedJobsKeepDays: deps.policy.finishedJobsKeepDays ?? FINISHED_JOBS_KEEP_DAYS,
  };
  const report = await deps.retention.run(policy, now, { dryRun: options.dryRun });
  const summary = summarize(report);
  deps.logger.info({ ...summary, dryRun: report.dryRun }, report.dryRun ? 'retention dry run: nothing was deleted' : 'retention purge done');
  if (!report.dryRun) await deps.audit.record({ locationId: null, actor: options.actor, action: 'retention.run', detail: summary }, deps.clock.now());
  return report;
}

/** The report without timestamps (the audit log masks long digit runs) and with a bounded list of locations. */
function summarize(report: RetentionReport): Record<string, unknown> {
  return {
    expired: report.expired,
    purgedLocations: report.purged.locations.slice(0, 50),
    purgedLocationCount: report.purged.locations.length,
    purgedCompanyCount: report.purged.companies.length,
    purgedRows: report.purged.rows,
    jobsPruned: report.jobsPruned,
    receiptsPruned: report.receiptsPruned,
  };
}

export const retentionKind = defineJobKind({
  name: RETENTION_JOB,
  priority: PRIORITY.retention,
  highLevelRequests: 0,
  payload: NoPayloadSchema,
  handler: ({ retention: deps }: { retention: RetentionDeps }) => async () => {
    const startedAt = deps.clock.now();
    try {
      await performRetention(deps, { actor: 'system' });
      return { runAgainAt: nextRetentionRunAt(startedAt) };
    } catch (error) {
      // Never given up on: a failed run is tried again within the hour, and the daily cycle goes on.
      const retryAt = Math.min(nextRetentionRunAt(startedAt), startedAt + HOUR);
      deps.logger.error({ err: error, retryAt: new Date(retryAt).toISOString() }, 'retention purge failed; it will be tried again');
      return { runAgainAt: retryAt };
    }
  },
});
