// The periodic 'catch-up' kind: re-reads each installed location's recent calls for missed ones whose webhook never
// came, every CATCH_UP_EVERY_MS (the workflow schedules one per location on install; start-up makes sure of it).
import { z } from 'zod';
import type { WorkflowDeps } from '../workflow/deps.js';
import { runCatchUp } from '../workflow/catch-up.js';
import { ensureCatchUp } from '../workflow/catch-up-schedule.js';
import { defineJobKind } from './job-kind.js';
import { CATCH_UP_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

/** The workflow's CatchUpJob (src/workflow/catch-up.ts). */
export const CatchUpPayloadSchema = z.object({ locationId: z.string().min(1) });

export const catchUpKind = defineJobKind({
  name: CATCH_UP_JOB,
  priority: PRIORITY.catchUp,
  // The first page of the location's call history.
  highLevelRequests: 1,
  payload: CatchUpPayloadSchema,
  handler: ({ workflow }: { workflow: WorkflowDeps }) => (payload, job) => runCatchUp(workflow, payload, { recovering: job.attempts > 1 }),
});

/**
 * At start-up: every installed location has its catch-up scheduled (a finished one is brought back). All are asked
 * at once (a synchronous queue stores them before this returns); a location that fails is logged, the others go on.
 */
export async function ensureCatchUps(workflow: WorkflowDeps, locationIds: Iterable<string>): Promise<void> {
  const ids = [...locationIds];
  const results = await Promise.allSettled(ids.map((locationId) => ensureCatchUp(workflow, locationId)));
  results.forEach((result, i) => {
    if (result.status === 'rejected') workflow.log.warn({ locationId: ids[i], err: result.reason }, 'catch-up could not be scheduled');
  });
}
