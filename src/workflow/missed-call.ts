// A call event: record it, and for a missed inbound call schedule its one text-back; an answered one cancels follow-ups.
// Only a final status decides: a call seen while it rings is recorded as waiting, and its final sighting decides once.
import { JOB, type WorkflowDeps } from './deps.js';
import { loadLocation } from './location-context.js';
import { callerPhone } from './caller-phone.js';
import { toE164 } from '../lib/phone.js';
import { isAnsweredCallStatus, isFinalCallStatus, normalizeCallStatus } from './call-status.js';

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

