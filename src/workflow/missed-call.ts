// A call event: record it, and for a missed inbound call schedule its one text-back; an answered one cancels follow-ups.
import { JOB, type WorkflowDeps } from './deps.js';
import { loadLocation } from './location-context.js';
import { callerPhone } from './caller-phone.js';

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

export interface TextBackJob {
  callId: number;
}

/** Returns the decision recorded for the call (or why it was not recorded). */
export async function handleCall(deps: WorkflowDeps, event: CallEvent): Promise<string> {
  const ctx = await loadLocation(deps, event.locationId);
  // Nothing is kept for locations that did not install the app.
  if (!ctx) return 'ignored:not-installed';
  const { settings } = ctx.location;
  const now = deps.clock.now();

  const inbound = event.direction === 'inbound';
  const missed = inbound && (settings.missedStatuses as string[]).includes(event.status);
  const phone = await callerPhone(deps, event);
  const decision = !inbound ? 'ignored:outbound' : missed ? 'pending' : isAnswered(event.status) ? 'ignored:answered' : `ignored:status-${event.status}`;

  const { call, isNew } = await deps.calls.record(
    { locationId: event.locationId, callKey: event.callKey, contactId: event.contactId, phone, status: event.status, missed, occurredAt: event.occurredAt, decision },
    now,
  );
  if (isNew) deps.signal?.({ type: 'call', decision });

  if (inbound && !missed && isAnswered(event.status) && phone) {
    // They called back and somebody answered: nothing more to send them.
    await deps.scheduler.cancel({ locationId: event.locationId, subject: phone, kinds: [JOB.followUp, JOB.textBack] });
  }
  if (!missed) return call.decision;
  if (!phone) {
    await deps.calls.decide(call.id, 'skipped:no-phone', now);
    return 'skipped:no-phone';
  }
  if (call.decision !== 'pending') return call.decision;
  if (now - event.occurredAt > MAX_CALL_AGE_MS) {
    await deps.calls.decide(call.id, 'skipped:stale', now);
    return 'skipped:stale';
  }

  // One text-back job per call, whatever number of webhook deliveries carried it.
  await deps.scheduler.schedule({
    kind: JOB.textBack,
    locationId: event.locationId,
    subject: phone,
    dedupeKey: `${JOB.textBack}:${event.locationId}:${event.callKey}`,
    runAt: now,
    payload: { callId: call.id } satisfies TextBackJob,
  });
  return 'pending';
}

const ANSWERED = new Set(['completed', 'answered', 'in-progress']);
function isAnswered(status: string): boolean {
  return ANSWERED.has(status);
}
