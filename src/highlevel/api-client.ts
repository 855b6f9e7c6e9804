// The HighLevel endpoints this app calls, typed: paths, Version headers and lenient response validation.
import type { z } from 'zod';
import { HighLevelApiError } from '../lib/errors.js';
import * as S from './api-schemas.js';
import { createApiTransport, traceIdOf, type RequestSpec, type TransportOptions } from './api-transport.js';

export { RateLimitedError, type RequestInfo } from './api-transport.js';
export type HighLevelApiOptions = TransportOptions;
export type HighLevelApi = ReturnType<typeof createHighLevelApi>;

const CONVERSATIONS = '2021-04-15';
const V2 = '2021-07-28';

/** A GET with a location token; the other shapes spread over it. */
const get = (path: string, params: Record<string, string>, version = V2) =>
  ({ method: 'GET', path, params, version, ownerKind: 'location', idempotent: true }) as const;

export function createHighLevelApi(options: HighLevelApiOptions) {
  const { request } = createApiTransport(options);

  async function call<T extends z.ZodType>(ownerId: string, spec: RequestSpec, schema: T): Promise<z.output<T>> {
    const response = await request(ownerId, spec);
    const parsed = schema.safeParse(response.data);
    if (parsed.success) return parsed.data;
    // A send HighLevel accepted but answered oddly may well have gone out: it must never be retried.
    throw new HighLevelApiError(`HighLevel ${spec.method} ${spec.path} answered an unexpected body`, response.status,
      traceIdOf(response), false, !spec.idempotent);
  }

  return {
    /** Not idempotent: never retried here after HighLevel may have acted (see HighLevelApiError.ambiguous). */
    async sendSms(locationId: string, input: { contactId: string; message: string; fromNumber?: string; toNumber?: string }) {
      // The minimal body: the newest spec also marks subType and status required, which older specs and the SDK omit.
      const body = { type: 'SMS', contactId: input.contactId, message: input.message, fromNumber: input.fromNumber, toNumber: input.toNumber };
      const spec = { method: 'POST', path: '/conversations/messages', version: CONVERSATIONS, body, ownerKind: 'location', idempotent: false } as const;
      const sent = await call(locationId, spec, S.SendMessageResponseSchema);
      return { conversationId: sent.conversationId, messageId: sent.messageId };
    },
    getMessage(locationId: string, messageId: string) {
      return call(locationId, get('/conversations/messages/{id}', { id: messageId }, CONVERSATIONS), S.GetMessageResponseSchema);
    },
    searchConversations(locationId: string, input: { limit?: number; sortBy?: 'last_message_date'; sort?: 'asc' | 'desc'; startAfterDate?: number }) {
      const query = { locationId, limit: input.limit, sortBy: input.sortBy ?? 'last_message_date', sort: input.sort ?? 'desc', startAfterDate: input.startAfterDate };
      return call(locationId, { ...get('/conversations/search', {}, CONVERSATIONS), query }, S.SearchConversationsResponseSchema);
    },
    /** `type` is a comma list such as TYPE_CALL,TYPE_SMS. */
    listConversationMessages(locationId: string, conversationId: string, input: { type?: string; limit?: number; lastMessageId?: string } = {}) {
      const spec = { ...get('/conversations/{conversationId}/messages', { conversationId }, CONVERSATIONS), query: input };
      return call(locationId, spec, S.ConversationMessagesResponseSchema);
    },
    /** Throws HighLevelApiError with status 404 when there is no such contact. */
    async getContact(locationId: string, contactId: string) {
      return (await call(locationId, get('/contacts/{contactId}', { contactId }), S.ContactResponseSchema)).contact;
    },
    /** Null when no contact has this number (answered {contact: null}, no contact, or 404). */
    async findContactByPhone(locationId: string, phone: string) {
      const spec = { ...get('/contacts/search/duplicate', {}), query: { locationId, number: phone } };
      try {
        return (await call(locationId, spec, S.DuplicateContactResponseSchema)).contact ?? null;
      } catch (error) {
        if (error instanceof HighLevelApiError && error.status === 404) return null;
        throw error;
      }
    },
    /**
     * The contact with this number, created when HighLevel finds none (it matches per the location's duplicate-contact
     * setting). Only locationId and phone are sent: upsert overwrites every field it is given.
     */
    async upsertContact(locationId: string, phone: string) {
      const spec = { ...get('/contacts/upsert', {}), method: 'POST', body: { locationId, phone } } as const;
      return (await call(locationId, spec, S.UpsertContactResponseSchema)).contact;
    },
    async addContactTags(locationId: string, contactId: string, tags: string[]): Promise<void> {
      await request(locationId, { ...get('/contacts/{contactId}/tags', { contactId }), method: 'POST', body: { tags } });
    },
    async setSmsDnd(locationId: string, contactId: string, message: string): Promise<void> {
      const body = { dndSettings: { SMS: { status: 'active', message } } };
      await request(locationId, { ...get('/contacts/{contactId}', { contactId }), method: 'PUT', body });
    },
    /** Lifts SMS DND (status inactive); other channels keep their setting (HighLevel merges dndSettings per channel). */
    async clearSmsDnd(locationId: string, contactId: string, message: string): Promise<void> {
      const body = { dndSettings: { SMS: { status: 'inactive', message } } };
      await request(locationId, { ...get('/contacts/{contactId}', { contactId }), method: 'PUT', body });
    },
    async getLocation(locationId: string) {
      const { location } = await call(locationId, get('/locations/{locationId}', { locationId }), S.LocationResponseSchema);
      return { name: location.name ?? null, timezone: location.timezone ?? null, phone: location.phone ?? null };
    },
    async listLocationNumbers(locationId: string): Promise<string[]> {
      const spec = get('/phone-system/numbers/location/{locationId}', { locationId });
      return (await call(locationId, spec, S.LocationNumbersResponseSchema)).numbers.map((number) => number.phoneNumber);
    },
    /** Where the app is installed under an agency; uses the Company token. */
    async installedLocations(companyId: string, appId: string, page: { skip?: number; limit?: number; isInstalled?: boolean } = {}) {
      const query = { companyId, appId, skip: page.skip?.toString(), limit: page.limit?.toString(), isInstalled: page.isInstalled };
      const spec = { ...get('/oauth/installedLocations', {}), ownerKind: 'company', query } as const;
      const answer = await call(companyId, spec, S.InstalledLocationsResponseSchema);
      return {
        locations: answer.locations.map((l) => ({ id: l._id, name: l.name ?? null, isInstalled: l.isInstalled ?? null })),
        count: answer.count ?? null,
      };
    },
  };
}
