// Signed HighLevel webhooks for the benchmark: missed-call bodies in HighLevel's shape, signed with a generated Ed25519 key.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DIST } from './children.js';

const signer = await import(join(DIST, 'highlevel', 'webhook-signer.js'));

export function createWebhookKeys() {
  return signer.generateWebhookKeyPair();
}

/** A missed inbound call as HighLevel delivers it (InboundMessage, messageType CALL), with a fresh webhookId. */
export function missedCallEvent({ locationId, contactId, from, to = '+15125550100', messageId, at = Date.now() }) {
  const iso = new Date(at).toISOString();
  return {
    type: 'InboundMessage',
    locationId,
    attachments: [],
    contactId,
    conversationId: `conv-${contactId}`,
    dateAdded: iso,
    direction: 'inbound',
    messageType: 'CALL',
    messageId: messageId ?? `call-${randomUUID()}`,
    status: 'no-answer',
    callStatus: 'no-answer',
    callDuration: 0,
    from,
    to,
    messageTypeId: 1,
    messageTypeString: 'TYPE_CALL',
    timestamp: iso,
    webhookId: randomUUID(),
  };
}

/** The exact bytes and their x-ghl-signature. */
export function signEvent(event, privateKey) {
  const body = Buffer.from(JSON.stringify(event));
  return { body, signature: signer.signWebhookBody(body, privateKey).signature };
}

/**
 * `count` distinct signed missed calls (distinct webhookId, messageId, contact and caller) for locations nobody
 * installed: the intake stores every one durably, and the worker then drops it quickly as "not installed".
 */
export function signedMissedCalls(count, privateKey, { locations = 1_000 } = {}) {
  const pool = new Array(count);
  const at = Date.now();
  for (let i = 0; i < count; i += 1) {
    const event = missedCallEvent({
      locationId: `bench-loc-${i % locations}`,
      contactId: `bench-contact-${i}`,
      from: `+1512555${String(i % 10_000).padStart(4, '0')}`,
      at,
    });
    pool[i] = signEvent(event, privateKey);
  }
  return pool;
}
