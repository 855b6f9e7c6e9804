// The app's HighLevel conversation channel in integration tests: HighLevel's conversation calls (recorded, checked
// against the OpenAPI specs by the harness) and signed ProviderOutboundMessage deliveries.
import type { Harness } from './harness.js';

export const PROVIDER_ID = '61d6d1f9cdac7612faf80753';
export const CHANNEL_ENV = { HIGHLEVEL_CONVERSATION_PROVIDER_ID: PROVIDER_ID };
export const DELIVERY_PATH = '/webhooks/highlevel/conversation-provider';

/**
 * HighLevel's conversation for `contactId`: found by search (`exists`) or created, then every added message recorded
 * and answered with hl-1, hl-2… (`reply` overrides the answer to the n-th add, 0-based).
 */
export function conversationIn(h: Harness, options: {
  contactId?: string; exists?: boolean; reply?: (n: number) => [number, unknown] | null;
  /** The first create makes the conversation but its answer is lost (504). */
  loseCreateAnswer?: boolean;
} = {}) {
  const contactId = options.contactId ?? 'contact-1';
  const added: Record<string, unknown>[] = [];
  const created: unknown[] = [];
  let exists = options.exists ?? true;
  h.highLevel().persist().get('/conversations/search').query((query) => query.contactId === contactId)
    .reply(200, () => ({ conversations: exists ? [{ id: 'conv-1', contactId }] : [], total: exists ? 1 : 0 }));
  h.highLevel().persist().post('/conversations/', (body) => body.contactId === contactId).reply((_uri, body) => {
    created.push(body);
    exists = true;
    if (options.loseCreateAnswer && created.length === 1) return [504, { statusCode: 504, message: 'Gateway Timeout' }];
    return [201, { success: true, conversation: { id: 'conv-1', contactId, locationId: (body as { locationId: string }).locationId, dateAdded: '', dateUpdated: '', deleted: false, lastMessageDate: '' } }];
  });
  h.highLevel().persist().post('/conversations/messages/inbound', (body) => body.contactId === contactId).reply((_uri, body) => {
    const n = added.length;
    added.push(body as Record<string, unknown>);
    const custom = options.reply?.(n);
    return custom ?? [200, { success: true, conversationId: 'conv-1', messageId: `hl-${n + 1}`, message: 'Message added' }];
  });
  return { added, created };
}

/** PUT …/status calls for one HighLevel message: their bodies, answered 403 `forbiddenFirst` times, then 200. */
export function statusUpdatesOf(h: Harness, messageId: string, options: { forbiddenFirst?: number } = {}) {
  const bodies: Record<string, unknown>[] = [];
  h.highLevel().persist().put(`/conversations/messages/${messageId}/status`).reply((_uri, body) => {
    bodies.push(body as Record<string, unknown>);
    if (bodies.length <= (options.forbiddenFirst ?? 0)) return [403, { statusCode: 403, message: 'Message has not reached the provider yet' }];
    return [200, { conversationId: 'conv-1', messageId, status: (body as { status: string }).status }];
  });
  return bodies;
}

/** A ProviderOutboundMessage in HighLevel's documented shape (an SMS a staff member typed). */
export function providerMessage(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contactId: 'contact-1', locationId: 'loc-acme', messageId: 'hl-staff-1', type: 'SMS', phone: '+12125550147',
    message: 'Hi Dana, we can come by at 3pm today.', attachments: [], userId: 'user-42', ...fields,
  };
}

/** POSTs a delivery to the channel's Delivery URL, signed like HighLevel's (X-GHL-Signature) unless told otherwise. */
export function deliver(h: Harness, payload: Record<string, unknown> | string, options: { headers?: Record<string, string>; sign?: boolean } = {}) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const req = h.http.post(DELIVERY_PATH).set('content-type', 'application/json');
  if (options.sign !== false) for (const [name, value] of Object.entries(h.signatureFor(raw))) req.set(name, value);
  for (const [name, value] of Object.entries(options.headers ?? {})) req.set(name, value);
  return req.send(raw);
}

/** The channel's rows, oldest first. */
export async function conversationRows(h: Harness) {
  return await h.sql.all<{
    messageKey: string; origin: string; state: string; hlMessageId: string | null; wanted: string; pushed: string | null;
    errorCode: string | null; errorMessage: string | null;
  }>(`
    SELECT message_key AS messageKey, origin, state, hl_message_id AS hlMessageId, wanted_status AS wanted, pushed_status AS pushed,
      error_code AS errorCode, error_message AS errorMessage
    FROM conversation_messages ORDER BY id`);
}
