// What the workflow needs to remember, as interfaces; src/store/ implements them on SQLite (sync is fine).
import type { LocationSettings } from '../settings.js';
import type { MessageKind } from './services.js';
import type { ScheduledJob } from './jobs.js';

export type { ScheduledJob } from './jobs.js';

export type Awaitable<T> = T | Promise<T>;

export interface InstalledLocation {
  locationId: string;
  companyId: string | null;
  status: 'installed' | 'uninstalled';
  name: string | null;
  timeZone: string | null;
  phone: string | null;
  settings: LocationSettings;
  planId: string | null;
  profileSyncedAt: number | null;
}

export interface Installations {
  get(locationId: string): Awaitable<InstalledLocation | null>;
  /** get(locationId) with numbers(locationId) in one read (one statement on PostgreSQL). */
  getWithNumbers(locationId: string): Awaitable<(InstalledLocation & { numbers: string[] }) | null>;
  install(input: { locationId: string; companyId: string | null; settings: LocationSettings; planId?: string | null; trial?: unknown }, now: number): Awaitable<void>;
  uninstall(locationId: string, now: number): Awaitable<boolean>;
  saveProfile(locationId: string, input: { name: string | null; timeZone: string | null; phone: string | null; numbers: string[] }, now: number): Awaitable<void>;
  savePlan(locationId: string, planId: string | null, now: number): Awaitable<void>;
  numbers(locationId: string): Awaitable<string[]>;
  ownerOfNumber(phone: string): Awaitable<string | null>;
  agencyDefaults(companyId: string): Awaitable<unknown>;
  /** The installed sub-accounts an agency install brought in. */
  installedIdsOfCompany(companyId: string): Awaitable<string[]>;
  uninstallCompany(companyId: string, now: number): Awaitable<void>;
}

export interface CallRecord {
  id: number;
  locationId: string;
  callKey: string;
  contactId: string | null;
  phone: string | null;
  status: string;
  missed: boolean;
  occurredAt: number;
  decision: string;
}

export interface CallLog {
  /**
   * Records a call once per (location, callKey). A final status overwrites a non-final one (status, missed, decision)
   * exactly once; `isNew` is true for the sighting that inserted the call or made it final, false for any other.
   */
  record(input: Omit<CallRecord, 'id' | 'decision'> & { decision: string }, now: number): Awaitable<{ call: CallRecord; isNew: boolean }>;
  get(callId: number): Awaitable<CallRecord | null>;
  /** With `followUp`, the follow-up state is recorded in the same write (one commit instead of two). */
  decide(callId: number, decision: string, now: number, followUp?: string): Awaitable<void>;
  setFollowUp(callId: number, state: string, now: number): Awaitable<void>;
  /** An answered inbound call from this number after `since`. */
  answeredSince(locationId: string, phone: string, since: number): Awaitable<boolean>;
}

export type LedgerStatus = 'sending' | 'sent' | 'failed' | 'unknown' | 'queued' | 'delivered' | 'undelivered';

export interface LedgerEntry {
  id: number;
  sendKey: string;
  kind: MessageKind;
  status: LedgerStatus;
  phone: string;
  createdAt: number;
  sentAt: number | null;
}

export type Reservation =
  | { outcome: 'reserved'; entry: LedgerEntry }
  | { outcome: 'exists'; entry: LedgerEntry }
  | { outcome: 'suppressed' };

