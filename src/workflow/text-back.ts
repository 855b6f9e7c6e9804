// The text-back job: decides and sends the one text for a missed call, then schedules its one follow-up.
import { MINUTE } from '../lib/clock.js';
import { JOB, type WorkflowDeps } from './deps.js';
import { deliver } from './deliver.js';
import { loadLocation } from './location-context.js';
import type { TextBackJob } from './missed-call.js';
import { featuresFor } from './plans.js';

export interface FollowUpJob {
  callId: number;
  textBackSentAt: number;
}

/** What a job handler asks of the queue: nothing (done), or to run again at a later time (deferred by the window). */
export type JobResult = void | { runAgainAt: number };

export async function runTextBack(deps: WorkflowDeps, job: TextBackJob): Promise<JobResult> {
  const call = await deps.calls.get(job.callId);
  // Already decided (a redelivery, or a job that ran before the crash it is recovering from).
  if (!call || !call.phone || !(call.decision === 'pending' || call.decision.startsWith('deferred'))) return;
  const now = deps.clock.now();
  const ctx = await loadLocation(deps, call.locationId);
  if (!ctx) {
    await deps.calls.decide(call.id, 'skipped:not-installed', now);
    return;
  }

  const outcome = await deliver(deps, ctx, { kind: 'textback', call: { ...call, phone: call.phone } });
  switch (outcome.result) {
    case 'deferred':
      await deps.calls.decide(call.id, `deferred:${new Date(outcome.until).toISOString()}`, now);
      return { runAgainAt: outcome.until };
    case 'sent': {
      // Follow-up first, decision second: a crash between them re-runs this job, which finds the send already made,
      // schedules nothing twice (dedupe) and then records the decision. The other order could lose the follow-up.
      // The follow-up's state is written with the decision, in one statement.
      const followUpState = featuresFor(ctx.location.planId, deps.plans).features.followUp
        ? await scheduleFollowUp(deps, ctx.location.settings.followUp, call.id, call.locationId, call.callKey, call.phone, now)
        : 'skipped:not-in-plan';
      await deps.calls.decide(call.id, 'texted', now, followUpState);
      return;
    }
    case 'skipped':
      await deps.calls.decide(call.id, `skipped:${outcome.reason}`, now);
      return;
    default:
      await deps.calls.decide(call.id, `${outcome.result}:${outcome.reason}`, now);
  }
}

async function scheduleFollowUp(
  deps: WorkflowDeps, followUp: { enabled: boolean; delayMinutes: number },
  callId: number, locationId: string, callKey: string, phone: string, sentAt: number,
): Promise<string | undefined> {
  if (!followUp.enabled) return undefined;
  await deps.scheduler.schedule({
    kind: JOB.followUp,
    locationId,
    subject: phone,
    dedupeKey: `${JOB.followUp}:${locationId}:${callKey}`,
    runAt: sentAt + followUp.delayMinutes * MINUTE,
    payload: { callId, textBackSentAt: sentAt } satisfies FollowUpJob,
  });
  return 'pending';
}
