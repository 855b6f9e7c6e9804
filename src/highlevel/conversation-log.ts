// Shows a text sent through Twilio in the contact's HighLevel conversation, so staff see it where they work.
// HighLevel has no "log an outbound SMS" call: POST /conversations/messages/outbound takes calls only. What it offers is
// "add a message" (POST /conversations/messages/inbound, direction defaulting to outbound), which needs the contact's
// conversation and a conversation provider id registered for the app in the marketplace; without one this stays off.
import type { ConversationLog } from '../messaging/twilio-sender.js';
import type { RequestSpec } from './api-transport.js';

const CONVERSATIONS = '2021-04-15';

export interface ConversationLogDeps {
  request(ownerId: string, spec: RequestSpec): Promise<{ data: unknown }>;
  /** The app's conversation provider (marketplace app → Conversation Providers → SMS). */
  conversationProviderId: string;
}

export function createConversationLog(deps: ConversationLogDeps): ConversationLog {
  /** The contact's conversation, if it has one: creating one would need the conversations.write scope. */
  async function conversationOf(locationId: string, contactId: string): Promise<string | null> {
    const spec: RequestSpec = {
      method: 'GET', path: '/conversations/search', version: CONVERSATIONS, ownerKind: 'location', idempotent: true,
      query: { locationId, contactId, limit: 1 },
    };
    const { data } = await deps.request(locationId, spec);
    const first = (data as { conversations?: Array<{ id?: unknown }> } | null)?.conversations?.[0]?.id;
    return typeof first === 'string' && first ? first : null;
  }

  return {
    async recordOutbound({ locationId, contactId, body, externalId, sentAt }) {
      const conversationId = await conversationOf(locationId, contactId);
      if (!conversationId) return;
      await deps.request(locationId, {
        // Not idempotent: a retried POST could show the text twice, and a missing copy costs less than a double.
        method: 'POST', path: '/conversations/messages/inbound', version: CONVERSATIONS, ownerKind: 'location', idempotent: false,
        body: {
          type: 'SMS', conversationId, contactId, conversationProviderId: deps.conversationProviderId, message: body,
          altId: externalId, date: new Date(sentAt).toISOString(),
        },
      });
    },
  };
}
