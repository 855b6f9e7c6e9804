// The few workflow parts manual suppression needs (suppression list, job cancelling, audit, clock), on a CLI database.
import type { Clock } from '../lib/clock.js';
import type { Db } from '../store/db.js';
import { createSuppressions } from '../store/suppressions.js';
import { createAuditLog } from '../store/audit.js';
import { createJobQueue } from '../store/job-queue.js';
import { createWorkflowScheduler } from '../scheduler/workflow-scheduler.js';
import type { WorkflowDeps } from '../workflow/deps.js';

export function suppressionDeps(db: Db, clock: Clock): WorkflowDeps {
  const parts: Pick<WorkflowDeps, 'clock' | 'suppressions' | 'scheduler' | 'audit'> = {
    clock,
    suppressions: createSuppressions(db),
    scheduler: createWorkflowScheduler(createJobQueue(db), clock),
    audit: createAuditLog(db),
  };
  // suppressByHand/liftByHand take WorkflowDeps but use only these parts.
  return parts as WorkflowDeps;
}
