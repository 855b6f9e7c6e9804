// The workflow's view of the world: small interfaces that HighLevel, Twilio and SQLite adapters implement.
import type { LocationSettings } from '../settings.js';
import type { ScheduledJob } from './jobs.js';

// ── HighLevel-side directories ────────────────────────────────────────────────────────────────────────────

export interface Contact {
  id: string;
  /** As HighLevel holds it; the workflow normalises it to E.164. */
  phone: string | null;
  firstName: string | null;
  /** SMS do-not-disturb is on for the contact (all-channel DND, or an SMS status other than inactive). */
  smsDnd: boolean;
}

export interface ContactDirectory {
  getContact(locationId: string, contactId: string): Promise<Contact | null>;
  findByPhone(locationId: string, phone: string): Promise<Contact | null>;
  setSmsDnd(locationId: string, contactId: string, message: string): Promise<void>;
  /** Sets the contact's SMS DND status to inactive (other channels untouched). */
  clearSmsDnd(locationId: string, contactId: string, message: string): Promise<void>;
  addTag(locationId: string, contactId: string, tag: string): Promise<void>;
  /** The contact with this number, created when there is none (HighLevel sends only to contacts). */
  ensureContact(locationId: string, phone: string): Promise<Contact>;
}

export interface LocationProfile {
  name: string;
  timeZone: string;
  phone: string | null;
  /** The location's own sending numbers, E.164. */
  numbers: string[];
}

export interface LocationDirectory {
  getProfile(locationId: string): Promise<LocationProfile>;
}

// ── Sending ───────────────────────────────────────────────────────────────────────────────────────────────

/** staff-reply: typed by staff in the app's HighLevel conversation channel (person to person), sent through Twilio. */
export type MessageKind = 'textback' | 'followup' | 'help' | 'opt-out-confirmation' | 'opt-in-confirmation' | 'test' | 'staff-reply';

export interface OutgoingText {
  locationId: string;
  contactId: string | null;
  /** E.164. */
  to: string;
  body: string;
  kind: MessageKind;
  /** Latest instant the text may still be delivered (quiet hours); providers that support it set a validity period. */
  deliverBy?: number;
  /** false: the location's plan lacks Twilio, so a sender that would route through Twilio sends through HighLevel. */
  twilioAllowed?: boolean;
}

export interface SendReceipt {
  provider: string;
  providerMessageId: string | null;
  /** Provider status at acceptance, e.g. queued, accepted, sent. */
  status: string;
  /** Jobs the provider needs after this send (HighLevel's delivery checks), stored with the send's record. */
  jobs?: readonly Omit<ScheduledJob, 'revive'>[];
}

/**
 * Why a send failed, in the workflow's terms:
 * - rejected: the provider refused it; it was not sent and sending again will not help.
 * - retryable: it was not sent (rate limited, provider down); the same send may be tried again later.
 * - ambiguous: it may or may not have been sent (timeout, dropped connection); it is never tried again.
 */
export type SendFailureKind = 'rejected' | 'retryable' | 'ambiguous';

/** What the app should learn from a failure about the number. */
export type NumberVerdict = 'opted-out' | 'dnd' | 'invalid' | 'landline' | 'unreachable' | 'filtered' | 'unregistered-sender';

export class SendFailure extends Error {
  constructor(
    message: string,
    readonly kind: SendFailureKind,
    readonly code: string | null = null,
    readonly verdict: NumberVerdict | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

export interface MessageSender {
  /** Resolves with the provider's receipt, or rejects with a SendFailure. */
  send(text: OutgoingText, settings: LocationSettings): Promise<SendReceipt>;
}

// ── Numbers ───────────────────────────────────────────────────────────────────────────────────────────────

export interface LineTypeChecker {
  /**
   * True when the number is known to be a landline (learned from a provider error, or a cached lookup), or when the
   * location's landline check is on (and its plan includes Twilio: `lookupAllowed`) and a lookup says so now.
   * Never throws: when no lookup is possible it answers false.
   */
  isLandline(input: {
    locationId: string; phone: string; settings: LocationSettings; lookupAllowed?: boolean;
    /** The line type already read with the caller's facts (CallerFacts.knownLineType): the cache is not read again. */
    known?: string | null;
  }): Promise<boolean>;
}

// ── Catch-up for lost webhooks ────────────────────────────────────────────────────────────────────────────

export interface RecentCall {
  callKey: string;
  contactId: string | null;
  direction: string;
  status: string;
  occurredAt: number;
  from: string | null;
}

export interface CallHistory {
  /** Calls HighLevel recorded for the location since `since` (newest conversations first, bounded). */
  recentCalls(locationId: string, since: number): Promise<RecentCall[]>;
}