export interface SendLedger {
  /**
   * Reserves the one send allowed for `sendKey`, atomically re-checking the suppression list
   * (unless the kind must reach suppressed numbers, e.g. the opt-out confirmation).
   */
  reserve(input: { locationId: string; sendKey: string; kind: MessageKind; callId: number | null; contactId: string | null; phone: string; body: string; segments: number; provider: string; checkSuppression: boolean }, now: number): Awaitable<Reservation>;
  findByKey(sendKey: string): Awaitable<LedgerEntry | null>;
  /**
   * Records the provider's acceptance and, in the same transaction, what follows from it (`follows`): the jobs the
   * send starts and the decision of the call it answered. One commit instead of one per write; a crash leaves either
   * all of it or the reservation still "sending" (settled as unknown, never resent).
   */
  markSent(id: number, receipt: { providerMessageId: string | null; status: string; provider: string }, now: number, follows?: SendConsequences): Awaitable<void>;
  markFailed(id: number, code: string | null, message: string, now: number): Awaitable<void>;
  markUnknown(id: number, message: string, now: number): Awaitable<void>;
  /** Drops a reservation whose send certainly did not happen, so a retry may send. */
  release(id: number): Awaitable<void>;
  /** When this location last texted this number a text-back or follow-up (any non-failed state). */
  lastTextedAt(locationId: string, phone: string): Awaitable<number | null>;
  /** Whether this location ever got a text to this number out (the first text carries the opt-out line). */
  hasTexted(locationId: string, phone: string): Awaitable<boolean>;
  lastSentOfKind(locationId: string, phone: string, kind: MessageKind): Awaitable<number | null>;
}

/** What an accepted send leads to, written with its record (SendLedger.markSent). */
export interface SendConsequences {
  /** Jobs the send starts (a delivery check, the call's follow-up); one whose dedupe key exists is not stored again. */
  jobs?: readonly Omit<ScheduledJob, 'revive'>[];
  /** The decision of the call the text answered, with its follow-up state when it has one (CallLog.decide). */
  decision?: { callId: number; decision: string; followUp?: string };
}

/** What the send pipeline asks about one caller before texting them (src/workflow/deliver.ts). */
export interface CallerFactsQuery {
  locationId: string;
  phone: string;
  /** The send this would be: an entry under it means it was reserved before. */
  sendKey: string;
  /** Calls from the number answered after this time count as a call-back. */
  answeredAfter: number;
  /** Replies at or after this time count (a follow-up asks; a text-back passes null). */
  repliedSince: number | null;
  /** Now: line-type facts older than their 180 days are not known any more. */
  now: number;
}

/** The answers to a CallerFactsQuery, each as the single-purpose port method gives it, read at one moment. */
export interface CallerFacts {
  /** SendLedger.findByKey(sendKey). */
  prior: LedgerEntry | null;
  /** Installations.ownerOfNumber(phone). */
  ownerOfNumber: string | null;
  /** Suppressions.isSuppressed. */
  suppressed: boolean;
  /** CallLog.answeredSince(…, answeredAfter). */
  answeredSince: boolean;
  /** ReplyLog.repliedSince(…, repliedSince); false when not asked. */
  repliedSince: boolean;
  /** SendLedger.lastTextedAt. */
  lastTextedAt: number | null;
  /** SendLedger.hasTexted. */
  hasTexted: boolean;
  /** The line type the location learned of the number (its line-type cache's get(…, now)), or null. */
  knownLineType: string | null;
}

/**
 * Everything the send pipeline checks about a caller, in one read (one round trip on PostgreSQL instead of seven).
 * Only a hint for the decision: the reservation re-checks the suppression list under the number's lock.
 */
export interface CallerFactsReader {
  recall(query: CallerFactsQuery): Awaitable<CallerFacts>;
}

/** keyword (STOP by text), link (the personalised opt-out link) and provider (a carrier's report) were proven by the caller; web (the typed form) and dnd (HighLevel DND) prove nothing about who asked; manual was added by staff. */
export type SuppressionSource = 'keyword' | 'link' | 'provider' | 'web' | 'dnd' | 'manual';

/** One source holding a suppressed number, and since when. */
export interface SuppressionHold { source: SuppressionSource; since: number }

