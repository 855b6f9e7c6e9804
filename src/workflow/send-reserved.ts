// Reserve → send → record: the at-most-once core. A reservation left "sending" by a crash is never sent again.
import type { WorkflowDeps } from './deps.js';
import type { DeliveryOutcome } from './delivery-outcome.js';
import { SendFailure, type MessageKind } from './ports/services.js';
import type { LocationSettings } from './settings.js';
import { RetryLaterError } from '../lib/errors.js';
import type { LedgerEntry, SendConsequences } from './ports/storage.js';

export interface ReservedSend {
  locationId: string;
  sendKey: string;
  kind: MessageKind;
  callId: number | null;
  contactId: string | null;
  phone: string;
  body: string;
  segments: number;
  checkSuppression: boolean;
  deliverBy?: number;
  /** false when the location's plan lacks Twilio: the text goes through HighLevel. Default true. */
  twilioAllowed?: boolean;
  /** What the send leads to once accepted (the call's decision, its follow-up): recorded with it, in one transaction. */
  follows?: SendConsequences;
}

export async function sendReserved(deps: WorkflowDeps, settings: LocationSettings, send: ReservedSend): Promise<DeliveryOutcome> {
  const twilioAllowed = send.twilioAllowed ?? true;
  const provider = deps.providerName(settings, { twilioAllowed });
  const reservation = await deps.ledger.reserve({ ...send, provider }, deps.clock.now());
  if (reservation.outcome === 'suppressed') return report({ result: 'skipped', reason: 'suppressed' });
  if (reservation.outcome === 'exists') return report(await settleExisting(deps, reservation.entry));
  const { entry } = reservation;
  try {
    const receipt = await deps.sender.send(
      { locationId: send.locationId, contactId: send.contactId, to: send.phone, body: send.body, kind: send.kind, deliverBy: send.deliverBy, twilioAllowed },
      settings,
    );
    const jobs = [...receipt.jobs ?? [], ...send.follows?.jobs ?? []];
    await deps.ledger.markSent(entry.id, receipt, deps.clock.now(), { jobs, decision: send.follows?.decision });
    if (jobs.length > 0) deps.scheduler.noteStored?.(jobs);
    return report({ result: 'sent', followed: true });
  } catch (error) {
    if (error instanceof SendFailure && error.kind === 'retryable') {
      // Certainly not sent: free the reservation and let the job try again later.
      await deps.ledger.release(entry.id);
      throw new RetryLaterError(`send not accepted yet: ${error.message}`, error.retryAfterMs ?? 30_000);
    }
    if (error instanceof SendFailure && error.kind === 'rejected') {
      await deps.ledger.markFailed(entry.id, error.code, error.message, deps.clock.now());
      if (error.verdict === 'opted-out') {
        await deps.suppressions.suppress({ locationId: send.locationId, phone: send.phone, source: 'provider', reason: error.message, actor: 'provider' }, deps.clock.now());
      }
      // HighLevel refused because the contact is DND there: held like a DND update, lifted when DND goes inactive.
      if (error.verdict === 'dnd') {
        await deps.suppressions.suppress({ locationId: send.locationId, phone: send.phone, source: 'dnd', reason: error.message, actor: 'highlevel' }, deps.clock.now());
      }
      return report({ result: 'failed', reason: error.verdict ?? error.code ?? 'rejected' });
    }
    // Ambiguous (timeout, dropped connection) or unexpected: it may have been sent, so it is never sent again.
    const message = error instanceof Error ? error.message : String(error);
    await deps.ledger.markUnknown(entry.id, message, deps.clock.now());
    deps.log.warn({ locationId: send.locationId, kind: send.kind, err: error }, 'send outcome unknown; not retried');
    return report({ result: 'unknown', reason: 'provider-timeout' });
  }

  function report(outcome: DeliveryOutcome): DeliveryOutcome {
    deps.signal?.({ type: 'text', kind: send.kind, outcome: outcome.result });
    return outcome;
  }
}

/** The send was reserved before (a redelivery, a retry, or a run interrupted by a crash): report, never resend. */
export async function settleExisting(deps: WorkflowDeps, entry: LedgerEntry): Promise<DeliveryOutcome> {
  if (entry.status === 'sending') {
    // The process that reserved it died before it could record the provider's answer: it may have gone out.
    await deps.ledger.markUnknown(entry.id, 'interrupted between reserve and send; never resent', deps.clock.now());
    return { result: 'unknown', reason: 'interrupted' };
  }
  if (entry.status === 'failed') return { result: 'failed', reason: 'already-failed' };
  if (entry.status === 'unknown') return { result: 'unknown', reason: 'already-unknown' };
  return { result: 'sent' };
}
