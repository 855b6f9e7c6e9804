// The text-back job: decides and sends the one text for a missed call, then schedules its one follow-up.
import { MINUTE } from '../lib/clock.js';
import { JOB, type WorkflowDeps } from './deps.js';
import { deliver } from './deliver.js';
import { loadLocation } from './location-context.js';
import type { CallRecord, ScheduledJob } from './ports/storage.js';
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

  // Once the text is accepted, its call is decided and its follow-up stored in the same transaction as the send's
  // record: a crash leaves all of it or none (the reservation then settles as unknown; nothing is sent twice).
  const followUp = featuresFor(ctx.location.planId, deps.plans).features.followUp
    ? followUpFor(ctx.location.settings.followUp, call.id, call.locationId, call.callKey, call.phone, now)
    : { state: 'skipped:not-in-plan' };
  const outcome = await deliver(deps, ctx, {
    kind: 'textback',
    call: { ...call, phone: call.phone },
    follows: { jobs: followUp.job ? [followUp.job] : [], decision: { callId: call.id, decision: 'texted', followUp: followUp.state } },
  });
  switch (outcome.result) {
    case 'deferred':
      return { ...await decide(call.id, `deferred:${new Date(outcome.until).toISOString()}`), runAgainAt: outcome.until };
    case 'sent': {
      if (outcome.followed) return { decision: 'texted' };
      // Sent by an earlier run (a redelivery after a crash, or a build that recorded these apart): follow-up first,
      // decision second, so a crash between them re-runs this job, which schedules nothing twice (dedupe) and then
      // records the decision. The follow-up's state is written with the decision, in one statement.
      if (followUp.job) await deps.scheduler.schedule(followUp.job);
      return decide(call.id, 'texted', followUp.state);
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

/** The call's follow-up job (none when the location's follow-up is off) and the state recorded with the decision. */
function followUpFor(
  followUp: { enabled: boolean; delayMinutes: number },
  callId: number, locationId: string, callKey: string, phone: string, sentAt: number,
): { job?: ScheduledJob; state?: string } {
  if (!followUp.enabled) return {};
  return {
    state: 'pending',
    job: {
      kind: JOB.followUp,
      locationId,
      subject: phone,
      dedupeKey: `${JOB.followUp}:${locationId}:${callKey}`,
      runAt: sentAt + followUp.delayMinutes * MINUTE,
      payload: { callId, textBackSentAt: sentAt } satisfies FollowUpJob,
    },
  };
}
