// The calls a custom conversation provider makes: create a contact's conversation, add a message to it (either
// direction, with its conversationProviderId), and set a channel message's status. HighLevel takes no idempotency key
// on the add: the stand-in does not deduplicate either, so an app that posts twice shows the message twice.
import { assertLocationToken, requireGrant } from './access.js';
import { createBodyChecks } from './body-checks.js';
import type { ConversationStore } from './conversation-store.js';
import { apiError, type Reply } from './http-io.js';
import type { Route, RouteContext } from './router.js';
import type { World } from './world.js';

// ProcessMessageBodyDto's fields (conversations.json).
const ADD_FIELDS = new Set(['type', 'attachments', 'message', 'conversationId', 'contactId', 'conversationProviderId', 'html',
  'subject', 'emailFrom', 'emailTo', 'emailCc', 'emailBcc', 'emailMessageId', 'altId', 'direction', 'date', 'call']);
const STATUS_FIELDS = new Set(['status', 'error', 'emailMessageId', 'recipients']);
const STATUSES = ['delivered', 'failed', 'pending', 'read'];

export function createChannelRoutes(deps: { world: World; conversations: ConversationStore }): Route[] {
  const { world, conversations } = deps;

  function createConversation(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const checks = createBodyChecks(ctx.body);
    checks.allowOnly(new Set(['locationId', 'contactId']));
    const locationId = checks.requiredString('locationId');
    const contactId = checks.requiredString('contactId');
    checks.throwIfAny();
    assertLocationToken(grant, locationId);
    if (world.contact(contactId)?.locationId !== locationId) throw apiError(400, 'Contact not found');
    // One conversation per contact: a second create is refused, naming the one that exists.
    const existing = conversations.conversationOf(locationId, contactId);
    if (existing) throw apiError(400, `Conversation already exists: ${existing.id}`);
    const created = conversations.ensureConversation(locationId, contactId, ctx.now);
    const at = new Date(ctx.now).toISOString();
    return {
      status: 201,
      body: { success: true, conversation: { id: created.id, dateUpdated: at, dateAdded: at, deleted: false, contactId, locationId, lastMessageDate: at } },
    };
  }

  function addMessage(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const checks = createBodyChecks(ctx.body);
    checks.allowOnly(ADD_FIELDS);
    const type = checks.requiredString('type');
    const conversationId = checks.requiredString('conversationId');
    const contactId = checks.requiredString('contactId');
    const providerId = checks.requiredString('conversationProviderId');
    const message = checks.optionalString('message');
    const direction = checks.optionalString('direction') ?? 'outbound';
    const altId = checks.optionalString('altId');
    const date = checks.optionalString('date');
    if (direction !== 'inbound' && direction !== 'outbound') checks.problems.push('direction must be inbound or outbound');
    if (type && type !== 'SMS') checks.problems.push('the stand-in adds type SMS only');
    if (type === 'SMS' && !message?.trim()) checks.problems.push('message should not be empty');
    const at = date === undefined ? ctx.now : Date.parse(date);
    if (!Number.isFinite(at)) checks.problems.push('date must be a valid ISO 8601 date string');
    checks.throwIfAny();

    const conversation = conversations.conversation(conversationId);
    if (conversation === undefined) throw apiError(400, 'Conversation not found');
    assertLocationToken(grant, conversation.locationId);
    if (conversation.contactId !== contactId) throw apiError(400, 'The contact does not belong to this conversation');
    const contact = world.contact(contactId)!;
    const location = world.requireLocation(conversation.locationId);
    const business = location.numbers[0] ?? location.phone;
    const [fromNumber, toNumber] = direction === 'inbound' ? [contact.phone, business] : [business, contact.phone];
    const stored = conversations.addMessage({
      locationId: conversation.locationId, contactId, channel: 'SMS', direction: direction as 'inbound' | 'outbound',
      body: message!, at, status: direction === 'inbound' ? 'delivered' : 'pending', fromNumber, toNumber, source: 'api',
      conversationProviderId: providerId, ...(altId !== undefined ? { altId } : {}),
    });
    return {
      status: 200,
      body: { success: true, conversationId, messageId: stored.id, message: 'Message added', contactId, dateAdded: new Date(at).toISOString() },
    };
  }

  function updateStatus(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const checks = createBodyChecks(ctx.body);
    checks.allowOnly(STATUS_FIELDS);
    const status = checks.requiredString('status');
    if (status && !STATUSES.includes(status)) checks.problems.push(`status must be one of the following values: ${STATUSES.join(', ')}`);
    checks.throwIfAny();
    const message = conversations.message(ctx.params.messageId);
    if (message === undefined) throw apiError(400, 'Message not found');
    assertLocationToken(grant, message.locationId);
    // Only a channel's provider may set its messages' statuses, and only once the message has reached it.
    if (message.conversationProviderId === undefined) throw apiError(403, 'Only the conversation provider of a message can update its status');
    if (message.statusSettableAt !== undefined && ctx.now < message.statusSettableAt) {
      throw apiError(403, 'The message has not reached the conversation provider yet');
    }
    message.status = status;
    const error = ctx.body.error as { message?: unknown } | undefined;
    if (status === 'failed' && typeof error?.message === 'string') message.statusError = error.message;
    return { status: 200, body: { conversationId: message.conversationId, messageId: message.id, status } };
  }

  return [
    { method: 'POST', pattern: '/conversations', family: 'conversations', body: 'json', handle: createConversation },
    { method: 'POST', pattern: '/conversations/messages/inbound', family: 'conversations', body: 'json', handle: addMessage },
    { method: 'PUT', pattern: '/conversations/messages/:messageId/status', family: 'conversations', body: 'json', handle: updateStatus },
  ];
}
