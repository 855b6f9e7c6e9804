// Lenient zod shapes of the HighLevel API answers this app reads: fields it uses are checked, the rest pass through.
import { z } from 'zod';

const text = z.string().nullish();

export const SendMessageResponseSchema = z.looseObject({
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
  msg: text,
});

export const MessageSchema = z.looseObject({
  id: z.string().min(1),
  /** pending, queued, sent, delivered, undelivered, failed, read, opt_out, … */
  status: text,
  type: z.union([z.number(), z.string()]).nullish(),
  messageType: text,
  direction: text,
  contactId: text,
  conversationId: text,
  locationId: text,
  dateAdded: text,
  body: text,
  /** Documented as `meta.callStatus`; the live API reports a call's status under `meta.call.status`. */
  meta: z.looseObject({
    callStatus: text,
    callDuration: z.union([z.number(), z.string()]).nullish(),
    call: z.looseObject({ status: text, duration: z.union([z.number(), z.string()]).nullish() }).nullish(),
  }).nullish(),
});
export type HighLevelMessage = z.infer<typeof MessageSchema>;

/** GET /conversations/messages/{id}: the message itself, or wrapped as {message}. */
export const GetMessageResponseSchema = z.union([
  z.looseObject({ message: MessageSchema }).transform((body) => body.message),
  MessageSchema,
]);

/** Documented as {lastMessageId, nextPage, messages[]}; HighLevel has been seen to nest it once more under `messages`. */
const MessagePageSchema = z.looseObject({
  lastMessageId: text,
  nextPage: z.boolean().nullish(),
  messages: z.array(MessageSchema),
});
export const ConversationMessagesResponseSchema = z.union([
  MessagePageSchema,
  z.looseObject({ messages: MessagePageSchema }).transform((body) => body.messages),
]).transform((page) => ({ messages: page.messages, nextPage: page.nextPage ?? false, lastMessageId: page.lastMessageId ?? null }));

export const ConversationSchema = z.looseObject({
  id: z.string().min(1),
  contactId: text,
  locationId: text,
  lastMessageType: text,
  lastMessageDirection: text,
  lastMessageDate: z.union([z.number(), z.string()]).nullish(),
  phone: text,
  type: text,
});
export type HighLevelConversation = z.infer<typeof ConversationSchema>;

export const SearchConversationsResponseSchema = z.looseObject({
  conversations: z.array(ConversationSchema),
  total: z.number().nullish(),
});

export const ContactSchema = z.looseObject({
  id: z.string().min(1),
  phone: text,
  firstName: text,
  lastName: text,
  dnd: z.boolean().nullish(),
  dndSettings: z.looseObject({ SMS: z.looseObject({ status: text, message: text }).nullish() }).nullish(),
  tags: z.array(z.string()).nullish(),
});
export type HighLevelContact = z.infer<typeof ContactSchema>;

export const ContactResponseSchema = z.looseObject({ contact: ContactSchema });
/** The duplicate search's answer is undocumented: {contact}, {contact: null} or no contact field at all. */
export const DuplicateContactResponseSchema = z.looseObject({ contact: ContactSchema.nullish() });
/** POST /contacts/upsert: `{ new, contact }`. */
export const UpsertContactResponseSchema = z.looseObject({ new: z.boolean().nullish(), contact: ContactSchema });

export const LocationResponseSchema = z.looseObject({
  location: z.looseObject({ id: text, name: text, timezone: text, phone: text }),
});

export const LocationNumbersResponseSchema = z.looseObject({
  numbers: z.array(z.looseObject({ phoneNumber: z.string().min(1), isDefaultNumber: z.boolean().nullish() })),
});

export const InstalledLocationsResponseSchema = z.looseObject({
  locations: z.array(z.looseObject({ _id: z.string().min(1), name: text, isInstalled: z.boolean().nullish() })).default([]),
  count: z.number().nullish(),
});
