// The few workflow parts manual suppression needs (suppression list, job cancelling, audit, clock), on a CLI database.
import type { Clock } from '../lib/clock.js';
import type { Storage } from '../store/storage.js';
import { createWorkflowScheduler } from '../scheduler/workflow-scheduler.js';
import type { ManualSuppressionDeps } from '../workflow/manual-suppression.js';

export function suppressionDeps(storage: Pick<Storage, 'suppressions' | 'audit' | 'queue'>, clock: Clock): ManualSuppressionDeps {
  return {
    clock,
    suppressions: storage.suppressions,
    scheduler: createWorkflowScheduler(storage.queue, clock),
    audit: storage.audit,
  };
}