export interface Suppressions {
  isSuppressed(locationId: string, phone: string): Awaitable<boolean>;
  /** Adds `source` to the sources holding the number. Returns true when the number was not suppressed before. */
  suppress(input: { locationId: string; phone: string; source: SuppressionSource; reason?: string; actor: string }, now: number): Awaitable<boolean>;
  /** The sources holding the number, oldest first; empty when it is not suppressed. */
  holdsOf(locationId: string, phone: string): Awaitable<SuppressionHold[]>;
  /**
   * Removes `sources` (default: every source) from the number; it stays suppressed while another source holds it.
   * Returns true when this left the number no longer suppressed. Who may lift what is the caller's to check
   * (src/workflow/opt-out-ownership.ts).
   */
  lift(input: { locationId: string; phone: string; sources?: readonly SuppressionSource[]; reason?: string; actor: string }, now: number): Awaitable<boolean>;
  /** The caller opted back in by a text sent at `at` (the latest is kept). */
  noteOptIn(locationId: string, phone: string, at: number): Awaitable<void>;
  lastOptInAt(locationId: string, phone: string): Awaitable<number | null>;
  /** The app itself set SMS DND on this HighLevel contact (so it may lift it again when the caller opts back in). */
  noteAppDnd(input: { locationId: string; contactId: string; phone: string }, now: number): Awaitable<void>;
  /** Contacts with this number whose SMS DND the app set and has not seen lifted. */
  appDndContacts(locationId: string, phone: string): Awaitable<string[]>;
  forgetAppDnd(locationId: string, contactId: string): Awaitable<void>;
}

/** What a caller's text is still owed: its rule has not run yet, an answer, or nothing more. */
export type ReplyAnswer = 'pending' | 'help' | 'opt-out-confirmation' | 'opt-in-confirmation' | 'done';

export interface ReplyLog {
  /**
   * Records an inbound text once per (location, replyKey), its answer 'pending'. For a text already recorded (a
   * redelivery, or a retry of a job that failed part-way) it returns what was recorded: its meaning and its answer.
   */
  record(input: { locationId: string; replyKey: string; contactId: string | null; phone: string; meaning: string; receivedAt: number }): Awaitable<{ fresh: true } | { fresh: false; meaning: string; answer: ReplyAnswer }>;
  /** What the text is owed now; 'done' once it was answered (or needs no answer). */
  setAnswer(locationId: string, replyKey: string, answer: ReplyAnswer): Awaitable<void>;
  repliedSince(locationId: string, phone: string, since: number): Awaitable<boolean>;
}

export interface Scheduler {
  /** False when a job with the same dedupe key exists already. */
  schedule(job: ScheduledJob): Awaitable<boolean>;
  /**
   * Whether the work of a job due now may be done at once, inside the job running (no job of its own): its location's
   * HighLevel pace admits its requests now (they are then held for it). Absent or false: schedule it.
   */
  admitsNow?(job: ScheduledJob): Awaitable<boolean>;
  cancel(filter: { locationId: string; subject?: string; kinds?: string[] }): Awaitable<number>;
  /** Jobs were stored without schedule() (with a send's record): the worker looks at once if one is due now. */
  noteStored?(jobs: readonly { runAt: number }[]): void;
}

export interface AuditLog {
  record(entry: { locationId: string | null; actor: string; action: string; detail?: Record<string, unknown> }, now: number): Awaitable<void>;
}

/** Whether HighLevel still accepts the app's authorisation for a location (its own token, else its agency's). */
export interface Connection {
  needsReconnect: boolean;
  reconnectReason: string | null;
}

/** A fact the app noticed about a location by itself (a LocationFlags.raise), with when and how often. */
export interface FlagSighting { flag: string; firstSeenAt: number; lastSeenAt: number; hits: number }

/** What the app notices about a location by itself, and the look-ups that noticing needs. */
export interface LocationFlags {
  /** A missed call from this contact at this location that occurred within [from, to]. */
  hadMissedCall(locationId: string, contactId: string, from: number, to: number): Awaitable<boolean>;
  /**
   * Whether an outbound text is one the app sent: its provider message id is in the ledger, or (its send still being
   * recorded) the app texted this contact the same words since `since`.
   */
  isOwnText(locationId: string, text: { messageId: string | null; contactId: string; body: string; since: number }): Awaitable<boolean>;
  /** Notes that `flag` was seen at `at` (first sighting, last sighting, count). */
  raise(locationId: string, flag: string, at: number): Awaitable<void>;
}
