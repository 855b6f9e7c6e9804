// Public shapes of the HighLevel stand-in: its options, the world it simulates and what tests can inspect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';

export type FaultKind = '429' | '500' | 'hang';
export type CallStatus = 'no-answer' | 'busy' | 'voicemail' | 'completed' | 'canceled' | 'failed';
/** A call not over yet, as live deliveries and the API show it before its final status. */
export type CallProgressStatus = 'ringing' | 'in-progress';
export type Direction = 'inbound' | 'outbound';
export type UserType = 'Location' | 'Company';

export interface StandInOptions {
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** Per location (or company, for Company tokens). Default `{ max: 100, intervalMs: 10_000 }`, like HighLevel. */
  rateLimit?: { max: number; intervalMs: number } | false;
  /** Probability per request on /contacts, /conversations, /locations, /phone-system (never /oauth). */
  faults?: { rate: number; kinds: FaultKind[]; hangMs?: number };
  /** Drives fault injection only (ids stay random), so tests can script which requests fail. */
  random?: () => number;
  /**
   * Webhooks HighLevel sends by itself after an API call changed something (ContactDndUpdate after a PUT that changed
   * SMS DND); the sandbox POSTs them to the app. Absent: they are dropped.
   */
  onEvent?: (event: Record<string, unknown>) => void;
}

export interface Company {
  id: string;
  name: string;
  /** The agency's white-label CRM domain (INSTALL's whitelabelDetails.domain); absent: not white-labelled. */
  whiteLabelDomain?: string;
}

export interface Location {
  id: string;
  companyId: string;
  name: string;
  timezone: string;
  phone: string;
  /** E.164 numbers of the location; the first is its default number. */
  numbers: string[];
}

export interface DndChannel {
  status: 'active' | 'inactive' | 'permanent';
  message?: string;
  code?: string;
}

export interface Contact {
  id: string;
  locationId: string;
  firstName: string;
  lastName: string;
  name: string;
  phone: string;
  email?: string;
  tags: string[];
  dnd: boolean;
  dndSettings: Record<string, DndChannel>;
  source: string;
  type: string;
  dateAdded: string;
  dateUpdated: string;
}

export type SentMessageStatus = 'pending' | 'delivered';

export interface SentMessage {
  id: string;
  locationId: string;
  contactId: string;
  conversationId: string;
  message: string;
  type: 'SMS';
  fromNumber?: string;
  toNumber?: string;
  /** When the stand-in accepted the send (epoch ms, injected clock). */
  at: number;
  /** `pending` until DELIVERY_DELAY_MS after `at`, then `delivered`. */
  status: SentMessageStatus;
}

/** A message of a custom conversation channel: added by its provider, or typed in it (then sent to the provider). */
export interface ChannelMessage {
  id: string;
  locationId: string;
  contactId: string;
  conversationId: string;
  conversationProviderId: string;
  direction: Direction;
  message: string;
  at: number;
  /** What its provider last set (delivered, failed, pending, read); inbound ones are delivered. */
  status: string;
  statusError?: string;
  altId?: string;
  userId?: string;
}

export interface StandInCounters {
  requests: number;
  rateLimited: number;
  faults: number;
  /** `grant_type=refresh_token` requests, successful or not: concurrent refreshes show up as more than one. */
  refreshes: number;
}

export interface WebhookEvent {
  contact: Contact;
  event: Record<string, unknown>;
}

export interface ListeningStandIn {
  url: string;
  close(): Promise<void>;
}

export interface StandIn {
  handle(req: IncomingMessage, res: ServerResponse): void;
  listen(port?: number): Promise<ListeningStandIn>;
  createCompany(input?: { id?: string; name?: string; whiteLabelDomain?: string }): { id: string };
  createLocation(input: {
    id?: string;
    companyId: string;
    name: string;
    timezone: string;
    phone?: string;
    numbers?: string[];
  }): Location;
  createContact(
    locationId: string,
    input: { phone: string; firstName?: string; lastName?: string; id?: string },
  ): Contact;
  issueAuthCode(input: {
    userType: UserType;
    locationId?: string;
    companyId: string;
    approvedLocations?: string[];
    /** Company installs: sub-accounts the agency adds later get the app too (see addFutureLocation). */
    installToFutureLocations?: boolean;
  }): string;
  placeCall(input: {
    locationId: string;
    from: string;
    /** A progress status (ringing, in-progress) places a call that progressCall later moves on. */
    status: CallStatus | CallProgressStatus;
    direction?: Direction;
  }): WebhookEvent;
  /** The next sighting of a call (same messageId, new webhookId): its stored status changes, the API shows it too. */
  progressCall(input: { locationId: string; messageId: string; status: CallStatus | CallProgressStatus }): WebhookEvent;
  receiveSms(input: { locationId: string; from: string; body: string }): WebhookEvent;
  /** Staff change a contact's SMS DND in HighLevel: the contact is updated and HighLevel's ContactDndUpdate returned. */
  setSmsDnd(input: { locationId: string; contactId: string; status: DndChannel['status'] }): WebhookEvent;
  /**
   * HighLevel's INSTALL webhook for an install the stand-in holds (a Location install, or the agency's with no
   * locationId), with this app's appId and the agency's whitelabelDetails, inside the envelope.
   */
  installEvent(input: { companyId: string; locationId?: string }): Record<string, unknown>;
  /**
   * The agency adds a sub-account: when its install covers future locations the app is installed there at once and
   * HighLevel's INSTALL for it comes without companyId and userId (then `event` is that INSTALL; otherwise null).
   */
  addFutureLocation(input: { id?: string; companyId: string; name: string; timezone: string; phone?: string; numbers?: string[] }):
    { location: Location; event: Record<string, unknown> | null };
  /** The app removed from a location, or from the whole agency without one: HighLevel's UNINSTALL, with appId. */
  uninstallEvent(input: { companyId: string; locationId?: string }): Record<string, unknown>;
  /** HighLevel's PLAN_CHANGE for a location, with appId. */
  planChangeEvent(input: { companyId: string; locationId: string; newPlanId: string; currentPlanId?: string }): Record<string, unknown>;
  sentMessages(filter?: { locationId?: string; contactId?: string }): SentMessage[];
  /**
   * Someone sends a message in an app's custom conversation channel (staff, with `userId`; a workflow or bulk action
   * without): it is recorded pending and HighLevel's ProviderOutboundMessage for the channel's Delivery URL returned.
   */
  sendInChannel(input: { locationId: string; contactId: string; conversationProviderId: string; message: string; userId?: string }):
    { messageId: string; conversationId: string; event: Record<string, unknown> };
  /** Messages of custom conversation channels, oldest first. */
  channelMessages(filter?: { locationId?: string; contactId?: string }): ChannelMessage[];
  contact(locationId: string, contactId: string): Contact | undefined;
  counters(): StandInCounters;
  revokeRefreshTokens(locationOrCompanyId: string): void;
}
