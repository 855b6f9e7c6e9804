// Conversations endpoints the app uses: send an SMS, read a message's status, search conversations, page messages.
import { assertLocationToken, requireGrant } from './access.js';
import { createBodyChecks } from './body-checks.js';
import type { ConversationStore } from './conversation-store.js';
import { apiError, type Reply } from './http-io.js';
import { normalizePhone } from './phone.js';
import type { Route, RouteContext } from './router.js';
import { toWireConversation, toWireMessage } from './wire-shapes.js';
import type { World } from './world.js';

const SEND_FIELDS = new Set(['type', 'subType', 'contactId', 'appointmentId', 'attachments', 'emailFrom', 'emailCc',
  'emailBcc', 'html', 'message', 'subject', 'replyMessageId', 'templateId', 'threadId', 'scheduledTimestamp',
  'conversationProviderId', 'emailTo', 'customSubtypeId', 'emailReplyMode', 'fromNumber', 'toNumber', 'forward',
  'status', 'usesNativeSchedulingAi', 'optimizationPeriod']);
const MESSAGE_TYPES = ['SMS', 'RCS', 'Email', 'WhatsApp', 'IG', 'FB', 'Custom', 'Live_Chat', 'TIKTOK'];
const DND_BLOCKING = new Set(['active', 'permanent']);

export function createConversationRoutes(deps: { world: World; conversations: ConversationStore }): Route[] {
  const { world, conversations } = deps;

  function sendMessage(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const checks = createBodyChecks(ctx.body);
    checks.allowOnly(SEND_FIELDS);
    const type = checks.requiredString('type');
    const contactId = checks.requiredString('contactId');
    const message = checks.optionalString('message');
    const fromNumber = checks.optionalString('fromNumber');
    const toNumber = checks.optionalString('toNumber');
    if (type && !MESSAGE_TYPES.includes(type)) checks.problems.push(`type must be one of: ${MESSAGE_TYPES.join(', ')}`);
    if (type === 'SMS' && !message?.trim()) checks.problems.push('message should not be empty');
    checks.throwIfAny();
    if (type !== 'SMS') throw apiError(400, `The stand-in only sends type SMS, not ${type}`);

    const contact = world.contact(contactId);
    if (contact === undefined) throw apiError(400, 'Contact not found');
    assertLocationToken(grant, contact.locationId);
    if (contact.dnd || DND_BLOCKING.has(contact.dndSettings.SMS?.status ?? '')) {
      throw apiError(400, 'Cannot send message as DND is active for SMS.');
    }
    const to = toNumber !== undefined ? normalizePhone(toNumber) : contact.phone;
    if (!to) throw apiError(400, 'Contact has no phone number');
    const location = world.requireLocation(contact.locationId);
    const from = fromNumber !== undefined ? normalizePhone(fromNumber) : location.numbers[0];
    if (fromNumber !== undefined && location.numbers.length > 0 && !location.numbers.includes(from ?? '')) {
      throw apiError(400, `fromNumber ${fromNumber} is not a number of this location`);
    }
    const stored = conversations.addOutboundSms({
      locationId: contact.locationId, contactId: contact.id, body: message!, at: ctx.now, toNumber: to,
      ...(from !== undefined ? { fromNumber: from } : {}),
      requested: { ...(fromNumber !== undefined ? { fromNumber } : {}), ...(toNumber !== undefined ? { toNumber } : {}) },
    });
    return {
      status: 201,
      body: { conversationId: stored.conversationId, messageId: stored.id, msg: 'Message queued successfully.', status: 'pending' },
    };
  }

  function getMessage(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const message = conversations.message(ctx.params.id);
    if (message === undefined) throw apiError(400, 'Message not found');
    assertLocationToken(grant, message.locationId);
    return { status: 200, body: { message: toWireMessage(message, conversations.statusOf(message, ctx.now)) } };
  }

  function searchConversations(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const locationId = ctx.query.get('locationId');
    if (!locationId) throw apiError(422, ['locationId must be a string']);
    assertLocationToken(grant, locationId);
    const limit = readLimit(ctx.query.get('limit'));
    const ascending = ctx.query.get('sort') === 'asc';
    const startAfter = ctx.query.get('startAfterDate');
    const startAfterAt = startAfter ? Number(startAfter) : undefined;
    if (startAfterAt !== undefined && !Number.isFinite(startAfterAt)) throw apiError(422, ['startAfterDate must be a number']);
    const all = conversations.searchConversations(locationId, {
      ascending,
      ...(ctx.query.get('contactId') ? { contactId: ctx.query.get('contactId')! } : {}),
      ...(ctx.query.get('lastMessageType') ? { lastMessageType: ctx.query.get('lastMessageType')! } : {}),
    });
    // startAfterDate continues after the last lastMessageDate already seen, in the sort's direction.
    const rest = startAfterAt === undefined ? all
      : all.filter((c) => (ascending ? c.lastMessageAt > startAfterAt : c.lastMessageAt < startAfterAt));
    const page = rest.slice(0, limit).map((c) =>
      toWireConversation(c, world.contact(c.contactId), conversations.message(c.lastMessageId)));
    return { status: 200, body: { conversations: page, total: all.length } };
  }

  function listMessages(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const conversation = conversations.conversation(ctx.params.conversationId);
    if (conversation === undefined) throw apiError(400, 'Conversation not found');
    assertLocationToken(grant, conversation.locationId);
    const types = ctx.query.get('type');
    const lastMessageId = ctx.query.get('lastMessageId');
    const { page, nextPage } = conversations.pageMessages(conversation, {
      limit: readLimit(ctx.query.get('limit')),
      ...(types ? { types: new Set(types.split(',').map((t) => t.trim())) } : {}),
      ...(lastMessageId ? { lastMessageId } : {}),
    });
    const messages = page.map((m) => toWireMessage(m, conversations.statusOf(m, ctx.now)));
    return { status: 200, body: { messages: { lastMessageId: page.at(-1)?.id ?? null, nextPage, messages } } };
  }

  return [
    { method: 'POST', pattern: '/conversations/messages', family: 'conversations', body: 'json', handle: sendMessage },
    { method: 'GET', pattern: '/conversations/messages/:id', family: 'conversations', body: 'none', handle: getMessage },
    { method: 'GET', pattern: '/conversations/search', family: 'conversations', body: 'none', handle: searchConversations },
    {
      method: 'GET', pattern: '/conversations/:conversationId/messages', family: 'conversations', body: 'none',
      handle: listMessages,
    },
  ];
}

function readLimit(raw: string | null): number {
  if (raw === null || raw === '') return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw apiError(422, ['limit must be an integer from 1 to 100']);
  return limit;
}
