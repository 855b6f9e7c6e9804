// The priority levels jobs run at (lower first), and the level of a stored HighLevel webhook. Each kind's own level
// is declared with the kind (src/jobs/registry.ts); docs/decisions/0008-fair-queue.md says why this order.
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

/** Jobs of kinds the registry does not know, and rows written before priorities existed, run at the follow-up level. */
export const DEFAULT_PRIORITY = PRIORITY.followUp;

/** A stored webhook's message channel: SMS, CALL, EMAIL… (`TYPE_SMS` and `SMS` alike). */
export function messageChannelOf(event: Record<string, unknown>): string {
  return typeof event.messageType === 'string' ? event.messageType.toUpperCase().replace(/^TYPE_/, '') : '';
}

/** An inbound SMS whose body is a keyword (STOP, HELP, START…) rather than a plain reply. */
export function isInboundKeywordText(event: Record<string, unknown>): boolean {
  const inbound = typeof event.direction === 'string' && event.direction.toLowerCase() === 'inbound';
  return messageChannelOf(event) === 'SMS' && inbound && typeof event.body === 'string'
    && classifyReply(event.body, { suppressed: false }) !== 'reply';
}

/**
 * A stored HighLevel webhook's priority, from the few fields the intake already read: calls, opt-out / HELP / opt-in
 * replies and lifecycle events (install, DND, plan) are urgent; plain conversation (a reply, an outbound notice)
 * waits behind text-backs, so a flood of it never delays a missed caller's text. Per-caller order is the queue's
 * job: a plain reply and a later STOP from the same contact still run in the order they came.
 */
export function webhookEventPriority(event: Record<string, unknown>): number {
  if (event.type !== 'InboundMessage' && event.type !== 'OutboundMessage') return PRIORITY.urgent;
  if (messageChannelOf(event) === 'CALL') return PRIORITY.urgent;
  return isInboundKeywordText(event) ? PRIORITY.urgent : PRIORITY.messages;
}
