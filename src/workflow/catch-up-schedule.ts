// When each location's catch-up scan runs: one job per location, rescheduling itself. Apart from the scan
// (catch-up.ts) so installing a location (location-context.ts) can schedule it without depending on the scan.
import { MINUTE } from '../lib/clock.js';
import { JOB, type WorkflowDeps } from './deps.js';

export const CATCH_UP_EVERY_MS = 10 * MINUTE;

export interface CatchUpJob {
  locationId: string;
}

/** One catch-up job per location, rescheduling itself; called on install and at start-up. */
export async function ensureCatchUp(deps: Pick<WorkflowDeps, 'callHistory' | 'scheduler' | 'clock'>, locationId: string): Promise<void> {
  if (!deps.callHistory) return;
  await deps.scheduler.schedule({
    kind: JOB.catchUp,
    locationId,
    subject: 'catch-up',
    dedupeKey: `${JOB.catchUp}:${locationId}`,
    runAt: deps.clock.now() + CATCH_UP_EVERY_MS,
    payload: { locationId } satisfies CatchUpJob,
    revive: true,
  });
}
