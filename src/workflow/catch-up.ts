// Catch-up for lost webhooks: HighLevel redelivers only after a 429, so each location's recent calls are re-read
// periodically and fed through the same path (dedupe on the call makes double-processing harmless).
import type { WorkflowDeps } from './deps.js';
import { loadLocation } from './location-context.js';
import { MAX_CALL_AGE_MS, recordCall, type CallHandling } from './missed-call.js';
import type { JobResult } from './text-back.js';
import { CATCH_UP_EVERY_MS, type CatchUpJob } from './catch-up-schedule.js';

export { CATCH_UP_EVERY_MS, ensureCatchUp, type CatchUpJob } from './catch-up-schedule.js';

/** Each scan looks back a little further than the interval, so a scan delayed by a busy queue misses nothing. */
const LOOK_BACK_MS = 3 * CATCH_UP_EVERY_MS;

export async function runCatchUp(deps: WorkflowDeps, job: CatchUpJob, handling: CallHandling = {}): Promise<JobResult> {
  if (!deps.callHistory) return;
  const ctx = await loadLocation(deps, job.locationId);
  if (!ctx) return; // uninstalled: the scan stops with the installation
  const now = deps.clock.now();
  const calls = await deps.callHistory.recentCalls(job.locationId, now - Math.min(LOOK_BACK_MS, MAX_CALL_AGE_MS));
  let found = 0;
  for (const call of calls) {
    const { newMissedCall } = await recordCall(deps, { locationId: job.locationId, ...call }, handling);
    if (newMissedCall) found++;
  }
  if (found > 0) deps.log.warn({ locationId: job.locationId, found }, 'catch-up found missed calls whose webhook never arrived');
  return { runAgainAt: now + CATCH_UP_EVERY_MS };
}
