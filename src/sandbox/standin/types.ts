// Public shapes of the HighLevel stand-in: its options, the world it simulates and what tests can inspect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';

export type FaultKind = '429' | '500' | 'hang';
export type CallStatus = 'no-answer' | 'busy' | 'voicemail' | 'completed' | 'canceled' | 'failed';
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
}

export interface Company {
  id: string;
  name: string;
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
  createCompany(input?: { id?: string; name?: string }): { id: string };
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
  }): string;
  placeCall(input: {
    locationId: string;
    from: string;
    status: CallStatus;
    direction?: Direction;
  }): WebhookEvent;
  receiveSms(input: { locationId: string; from: string; body: string }): WebhookEvent;
  sentMessages(filter?: { locationId?: string; contactId?: string }): SentMessage[];
  contact(locationId: string, contactId: string): Contact | undefined;
  counters(): StandInCounters;
  revokeRefreshTokens(locationOrCompanyId: string): void;
}
