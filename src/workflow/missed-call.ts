// A call event: record it, and for a missed inbound call schedule its one text-back; an answered one cancels follow-ups.
// Only a final status decides: a call seen while it rings is recorded as waiting, and its final sighting decides once.
import { JOB, type WorkflowDeps } from './deps.js';
import { loadLocation } from './location-context.js';
import { callerPhone } from './caller-phone.js';
import { toE164 } from '../lib/phone.js';
import { isAnsweredCallStatus, isFinalCallStatus, normalizeCallStatus } from './call-status.js';
import type { CallRecord, ScheduledJob } from './ports/storage.js';
import { textBack, type TextBackJob } from './text-back.js';
import { RetryLaterError } from '../lib/errors.js';

export interface CallEvent {
  locationId: string;
  contactId: string | null;
  callKey: string;
  direction: string;
  status: string;
  occurredAt: number;
  from: string | null;
}

/** A missed call older than this is recorded but not texted: a text hours later would surprise more than help. */
export const MAX_CALL_AGE_MS = 2 * 60 * 60_000;

/**
 * A still-pending call seen again by another event while the sighting that decided it may be texting it at once is
 * left to its text-back job this much later: by then that run is over, or its job (leased 5 minutes) is taken back
 * and texts the call itself. The job then finds the call decided and does nothing.
 */
export const TEXT_BACK_SAFETY_NET_MS = 5 * 60_000;

/** A text-back that could not finish at once is retried as a job of its own after this (or what its error asks). */
export const TEXT_BACK_RETRY_MS = 30_000;

export interface CallHandling {
  /** `recovering`: this run repeats one that may have been cut short (a retried or taken-back job). */
  recovering?: boolean;
}

/** The decision recorded for the call (or why it was not recorded), and whether this sighting found it missed first. */
export interface CallOutcome {
  decision: string;
  newMissedCall: boolean;
}

/** Returns the decision recorded for the call (or why it was not recorded). */
export async function handleCall(deps: WorkflowDeps, event: CallEvent, handling: CallHandling = {}): Promise<string> {
  return (await recordCall(deps, event, handling)).decision;
}

/** Records a call sighting and acts on it: handleCall, also saying whether this sighting is the one that found it missed. */
export async function recordCall(deps: WorkflowDeps, event: CallEvent, handling: CallHandling = {}): Promise<CallOutcome> {
  const decided = (decision: string, newMissedCall = false): CallOutcome => ({ decision, newMissedCall });
  const ctx = await loadLocation(deps, event.locationId);
  // Nothing is kept for locations that did not install the app.
  if (!ctx) return decided('ignored:not-installed');
  const { settings } = ctx.location;
  const now = deps.clock.now();

  const status = normalizeCallStatus(event.status);
  const inbound = event.direction === 'inbound';
  const final = isFinalCallStatus(status);
  const missed = inbound && final && (settings.missedStatuses as string[]).includes(status);
  const answered = inbound && final && isAnsweredCallStatus(status);
  // A call still ringing needs no contact lookup yet: its final sighting does that if it was missed.
  const phone = inbound && !final ? (event.from ? toE164(event.from) : null) : await callerPhone(deps, event);
  const decision = !inbound ? 'ignored:outbound' : !final ? `waiting:status-${status}` : missed ? 'pending' : answered ? 'ignored:answered' : `ignored:status-${status}`;

  // `isNew`: this sighting inserted the call or gave a waiting one its final status (once, whatever the races).
  const { call, isNew } = await deps.calls.record(
    { locationId: event.locationId, callKey: event.callKey, contactId: event.contactId, phone, status, missed, occurredAt: event.occurredAt, decision },
    now,
  );
  if (isNew && final) deps.signal?.({ type: 'call', decision });

  if (answered && phone) {
    // They called back and somebody answered: nothing more to send them.
    await deps.scheduler.cancel({ locationId: event.locationId, subject: phone, kinds: [JOB.followUp, JOB.textBack] });
  }
  if (!missed) return decided(call.decision);
  if (!phone) {
    await deps.calls.decide(call.id, 'skipped:no-phone', now);
    return decided('skipped:no-phone', isNew);
  }
  if (call.decision !== 'pending') return decided(call.decision);
  if (now - event.occurredAt > MAX_CALL_AGE_MS) {
    await deps.calls.decide(call.id, 'skipped:stale', now);
    return decided('skipped:stale', isNew);
  }

  // One text-back per call, whatever number of webhook deliveries carried it: the sighting that found the call missed
  // (or a run recovering one cut short) texts at once when the location's pace admits it; otherwise, or when that
  // cannot finish, its job does (deduplicated by call). Any other sighting leaves it to the job, as a safety net.
  const job: ScheduledJob = {
    kind: JOB.textBack,
    locationId: event.locationId,
    subject: phone,
    dedupeKey: `${JOB.textBack}:${event.locationId}:${event.callKey}`,
    runAt: now,
    payload: { callId: call.id } satisfies TextBackJob,
  };
  const first = isNew || handling.recovering === true;
  if (first && deps.scheduler.admitsNow && await deps.scheduler.admitsNow(job)) {
    return decided(await textBackNow(deps, job, call), isNew);
  }
  await deps.scheduler.schedule(first ? job : { ...job, runAt: now + TEXT_BACK_SAFETY_NET_MS });
  return decided('pending', isNew);
}

/** Runs the call's text-back here; what it could not finish (a deferral, a failure) goes on as its job. */
async function textBackNow(deps: WorkflowDeps, job: ScheduledJob, call: CallRecord): Promise<string> {
  const callId = call.id;
  try {
    const run = await textBack(deps, { callId }, call);
    if (run?.runAgainAt !== undefined) await deps.scheduler.schedule({ ...job, runAt: run.runAgainAt });
    return run?.decision ?? 'pending';
  } catch (error) {
    const delay = error instanceof RetryLaterError ? error.delayMs : TEXT_BACK_RETRY_MS;
    deps.log.warn({ locationId: job.locationId, callId, err: error, retryInMs: delay }, 'text-back could not finish at once; its job retries it');
    await deps.scheduler.schedule({ ...job, runAt: deps.clock.now() + delay });
    return 'pending';
  }
}
