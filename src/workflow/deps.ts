// Everything the workflow rules are given to work with, and the few things they report back.
import type { Clock } from '../lib/clock.js';
import type { CallHistory, ContactDirectory, LineTypeChecker, LocationDirectory, MessageSender } from './ports/services.js';
import type { AuditLog, CallerFactsReader, CallLog, Installations, LocationFlags, ReplyLog, Scheduler, SendLedger, Suppressions, Awaitable } from './ports/storage.js';
import type { PlansTable } from './plans.js';

export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Facts the workflow reports as they happen (metrics count them; tests may watch them). */
export type WorkflowSignal =
  | { type: 'text'; kind: string; outcome: string }
  | { type: 'call'; decision: string }
  | { type: 'opt-out' }
  | { type: 'opt-in' };

export interface OptOutLinks {
  /** `PUBLIC_URL/optout/link/<opaque token>` for this number at this location. */
  linkFor(locationId: string, phone: string): string;
}

export interface TokenVault {
  /** Deletes the stored tokens of a location or company at once (uninstall). */
  forget(ownerId: string): Awaitable<void>;
  /** Deletes a company's token and every location token minted from it. */
  forgetCompany(companyId: string): Awaitable<void>;
  /** Whether the location holds a grant of its own (installed directly), not only one minted from its agency. */
  hasOwnGrant(locationId: string): Awaitable<boolean>;
}

export interface WorkflowDeps {
  clock: Clock;
  log: Log;
  installations: Installations;
  calls: CallLog;
  ledger: SendLedger;
  suppressions: Suppressions;
  replies: ReplyLog;
  /** The send pipeline's checks about a caller, in one read. */
  callerFacts: CallerFactsReader;
  scheduler: Scheduler & { hasPending(filter: { locationId: string; subject: string; kind: string }): Awaitable<boolean> };
  audit: AuditLog;
  tokens: TokenVault;
  contacts: ContactDirectory;
  locationDirectory: LocationDirectory;
  sender: MessageSender;
  /** Reads HighLevel's own call records, to catch calls whose webhook never arrived. */
  callHistory?: CallHistory;
  /** Name of the provider the location's texts go through (for the ledger). */
  providerName(settings: import('./settings.js').LocationSettings, options?: { twilioAllowed?: boolean }): string;
  /**
   * For a location never installed here: the agency install whose HighLevel list of installed locations names it, or
   * null (remembered for a while). Throws a retryable error when HighLevel could not answer.
   */
  adoptFromAgency?(locationId: string): Promise<{ companyId: string } | null>;
  /**
   * An INSTALL came for a location: forgets any remembered "no agency has it"; with `findAgency` (the INSTALL named no
   * company) asks every agency install now and records the one that lists it. Null when none lists it yet.
   */
  installedUnderAgency?(locationId: string, options: { findAgency: boolean }): Promise<string | null>;
  /** White-label CRM domains (INSTALL's whitelabelDetails.domain): the embedded page may be framed by them. */
  frameOrigins?: { learn(domain: string, companyId: string | null, now: number): Awaitable<string | null> };
  /** Landlines cannot receive texts: known or looked-up ones are skipped. Absent: no line-type knowledge. */
  lineTypes?: LineTypeChecker;
  signal?(signal: WorkflowSignal): void;
  /** How long a location's name, time zone and numbers are trusted before they are read again. */
  profileMaxAgeMs?: number;
  /** Facts noticed about a location (HighLevel's own text-back answering too); without it nothing is noticed. */
  locationFlags?: LocationFlags;
  /** Plan id → features (app-manifest.json "plans"); absent or empty: every location has every feature. */
  plans?: PlansTable;
  /** The app's public base URL, for links in texts (the web opt-out page); absent: no link is offered. */
  publicUrl?: string;
  /** Seals a number into its personalised one-click opt-out link; absent: texts offer the typed form's page. */
  optOutLinks?: OptOutLinks;
  /** Twilio texts (and callers' replies) are shown in HighLevel's conversations: the app's conversation channel is set up. */
  conversationChannel?: boolean;
}

/** Job kinds the workflow schedules and handles. */
export const JOB = {
  textBack: 'textback',
  followUp: 'followup',
  catchUp: 'catch-up',
} as const;
