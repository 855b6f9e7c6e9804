// The events the workflow handles, in its own words. Adapters turn what they receive into these (HighLevel's webhooks:
// src/highlevel/events.ts); no vendor's payload shape reaches a rule.

/** The app was installed in a sub-account (locationId) or an agency (companyId only). */
export interface InstallEvent {
  kind: 'install';
  locationId: string | null;
  companyId: string | null;
  planId: string | null;
  trial: unknown;
  companyName: string | null;
  /** The agency's white-label CRM host, when it named one. */
  whiteLabelDomain: string | null;
}

export interface UninstallEvent { kind: 'uninstall'; locationId: string | null; companyId: string | null }

/** A sighting of a call in any state (ringing, answered, missed…): only a final status decides (missed-call.ts). */
export interface PhoneCallEvent {
  kind: 'call';
  locationId: string;
  contactId: string | null;
  callKey: string;
  /** inbound | outbound (lower case); anything else is neither. */
  direction: string;
  status: string;
  occurredAt: number;
  from: string | null;
  to: string | null;
}

/** A text through the CRM, either way: inbound ones are callers' replies, outbound ones may be another text-back's. */
export interface TextMessageEvent {
  kind: 'sms';
  locationId: string;
  contactId: string | null;
  messageKey: string;
  direction: string;
  body: string;
  occurredAt: number;
  from: string | null;
  to: string | null;
}

/** A contact's do-not-disturb changed. smsDnd: null when the change says nothing about SMS (another channel changed). */
export interface DndChangeEvent { kind: 'dnd'; locationId: string; contactId: string; phone: string | null; smsDnd: boolean | null; occurredAt: number }

/** The sub-account's profile changed (name, time zone, numbers): read it again. */
export interface LocationUpdateEvent { kind: 'location-update'; locationId: string }

export interface PlanChangeEvent { kind: 'plan-change'; locationId: string | null; companyId: string | null; planId: string | null }

/** Received but of no use to any rule; `reason` goes to the log line. */
export interface IgnoredEvent { kind: 'ignored'; reason: string }

export type WorkflowEvent =
  | InstallEvent
  | UninstallEvent
  | PhoneCallEvent
  | TextMessageEvent
  | DndChangeEvent
  | LocationUpdateEvent
  | PlanChangeEvent
  | IgnoredEvent;
