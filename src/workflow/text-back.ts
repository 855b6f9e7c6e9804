// The text-back job: decides and sends the one text for a missed call, then schedules its one follow-up.
import { MINUTE } from '../lib/clock.js';
import { JOB, type WorkflowDeps } from './deps.js';
import { deliver } from './deliver.js';
import { loadLocation } from './location-context.js';
import type { CallRecord } from './ports/storage.js';
import { featuresFor } from './plans.js';

/** The one text-back of a missed call (a job of its own, or run at once inside the event that reported the call). */
export interface TextBackJob {
  callId: number;
}

export interface FollowUpJob {
  callId: number;
  textBackSentAt: number;
}

/** What a job handler asks of the queue: nothing (done), or to run again at a later time (deferred by the window). */
export type JobResult = void | { runAgainAt: number };

export async function runTextBack(deps: WorkflowDeps, job: TextBackJob): Promise<JobResult> {
  const run = await textBack(deps, job);
  return run?.runAgainAt === undefined ? undefined : { runAgainAt: run.runAgainAt };
}

/** What a text-back run decided for its call (recorded on the call), and when to run again if it was deferred. */
export interface TextBackRun {
  decision: string;
  runAgainAt?: number;
}

/**
 * Decides and records the call's one text-back; null when the call was decided before (nothing was done). `recorded`:
 * the call as the event that runs this at once has just recorded it. The location is read again all the same: an
 * event handled beside this one (a plan change, a settings change) may have changed it since.
 */
export async function textBack(deps: WorkflowDeps, job: TextBackJob, recorded?: CallRecord): Promise<TextBackRun | null> {
  const call = recorded ?? await deps.calls.get(job.callId);
  // Already decided (a redelivery, or a job that ran before the crash it is recovering from).
  if (!call || !call.phone || !(call.decision === 'pending' || call.decision.startsWith('deferred'))) return null;
  const now = deps.clock.now();
  const ctx = await loadLocation(deps, call.locationId);
  if (!ctx) return decide(call.id, 'skipped:not-installed');

  const outcome = await deliver(deps, ctx, { kind: 'textback', call: { ...call, phone: call.phone } });
  switch (outcome.result) {
    case 'deferred':
      return { ...await decide(call.id, `deferred:${new Date(outcome.until).toISOString()}`), runAgainAt: outcome.until };
    case 'sent': {
      // Follow-up first, decision second: a crash between them re-runs this job, which finds the send already made,
      // schedules nothing twice (dedupe) and then records the decision. The other order could lose the follow-up.
      // The follow-up's state is written with the decision, in one statement.
      const followUpState = featuresFor(ctx.location.planId, deps.plans).features.followUp
        ? await scheduleFollowUp(deps, ctx.location.settings.followUp, call.id, call.locationId, call.callKey, call.phone, now)
        : 'skipped:not-in-plan';
      return decide(call.id, 'texted', followUpState);
    }
    case 'skipped':
      return decide(call.id, `skipped:${outcome.reason}`);
    default:
      return decide(call.id, `${outcome.result}:${outcome.reason}`);
  }

  async function decide(callId: number, decision: string, followUpState?: string): Promise<TextBackRun> {
    await deps.calls.decide(callId, decision, now, followUpState);
    return { decision };
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
