// Someone sends a message in an app's custom conversation channel: HighLevel records it (pending) and sends the
// provider a ProviderOutboundMessage, whose documented shape (no appId, timestamp or webhookId) is returned here.
import type { Clock } from '../../lib/clock.js';
import type { ConversationStore } from './conversation-store.js';
import type { World } from './world.js';

/** How long after a channel message is created HighLevel answers 403 to its provider's status updates. */
export const PROVIDER_STATUS_WINDOW_MS = 3_000;

export function createChannelEvents(deps: { clock: Clock; world: World; conversations: ConversationStore }) {
  /**
   * `userId`: the staff member typing; without it the message comes from a workflow or a bulk action. Delivered to
   * the channel's Delivery URL as is (the caller signs and posts it).
   */
  function sendInChannel(input: { locationId: string; contactId: string; conversationProviderId: string; message: string; userId?: string }) {
    const contact = deps.world.contact(input.contactId);
    if (contact?.locationId !== input.locationId) throw new Error(`stand-in: unknown contact ${input.contactId}`);
    const location = deps.world.requireLocation(input.locationId);
    const at = deps.clock.now();
    const stored = deps.conversations.addMessage({
      locationId: location.id, contactId: contact.id, channel: 'SMS', direction: 'outbound', body: input.message, at,
      status: 'pending', fromNumber: location.numbers[0] ?? location.phone, toNumber: contact.phone,
      source: input.userId ? 'app' : 'api', conversationProviderId: input.conversationProviderId,
      statusSettableAt: at + PROVIDER_STATUS_WINDOW_MS, ...(input.userId ? { userId: input.userId } : {}),
    });
    const event: Record<string, unknown> = {
      contactId: contact.id, locationId: location.id, messageId: stored.id, type: 'SMS', phone: contact.phone,
      message: input.message, attachments: [], ...(input.userId ? { userId: input.userId } : {}),
    };
    return { messageId: stored.id, conversationId: stored.conversationId, event };
  }

  return { sendInChannel };
}
