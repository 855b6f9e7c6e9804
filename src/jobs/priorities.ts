// What each job kind is to the scheduler: its priority (lower runs first) and the HighLevel requests it makes.
// Kinds are spelled out rather than imported so the queue depends on nothing above it; a test pins them to the
// constants their modules export.
import { classifyReply } from '../workflow/keywords.js';

/** Priority levels, lower first. A missed caller's text and an opt-out come before everything that can wait. */
export const PRIORITY = {
  /** Text-backs, missed-call events, opt-out / HELP / opt-in replies, DND changes, installs and uninstalls. */
  urgent: 0,
  /** Inbound and outbound message events that are plain conversation (no HighLevel call, no send). */
  messages: 10,
  followUp: 20,
  deliveryCheck: 30,
  catchUp: 40,
  keepAlive: 50,
  retention: 60,
  backup: 70,
} as const;

/** Jobs of kinds not listed here, and rows written before priorities existed, run at the follow-up level. */
export const DEFAULT_PRIORITY = PRIORITY.followUp;

const PRIORITY_OF_KIND: Readonly<Record<string, number>> = {
  'textback': PRIORITY.urgent,
  'highlevel-event': PRIORITY.urgent,
  'twilio-inbound': PRIORITY.urgent,
  'followup': PRIORITY.followUp,
  'delivery-check': PRIORITY.deliveryCheck,
  'catch-up': PRIORITY.catchUp,
  'token-keepalive': PRIORITY.keepAlive,
  'retention': PRIORITY.retention,
  'backup': PRIORITY.backup,
};

export function priorityOfKind(kind: string): number {
  return PRIORITY_OF_KIND[kind] ?? DEFAULT_PRIORITY;
}

/**
 * HighLevel requests a job of this kind makes for its location when it runs in full (contact read + send; one
 * status read; the first page of a catch-up). The worker admits a job only when the location's pacer has that many
 * slots now; otherwise the job is parked until it will, and its worker slot goes to someone else.
 */
const HIGHLEVEL_REQUESTS_OF_KIND: Readonly<Record<string, number>> = {
  'textback': 2,
  'followup': 2,
  'delivery-check': 1,
  'catch-up': 1,
};

/**
 * What a job will ask of its location's HighLevel pace. A stored webhook is read from its payload: an inbound
 * keyword text costs one request (the HELP answer or the opt-out confirmation; a DND update after it waits its turn
 * in the pacer), a plain reply one when its location tags replies (`tagsReplies`), none otherwise; calls and the
 * other events cost none. An estimate: slots a job does not use are let go by the pacer.
 */
export function highLevelRequestsOf(job: { kind: string; payload: unknown; locationId: string | null }, tagsReplies: (locationId: string) => boolean): number {
  if (job.kind !== 'highlevel-event') return HIGHLEVEL_REQUESTS_OF_KIND[job.kind] ?? 0;
  const event = job.payload as Record<string, unknown> | null;
  if (!event || event.type !== 'InboundMessage' || typeof event.direction !== 'string' || event.direction.toLowerCase() !== 'inbound') return 0;
  const channel = typeof event.messageType === 'string' ? event.messageType.toUpperCase().replace(/^TYPE_/, '') : '';
  if (channel !== 'SMS') return 0;
  if (typeof event.body === 'string' && classifyReply(event.body, { suppressed: false }) !== 'reply') return 1;
  return job.locationId && typeof event.contactId === 'string' && tagsReplies(job.locationId) ? 1 : 0;
}

/**
 * A stored HighLevel webhook's priority, from the few fields the intake already read: calls, opt-out / HELP / opt-in
 * replies and lifecycle events (install, DND, plan) are urgent; plain conversation (a reply, an outbound notice)
 * waits behind text-backs, so a flood of it never delays a missed caller's text. Per-caller order is the queue's
 * job: a plain reply and a later STOP from the same contact still run in the order they came.
 */
export function webhookEventPriority(event: Record<string, unknown>): number {
  if (event.type !== 'InboundMessage' && event.type !== 'OutboundMessage') return PRIORITY.urgent;
  const channel = typeof event.messageType === 'string' ? event.messageType.toUpperCase().replace(/^TYPE_/, '') : '';
  if (channel === 'CALL') return PRIORITY.urgent;
  const inbound = typeof event.direction === 'string' && event.direction.toLowerCase() === 'inbound';
  if (channel === 'SMS' && inbound && typeof event.body === 'string' && classifyReply(event.body, { suppressed: false }) !== 'reply') {
    return PRIORITY.urgent;
  }
  return PRIORITY.messages;
}
