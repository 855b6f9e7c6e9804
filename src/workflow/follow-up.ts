// The follow-up job: at most one per missed call, re-checked in full when it falls due.
import type { WorkflowDeps } from './deps.js';
import { deliver } from './deliver.js';
import { loadLocation } from './location-context.js';
import type { FollowUpJob, JobResult } from './text-back.js';

const CANCELLING = new Set(['replied', 'answered-call-back', 'suppressed', 'disabled', 'follow-up-disabled', 'dnd']);

export async function runFollowUp(deps: WorkflowDeps, job: FollowUpJob): Promise<JobResult> {
  const call = await deps.calls.get(job.callId);
  if (!call || !call.phone) return;
  const now = deps.clock.now();
  const ctx = await loadLocation(deps, call.locationId);
  if (!ctx) {
    await deps.calls.setFollowUp(call.id, 'cancelled:uninstalled', now);
    return;
  }
  const outcome = await deliver(deps, ctx, { kind: 'followup', call: { ...call, phone: call.phone }, textBackSentAt: job.textBackSentAt });
  switch (outcome.result) {
    case 'deferred':
      await deps.calls.setFollowUp(call.id, `deferred:${new Date(outcome.until).toISOString()}`, now);
      return { runAgainAt: outcome.until };
    case 'sent':
      await deps.calls.setFollowUp(call.id, 'sent', now);
      return;
    case 'skipped':
      await deps.calls.setFollowUp(call.id, `${CANCELLING.has(outcome.reason) ? 'cancelled' : 'skipped'}:${outcome.reason}`, now);
      return;
    default:
      await deps.calls.setFollowUp(call.id, `${outcome.result}:${outcome.reason}`, now);
  }
}
