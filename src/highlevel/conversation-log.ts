// HighLevel's conversation calls the app's custom conversation channel needs: find or create the contact's
// conversation, add a message to it (either direction), and set a message's delivery status.
// HighLevel has no "log an outbound SMS" call (POST /conversations/messages/outbound takes calls only): "add a message"
// (POST /conversations/messages/inbound) takes a direction and needs the channel's conversationProviderId.
import { z } from 'zod';
import { HighLevelApiError } from '../lib/errors.js';
import type { RequestSpec } from './api-transport.js';
import type { HighLevelMessageStatus } from '../workflow/message-status.js';

const CONVERSATIONS = '2021-04-15';

export interface ConversationCallsDeps {
  request(ownerId: string, spec: RequestSpec): Promise<{ data: unknown }>;
  /** HIGHLEVEL_CONVERSATION_PROVIDER_ID; null: messages cannot be added (statuses still can). */
  conversationProviderId: string | null;
}

const SearchSchema = z.looseObject({ conversations: z.array(z.looseObject({ id: z.string().min(1) })).default([]) });
const CreatedSchema = z.looseObject({ conversation: z.looseObject({ id: z.string().min(1) }) });
const AddedSchema = z.looseObject({ messageId: z.string().min(1), conversationId: z.string().nullish() });

export interface AddedMessage { messageId: string; conversationId: string }

export type ConversationCalls = ReturnType<typeof createConversationLog>;

export function createConversationLog(deps: ConversationCallsDeps) {
  const location = (method: RequestSpec['method'], path: string, rest: Partial<RequestSpec>): RequestSpec =>
    ({ method, path, version: CONVERSATIONS, ownerKind: 'location', idempotent: method !== 'POST', ...rest });

  function parsed<T extends z.ZodType>(schema: T, data: unknown, what: string, ambiguous: boolean): z.output<T> {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    throw new HighLevelApiError(`HighLevel answered ${what} with an unexpected body`, 200, undefined, false, ambiguous);
  }

  async function findConversation(locationId: string, contactId: string): Promise<string | null> {
    const { data } = await deps.request(locationId, location('GET', '/conversations/search', { query: { locationId, contactId, limit: 1 } }));
    return parsed(SearchSchema, data, 'the conversation search', false).conversations[0]?.id ?? null;
  }

  return {
    findConversation,
    /**
     * The contact's conversation, created when there is none (conversations.write). HighLevel keeps one per contact,
     * so a create whose answer was lost is found by the next search instead of being made twice.
     */
    async ensureConversation(locationId: string, contactId: string): Promise<string> {
      const found = await findConversation(locationId, contactId);
      if (found) return found;
      try {
        const { data } = await deps.request(locationId, location('POST', '/conversations/', { body: { locationId, contactId } }));
        return parsed(CreatedSchema, data, 'the new conversation', false).conversation.id;
      } catch (error) {
        // "Conversation already exists": made meanwhile (by staff, or by a create whose answer was lost).
        if (!(error instanceof HighLevelApiError) || error.status === null || error.status >= 500 || error.status === 429) throw error;
        const again = await findConversation(locationId, contactId);
        if (again) return again;
        throw error;
      }
    },
    /** Not idempotent: HighLevel takes no idempotency key, so a failure is never retried here (see the job). */
    async addMessage(locationId: string, input: {
      conversationId: string; contactId: string; direction: 'inbound' | 'outbound'; body: string; altId: string; at: number;
    }): Promise<AddedMessage> {
      if (!deps.conversationProviderId) throw new Error('HIGHLEVEL_CONVERSATION_PROVIDER_ID is not set: no message can be added');
      const { data } = await deps.request(locationId, location('POST', '/conversations/messages/inbound', {
        body: {
          type: 'SMS', conversationId: input.conversationId, contactId: input.contactId,
          conversationProviderId: deps.conversationProviderId, message: input.body, direction: input.direction,
          altId: input.altId, date: new Date(input.at).toISOString(),
        },
      }));
      // HighLevel may answer 2xx with no body when it added nothing (no provider id of a custom channel): not posted.
      const added = parsed(AddedSchema, data, 'the added message', false);
      return { messageId: added.messageId, conversationId: added.conversationId ?? input.conversationId };
    },
    /** Idempotent. HighLevel answers 403 until the message has reached the provider (a few seconds). */
    async updateStatus(locationId: string, messageId: string, status: HighLevelMessageStatus, error?: { code: string; message: string }): Promise<void> {
      const body = { status, ...(error ? { error: { code: error.code, type: 'saas', message: error.message } } : {}) };
      await deps.request(locationId, location('PUT', '/conversations/messages/{messageId}/status', { params: { messageId }, body }));
    },
  };
}
