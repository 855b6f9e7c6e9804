// Things that happen on the phone line: each is recorded in the conversation and returned as HighLevel's webhook JSON.
import type { Clock } from '../../lib/clock.js';
import type { ConversationStore, StoredMessage } from './conversation-store.js';
import { createTraceId } from './ids.js';
import type { CallProgressStatus, CallStatus, Direction, WebhookEvent } from './types.js';
import { copyContact } from './wire-shapes.js';
import type { World } from './world.js';

const CALL_STATUSES = new Set<CallStatus>(['no-answer', 'busy', 'voicemail', 'completed', 'canceled', 'failed']);
/** Statuses live deliveries and the API show while a call is not over yet. */
const PROGRESS_STATUSES = new Set<CallProgressStatus>(['ringing', 'in-progress']);
/** Seconds an answered call lasts in the stand-in; unanswered ones last 0. */
const ANSWERED_CALL_SECONDS = 60;

export function createEventFactory(deps: { clock: Clock; world: World; conversations: ConversationStore }) {
  const { world, conversations } = deps;

  /** The envelope fields HighLevel documents beside the samples: ISO `timestamp` and a unique `webhookId`. */
  function envelope(at: number): { timestamp: string; webhookId: string } {
    return { timestamp: new Date(at).toISOString(), webhookId: createTraceId() };
  }

  /**
   * `from` is always the outside party (the contact), whichever the direction; the location's default number is
   * the other end. An inbound call is an InboundMessage, an outbound one an OutboundMessage, as in payloads/.
   */
  function placeCall(input: { locationId: string; from: string; status: CallStatus | CallProgressStatus; direction?: Direction }): WebhookEvent {
    if (!CALL_STATUSES.has(input.status as CallStatus) && !PROGRESS_STATUSES.has(input.status as CallProgressStatus)) {
      throw new Error(`stand-in: unknown call status ${String(input.status)}`);
    }
    const location = world.requireLocation(input.locationId);
    const contact = world.ensureContact(location.id, input.from);
    const direction = input.direction ?? 'inbound';
    const businessNumber = location.numbers[0] ?? location.phone;
    const [from, to] = direction === 'inbound' ? [contact.phone, businessNumber] : [businessNumber, contact.phone];
    const at = deps.clock.now();
    const callDuration = input.status === 'completed' ? ANSWERED_CALL_SECONDS : 0;
    const message = conversations.addMessage({
      locationId: location.id, contactId: contact.id, channel: 'CALL', direction, body: '', at,
      status: input.status, callStatus: input.status, callDuration, fromNumber: from, toNumber: to, source: 'app',
    });
    return { contact: copyContact(contact), event: callEvent(message) };
  }

  /**
   * A later sighting of a call placed with a progress status (ringing, in-progress): the stored call takes the new
   * status (so the API shows it too) and HighLevel's event for it comes back, same messageId, a new webhookId.
   */
  function progressCall(input: { locationId: string; messageId: string; status: CallStatus | CallProgressStatus }): WebhookEvent {
    const message = conversations.message(input.messageId);
    if (!message || message.channel !== 'CALL' || message.locationId !== input.locationId) throw new Error(`stand-in: unknown call ${input.messageId}`);
    if (!CALL_STATUSES.has(input.status as CallStatus) && !PROGRESS_STATUSES.has(input.status as CallProgressStatus)) {
      throw new Error(`stand-in: unknown call status ${String(input.status)}`);
    }
    message.status = input.status;
    message.callStatus = input.status;
    message.callDuration = input.status === 'completed' ? ANSWERED_CALL_SECONDS : 0;
    const contact = world.contact(message.contactId);
    if (!contact) throw new Error(`stand-in: the contact of call ${input.messageId} is gone`);
    return { contact: copyContact(contact), event: callEvent(message) };
  }

  /** HighLevel's webhook JSON for a stored call, as it stands now, dated when the call began. */
  function callEvent(message: StoredMessage): Record<string, unknown> {
    const { direction, at } = message;
    const status = message.callStatus ?? message.status;
    return {
      type: direction === 'inbound' ? 'InboundMessage' : 'OutboundMessage',
      locationId: message.locationId,
      attachments: status === 'voicemail' ? [`https://sandbox.invalid/voicemail/${message.id}.mp3`] : [],
      contactId: message.contactId,
      conversationId: message.conversationId,
      dateAdded: new Date(at).toISOString(),
      direction,
      messageType: 'CALL',
      messageId: message.id,
      status,
      callStatus: status,
      callDuration: message.callDuration ?? 0,
      from: message.fromNumber,
      to: message.toNumber,
      messageTypeId: 1,
      messageTypeString: 'TYPE_CALL',
      // Each sighting is its own delivery, dated when it is sent.
      ...envelope(deps.clock.now()),
    };
  }

  function receiveSms(input: { locationId: string; from: string; body: string }): WebhookEvent {
    const location = world.requireLocation(input.locationId);
    const contact = world.ensureContact(location.id, input.from);
    const to = location.numbers[0] ?? location.phone;
    const at = deps.clock.now();
    const message = conversations.addMessage({
      locationId: location.id, contactId: contact.id, channel: 'SMS', direction: 'inbound', body: input.body, at,
      status: 'delivered', fromNumber: contact.phone, toNumber: to, source: 'app',
    });
    const event: Record<string, unknown> = {
      type: 'InboundMessage',
      locationId: location.id,
      attachments: [],
      body: input.body,
      contactId: contact.id,
      contentType: 'text/plain',
      conversationId: message.conversationId,
      dateAdded: new Date(at).toISOString(),
      direction: 'inbound',
      messageType: 'SMS',
      messageId: message.id,
      status: 'delivered',
      from: contact.phone,
      to,
      messageTypeId: 2,
      messageTypeString: 'TYPE_SMS',
      ...envelope(at),
    };
    return { contact: copyContact(contact), event };
  }

  return { placeCall, progressCall, receiveSms };
}
