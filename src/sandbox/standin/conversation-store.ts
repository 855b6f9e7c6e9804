// Conversations and their messages (calls and SMS, both directions), plus the log of SMS the app asked to send.
import { createId } from './ids.js';
import type { CallProgressStatus, CallStatus, Direction, SentMessage, SentMessageStatus } from './types.js';

/** An outbound SMS reads `pending` until this long after it was accepted, then `delivered`. */
export const DELIVERY_DELAY_MS = 2_000;

export interface StoredMessage {
  id: string;
  locationId: string;
  contactId: string;
  conversationId: string;
  channel: 'SMS' | 'CALL';
  direction: Direction;
  body: string;
  at: number;
  /** Fixed status for inbound SMS and calls; outbound SMS derive theirs from `at` (see statusOf). */
  status: string;
  /** A call placed ringing or in progress takes its final status later (events.ts progressCall). */
  callStatus?: CallStatus | CallProgressStatus;
  callDuration?: number;
  fromNumber?: string;
  toNumber?: string;
  source: 'api' | 'app';
  /** Set on messages of a custom conversation channel (added by its provider, or typed in it by staff). */
  conversationProviderId?: string;
  /** The provider's own id for the message (its `altId`). */
  altId?: string;
  /** Staff who typed it in the channel. */
  userId?: string;
  /** A channel message typed by staff: its provider may set its status only from this time on (HighLevel's 403 window). */
  statusSettableAt?: number;
  /** The provider's reason with a `failed` status. */
  statusError?: string;
}

export interface Conversation {
  id: string;
  locationId: string;
  contactId: string;
  createdAt: number;
  lastMessageAt: number;
  lastMessageId: string;
  /** Oldest first. */
  messageIds: string[];
}

export type ConversationStore = ReturnType<typeof createConversationStore>;

export function createConversationStore() {
  const conversations = new Map<string, Conversation>();
  const conversationIdByContact = new Map<string, string>(); // `${locationId}/${contactId}` → id
  const messages = new Map<string, StoredMessage>();
  // What the app asked for, beside the stored message (which holds the numbers actually used).
  const sent: { message: StoredMessage; requested: { fromNumber?: string; toNumber?: string } }[] = [];

  function ensureConversation(locationId: string, contactId: string, at: number): Conversation {
    const key = `${locationId}/${contactId}`;
    const existingId = conversationIdByContact.get(key);
    if (existingId !== undefined) return conversations.get(existingId)!;
    const conversation: Conversation = {
      id: createId(), locationId, contactId, createdAt: at, lastMessageAt: at, lastMessageId: '', messageIds: [],
    };
    conversations.set(conversation.id, conversation);
    conversationIdByContact.set(key, conversation.id);
    return conversation;
  }

  function addMessage(input: Omit<StoredMessage, 'id' | 'conversationId'>): StoredMessage {
    const conversation = ensureConversation(input.locationId, input.contactId, input.at);
    const message: StoredMessage = { ...input, id: createId(), conversationId: conversation.id };
    messages.set(message.id, message);
    conversation.messageIds.push(message.id);
    conversation.lastMessageAt = message.at;
    conversation.lastMessageId = message.id;
    return message;
  }

  function addOutboundSms(input: {
    locationId: string; contactId: string; body: string; at: number; fromNumber?: string; toNumber?: string;
    requested: { fromNumber?: string; toNumber?: string };
  }): StoredMessage {
    const { requested, ...fields } = input;
    const message = addMessage({ ...fields, channel: 'SMS', direction: 'outbound', status: 'pending', source: 'api' });
    sent.push({ message, requested });
    return message;
  }

  function statusOf(message: StoredMessage, now: number): string {
    // A channel message's status is whatever its provider last set.
    if (message.channel !== 'SMS' || message.direction !== 'outbound' || message.conversationProviderId) return message.status;
    return now >= message.at + DELIVERY_DELAY_MS ? 'delivered' : 'pending';
  }

  function sentMessages(now: number, filter: { locationId?: string; contactId?: string } = {}): SentMessage[] {
    return sent
      .filter(({ message: m }) => (filter.locationId === undefined || m.locationId === filter.locationId)
        && (filter.contactId === undefined || m.contactId === filter.contactId))
      .map(({ message: m, requested }) => {
        const entry: SentMessage = {
          id: m.id, locationId: m.locationId, contactId: m.contactId, conversationId: m.conversationId,
          message: m.body, type: 'SMS', at: m.at, status: statusOf(m, now) as SentMessageStatus,
        };
        if (requested.fromNumber !== undefined) entry.fromNumber = requested.fromNumber;
        if (requested.toNumber !== undefined) entry.toNumber = requested.toNumber;
        return entry;
      });
  }

  /**
   * Conversations with at least one message (or, looked up by contact, one created empty through the API), newest
   * activity first unless `ascending`.
   */
  function searchConversations(locationId: string, filter: {
    contactId?: string; lastMessageType?: string; ascending: boolean;
  }): Conversation[] {
    const found = [...conversations.values()].filter((c) => c.locationId === locationId
      && (c.messageIds.length > 0 || (filter.contactId !== undefined && filter.lastMessageType === undefined))
      && (filter.contactId === undefined || c.contactId === filter.contactId)
      && (filter.lastMessageType === undefined || wireType(messages.get(c.lastMessageId)!) === filter.lastMessageType));
    return found.sort((a, b) => (filter.ascending ? a.lastMessageAt - b.lastMessageAt : b.lastMessageAt - a.lastMessageAt));
  }

  /** One page of a conversation, newest first, continuing after `lastMessageId` when given. Walks only what it returns. */
  function pageMessages(conversation: Conversation, options: {
    lastMessageId?: string; limit: number; types?: Set<string>;
  }): { page: StoredMessage[]; nextPage: boolean } {
    const ids = conversation.messageIds;
    let index = ids.length - 1;
    if (options.lastMessageId !== undefined) {
      const cursorAt = ids.lastIndexOf(options.lastMessageId);
      index = cursorAt === -1 ? -1 : cursorAt - 1;
    }
    const page: StoredMessage[] = [];
    for (; index >= 0 && page.length <= options.limit; index -= 1) {
      const message = messages.get(ids[index])!;
      if (options.types === undefined || options.types.has(wireType(message))) page.push(message);
    }
    return { page: page.slice(0, options.limit), nextPage: page.length > options.limit };
  }

  /** Messages of custom conversation channels, oldest first (what a provider added, what staff typed in them). */
  function channelMessages(filter: { locationId?: string; contactId?: string } = {}): StoredMessage[] {
    return [...messages.values()].filter((m) => m.conversationProviderId !== undefined
      && (filter.locationId === undefined || m.locationId === filter.locationId)
      && (filter.contactId === undefined || m.contactId === filter.contactId));
  }

  return {
    ensureConversation, addMessage, addOutboundSms, statusOf, sentMessages, searchConversations, pageMessages, channelMessages,
    message: (id: string) => messages.get(id),
    conversation: (id: string) => conversations.get(id),
    conversationOf: (locationId: string, contactId: string) => {
      const id = conversationIdByContact.get(`${locationId}/${contactId}`);
      return id === undefined ? undefined : conversations.get(id);
    },
  };
}

export function wireType(message: StoredMessage): 'TYPE_SMS' | 'TYPE_CALL' {
  return message.channel === 'SMS' ? 'TYPE_SMS' : 'TYPE_CALL';
}
