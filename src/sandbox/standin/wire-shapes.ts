// How the stand-in's records look on the wire: HighLevel's field names, fresh copies so callers can't mutate state.
import { wireType, type Conversation, type StoredMessage } from './conversation-store.js';
import type { Contact, Location } from './types.js';

export function copyContact(contact: Contact): Contact {
  return { ...contact, tags: [...contact.tags], dndSettings: structuredClone(contact.dndSettings) };
}

export function toWireContact(contact: Contact): Record<string, unknown> {
  return {
    ...copyContact(contact),
    firstNameLowerCase: contact.firstName.toLowerCase(),
    lastNameLowerCase: contact.lastName.toLowerCase(),
    fullNameLowerCase: contact.name.toLowerCase(),
  };
}

export function toWireMessage(message: StoredMessage, status: string): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: message.id,
    type: message.channel === 'SMS' ? 2 : 1,
    messageType: wireType(message),
    locationId: message.locationId,
    contactId: message.contactId,
    conversationId: message.conversationId,
    dateAdded: new Date(message.at).toISOString(),
    direction: message.direction,
    status,
    contentType: 'text/plain',
    attachments: [],
    source: message.source,
  };
  if (message.channel === 'SMS') wire.body = message.body;
  if (message.channel === 'CALL') {
    // `meta.call` is what live responses carry; the OpenAPI spec documents flat callDuration/callStatus: serve both.
    const duration = message.callDuration ?? 0;
    wire.meta = { call: { duration, status: message.callStatus }, callDuration: duration, callStatus: message.callStatus };
  }
  if (message.fromNumber !== undefined) wire.from = message.fromNumber;
  if (message.toNumber !== undefined) wire.to = message.toNumber;
  if (message.conversationProviderId !== undefined) wire.conversationProviderId = message.conversationProviderId;
  if (message.altId !== undefined) wire.altId = message.altId;
  if (message.userId !== undefined) wire.userId = message.userId;
  return wire;
}

/** `last`: absent for a conversation created through the API that has no message yet. */
export function toWireConversation(
  conversation: Conversation, contact: Contact | undefined, last: StoredMessage | undefined,
): Record<string, unknown> {
  return {
    id: conversation.id,
    contactId: conversation.contactId,
    locationId: conversation.locationId,
    lastMessageBody: last?.channel === 'SMS' ? last.body : '',
    lastMessageDate: conversation.lastMessageAt,
    ...(last ? { lastMessageType: wireType(last), lastMessageDirection: last.direction } : {}),
    type: 'TYPE_PHONE',
    unreadCount: last?.direction === 'inbound' ? 1 : 0,
    fullName: contact?.name ?? '',
    contactName: contact?.name ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    dateAdded: conversation.createdAt,
    dateUpdated: conversation.lastMessageAt,
  };
}

export function toWireLocation(location: Location): Record<string, unknown> {
  return {
    id: location.id,
    companyId: location.companyId,
    name: location.name,
    phone: location.phone,
    email: '',
    timezone: location.timezone,
    address: '',
    city: '',
    state: '',
    country: 'US',
    postalCode: '',
    website: '',
    business: { name: location.name, timezone: location.timezone },
    settings: {
      allowDuplicateContact: false,
      allowDuplicateOpportunity: false,
      allowFacebookNameMerge: false,
      disableContactTimezone: false,
    },
  };
}

export function toWirePhoneNumber(phoneNumber: string, index: number): Record<string, unknown> {
  return {
    phoneNumber,
    friendlyName: phoneNumber,
    sid: `PN${phoneNumber.replace(/\D/g, '').padStart(32, '0')}`,
    countryCode: phoneNumber.startsWith('+1') ? 'US' : 'ZZ',
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    type: 'local',
    isDefaultNumber: index === 0,
    linkedRingAllUsers: [],
    isGroupConversationEnabled: false,
    origin: 'twilio',
  };
}
