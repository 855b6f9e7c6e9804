// The few workflow parts manual suppression needs (suppression list, job cancelling, audit, clock), on a CLI database.
import type { Clock } from '../lib/clock.js';
import type { Db } from '../store/db.js';
import type { Storage } from '../store/sqlite-storage.js';
import { createJobQueue } from '../store/job-queue.js';
import { createWorkflowScheduler } from '../scheduler/workflow-scheduler.js';
import type { ManualSuppressionDeps } from '../workflow/manual-suppression.js';

/** `db` builds the job queue, which the storage factory does not build yet. */
export function suppressionDeps(storage: Pick<Storage, 'suppressions' | 'audit'>, db: Db, clock: Clock): ManualSuppressionDeps {
  return {
    clock,
    suppressions: storage.suppressions,
    scheduler: createWorkflowScheduler(createJobQueue(db), clock),
    audit: storage.audit,
  };
}
