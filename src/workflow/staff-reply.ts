// A message staff typed in the app's conversation channel in HighLevel, sent to the caller through the location's
// Twilio account. Person to person, so the quiet hours (for the app's automatic texts) do not hold it; an opt-out
// always does. Anything that is not a staff member's own text (a workflow, a bulk action) is refused: the app never
// sends marketing (COMPLIANCE.md).
import { classifyNumber, toE164 } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';
import { featuresFor } from './plans.js';
import { analyzeText } from './segments.js';
import { sendReserved } from './send-reserved.js';

export interface StaffMessage {
  locationId: string;
  /** HighLevel's messageId: the one send allowed for it. */
  messageId: string;
  contactId: string | null;
  phone: string | null;
  body: string;
  /** The staff member who typed it; absent for workflows and bulk actions. */
  userId: string | null;
  type: string;
  attachments: number;
}

export type StaffReplyOutcome =
  | { result: 'sent'; sendKey: string }
  | { result: 'refused'; code: RefusalCode; reason: string }
  /** Twilio refused it, or may have sent it without answering (unknown): the ledger row under sendKey says more. */
  | { result: 'failed' | 'unknown'; sendKey: string; code: string };

/** Why a message arriving in the channel is not sent: shown to staff beside the message in HighLevel. */
export const REFUSALS = {
  'not-from-staff': 'Not sent: TextBack only sends messages a team member types in the conversation; workflows and bulk '
    + 'actions are never sent through it.',
  'not-sms': 'Not sent: this channel carries text messages (SMS) only.',
  'attachments': 'Not sent: this channel carries text only; send attachments another way.',
  'empty': 'Not sent: the message is empty.',
  'not-installed': 'Not sent: TextBack is not installed in this sub-account.',
  'not-twilio': 'Not sent: this sub-account does not send through its own Twilio account in TextBack.',
  'invalid-number': 'Not sent: the contact has no phone number that can receive texts.',
  'opted-out': 'Not sent: this number opted out of texts from this business.',
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export async function sendStaffReply(deps: WorkflowDeps, message: StaffMessage): Promise<StaffReplyOutcome> {
  const refuse = (code: RefusalCode): StaffReplyOutcome => ({ result: 'refused', code, reason: REFUSALS[code] });
  if (!message.userId) return refuse('not-from-staff');
  if (message.type.trim().toUpperCase() !== 'SMS') return refuse('not-sms');
  if (message.attachments > 0) return refuse('attachments');
  if (!message.body.trim()) return refuse('empty');

  const { locationId } = message;
  const location = await deps.installations.get(locationId);
  if (!location || location.status !== 'installed') return refuse('not-installed');
  const twilioAllowed = featuresFor(location.planId, deps.plans).features.twilio;
  // Never through HighLevel's own send: that would put a second copy of the message in the conversation.
  if (deps.providerName(location.settings, { twilioAllowed }) !== 'twilio') return refuse('not-twilio');

  const phone = await phoneOf(deps, message);
  if (!phone || !classifyNumber(phone).textable) return refuse('invalid-number');

  const sendKey = `staff:${locationId}:${message.messageId}`;
  const outcome = await sendReserved(deps, location.settings, {
    locationId, sendKey, kind: 'staff-reply', callId: null, contactId: message.contactId, phone, body: message.body,
    segments: analyzeText(message.body).segments,
    // Reserved under the same lock as the suppression check: an opt-out can never slip in before the send.
    checkSuppression: true,
    twilioAllowed,
  });
  switch (outcome.result) {
    case 'sent': return { result: 'sent', sendKey };
    case 'skipped': return refuse('opted-out');
    case 'failed':
    case 'unknown': return { result: outcome.result, sendKey, code: outcome.reason };
    // sendReserved never defers (that is deliver's window check); kept total for the compiler.
    case 'deferred': return { result: 'failed', sendKey, code: 'deferred' };
  }
}

/** The number HighLevel gave, else the contact's; E.164 or null. */
async function phoneOf(deps: WorkflowDeps, message: StaffMessage): Promise<string | null> {
  const given = message.phone?.trim() ? toE164(message.phone) : null;
  if (given || !message.contactId) return given;
  const contact = await deps.contacts.getContact(message.locationId, message.contactId);
  return contact?.phone ? toE164(contact.phone) : null;
}
