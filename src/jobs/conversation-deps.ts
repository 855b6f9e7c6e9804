// What the conversation channel's job kinds (conversation-post, conversation-status, provider-outbound) are built
// from, and the little of the queue they use to schedule one another.
import type { ConversationCalls } from '../highlevel/conversation-log.js';
import type { ConversationMessagesPort } from '../store/storage.js';

/** Anything that stores jobs (the queue, or a port over it). */
export interface JobEnqueuer {
  enqueue(job: {
    kind: string; payload: unknown; runAt: number; locationId?: string | null; subject?: string | null;
    dedupeKey?: string | null; revive?: boolean; maxAttempts?: number;
  }, now: number): boolean | Promise<boolean>;
}

export interface ConversationJobDeps {
  conversationChannel: {
    store: ConversationMessagesPort;
    calls: ConversationCalls;
    /** Where the kinds schedule the status update a message then owes HighLevel. */
    queue: JobEnqueuer;
  };
}
