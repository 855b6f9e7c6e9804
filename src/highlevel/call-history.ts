// HighLevel's record of recent calls (conversations → call messages), for the catch-up scan.
import type { CallHistory, RecentCall } from '../workflow/ports/services.js';
import type { HighLevelApi } from './api-client.js';
import { normalizeCallStatus } from '../workflow/call-status.js';

const CONVERSATIONS_PER_SCAN = 20;
const CALLS_PER_CONVERSATION = 5;

export function createCallHistory(api: Pick<HighLevelApi, 'searchConversations' | 'listConversationMessages'>): CallHistory {
  return {
    async recentCalls(locationId, since) {
      const { conversations } = await api.searchConversations(locationId, { limit: CONVERSATIONS_PER_SCAN, sortBy: 'last_message_date', sort: 'desc' });
      const calls: RecentCall[] = [];
      for (const conversation of conversations) {
        const lastAt = toMillis(conversation.lastMessageDate);
        if (lastAt !== null && lastAt < since) break; // sorted newest first: the rest is older
        const page = await api.listConversationMessages(locationId, conversation.id, { type: 'TYPE_CALL', limit: CALLS_PER_CONVERSATION });
        for (const message of page.messages) {
          const at = toMillis(message.dateAdded);
          if (at === null || at < since) continue;
          // The call's own status first (live: meta.call.status; documented: meta.callStatus); the message's
          // `status` only stands in. A call still ringing is passed on too: its final sighting decides later.
          const raw = message.meta?.call?.status || message.meta?.callStatus || message.status;
          if (!raw) continue;
          const status = normalizeCallStatus(raw);
          calls.push({
            callKey: message.id,
            contactId: message.contactId ?? conversation.contactId ?? null,
            direction: (message.direction ?? '').toLowerCase(),
            status,
            occurredAt: at,
            from: null,
          });
        }
      }
      return calls;
    },
  };
}

function toMillis(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const at = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(at) ? at : null;
}
