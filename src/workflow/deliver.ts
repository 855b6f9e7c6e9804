// The decision pipeline shared by the text-back and the follow-up: check, in order, then reserve, send, record.
import { classifyNumber } from '../lib/phone.js';
import { HOUR } from '../lib/clock.js';
import type { WorkflowDeps } from './deps.js';
import type { LocationContext } from './location-context.js';
import type { CallRecord, SendConsequences } from './ports/storage.js';
import type { Contact } from './ports/services.js';
import { isSendAllowed, isWithinBusinessHours, nextSendAllowedAt } from './send-window.js';
import { ensureOptOutLine, renderTemplate } from './templates.js';
import { analyzeText } from './segments.js';
import { sendReserved, settleExisting } from './send-reserved.js';
import { featuresFor } from './plans.js';
import type { DeliveryOutcome } from './delivery-outcome.js';

export type { DeliveryOutcome } from './delivery-outcome.js';

export interface DeliveryRequest {
  kind: 'textback' | 'followup';
  call: CallRecord & { phone: string };
  /** For a follow-up: when its text-back went out (replies are looked for after it). */
  textBackSentAt?: number;
  /** Recorded with the send when a text goes out now (SendLedger.markSent): the outcome then says `followed`. */
  follows?: SendConsequences;
}

export async function deliver(deps: WorkflowDeps, ctx: LocationContext, request: DeliveryRequest): Promise<DeliveryOutcome> {
  const { kind, call } = request;
  const { location } = ctx;
  const settings = location.settings;
  const phone = call.phone;
  const now = deps.clock.now();

  // Every fact about the caller below is read at once (one round trip on PostgreSQL); the reservation re-checks the
  // suppression list under the number's lock, so reading it early lets no opt-out through.
  // A send already reserved for this call (retry, redelivery, restart after a crash) is settled, never redone.
  const sendKey = `${kind}:${location.locationId}:${call.callKey}`;
  const facts = await deps.callerFacts.recall({
    locationId: location.locationId, phone, sendKey, answeredAfter: call.occurredAt,
    repliedSince: kind === 'followup' ? request.textBackSentAt ?? call.occurredAt : null, now,
  });
  if (facts.prior) return settleExisting(deps, facts.prior);

  if (!settings.enabled) return skip('disabled');
  const { features } = featuresFor(location.planId, deps.plans);
  if (kind === 'followup' && !features.followUp) return skip('not-in-plan');

  const number = classifyNumber(phone);
  if (!number.textable) return skip(`not-textable:${number.reason ?? 'invalid'}`);
  if (ctx.ownNumbers.includes(phone) || ctx.location.phone === phone) return skip('own-number');
  if (facts.ownerOfNumber && facts.ownerOfNumber !== location.locationId) return skip('another-location-number');

  if (facts.suppressed) return skip('suppressed');

  if (facts.answeredSince) return skip('answered-call-back');
  if (kind === 'followup') {
    if (!settings.followUp.enabled) return skip('follow-up-disabled');
    if (facts.repliedSince) return skip('replied');
  } else {
    // The follow-up is never measured against the cooldown its own text-back started.
    const last = facts.lastTextedAt;
    if (last !== null && now - last < settings.cooldownHours * HOUR) return skip('cooldown');
  }

  const contact = await findContact(deps, location.locationId, call.contactId, phone);
  if (contact?.smsDnd) return skip('dnd');
  // Last of the checks on purpose: a lookup may cost money, so it runs only for a number that would be texted now.
  if (await deps.lineTypes?.isLandline({ locationId: location.locationId, phone, settings, lookupAllowed: features.twilio, known: facts.knownLineType })) return skip('landline');

  const respectsWindow = kind === 'followup' || settings.textBackPolicy === 'respect-quiet-hours';
  if (respectsWindow) {
    const allowedAt = nextSendAllowedAt(now, phone, ctx.timeZone);
    if (allowedAt > now) return { result: 'deferred', until: allowedAt };
  }

  // A text that says nobody sent it is what carriers filter and callers distrust (COMPLIANCE.md: name the business).
  if (ctx.identifiedBy === 'none') return skip('business-unidentified');

  const template = kind === 'followup'
    ? settings.templates.followUp
    : isWithinBusinessHours(now, ctx.timeZone, settings.businessHours) ? settings.templates.textBackInHours : settings.templates.textBackAfterHours;
  let body = renderTemplate(template, { businessName: ctx.businessName, firstName: contact?.firstName, businessPhone: ctx.businessPhone }, { firstNameFallback: settings.firstNameFallback });
  if (!settings.highLevelAppendsOptOut && !facts.hasTexted) body = ensureOptOutLine(body);

  return sendReserved(deps, settings, {
    locationId: location.locationId,
    sendKey,
    kind,
    callId: call.id,
    contactId: contact?.id ?? call.contactId,
    phone,
    body,
    segments: analyzeText(body).segments,
    checkSuppression: true,
    deliverBy: respectsWindow ? windowClosesAt(now, phone, ctx.timeZone) : undefined,
    twilioAllowed: features.twilio,
    follows: request.follows,
  });

  function skip(reason: string): DeliveryOutcome {
    return { result: 'skipped', reason };
  }
}

/**
 * When the recipient's window closes (15-minute resolution, at most 4 h ahead): a queued text must not land later.
 * The coarse step can only make this deadline earlier than the true close, never later.
 */
function windowClosesAt(now: number, phone: string, timeZone: string): number {
  const step = 15 * 60_000;
  for (let at = now + step; at <= now + 4 * HOUR; at += step) if (!isSendAllowed(at, phone, timeZone)) return at - step;
  return now + 4 * HOUR;
}

async function findContact(deps: WorkflowDeps, locationId: string, contactId: string | null, phone: string): Promise<Contact | null> {
  if (contactId) {
    const contact = await deps.contacts.getContact(locationId, contactId);
    if (contact) return contact;
  }
  return deps.contacts.findByPhone(locationId, phone);
}
