// The stand-in HighLevel as a conversation provider's counterpart, driven by the app's own conversation calls over
// real HTTP: conversations created once per contact, messages added in either direction with the channel's id (never
// deduplicated, as HighLevel does not), statuses refused for HighLevel's 403 window, ProviderOutboundMessage events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { HighLevelApiError } from '../../src/lib/errors.js';
import { createApiTransport } from '../../src/highlevel/api-transport.js';
import { createConversationLog } from '../../src/highlevel/conversation-log.js';
import { createPacer } from '../../src/highlevel/pacer.js';
import { ProviderOutboundMessageSchema } from '../../src/http/conversation-provider.js';
import { PROVIDER_STATUS_WINDOW_MS, createStandIn, type StandIn } from '../../src/sandbox/standin/index.js';

const CLIENT_ID = 'app123abc-x1y2z3';
const PROVIDER_ID = 'prov-textback-1';
let clock: ManualClock;
let standIn: StandIn;
let close: () => Promise<void>;
let url: string;
let companyId: string;
let locationId: string;
let contactId: string;

beforeEach(async () => {
  clock = createManualClock();
  standIn = createStandIn({ clock, clientId: CLIENT_ID, clientSecret: 'secret', rateLimit: false });
  companyId = standIn.createCompany({ name: 'Agency' }).id;
  locationId = standIn.createLocation({ companyId, name: 'Acme Plumbing', timezone: 'America/New_York', numbers: ['+12125550100'] }).id;
  contactId = standIn.createContact(locationId, { phone: '+12125550147', firstName: 'Dana' }).id;
  ({ url, close } = await standIn.listen(0));
});
afterEach(async () => { await close(); });

/** The app's conversation calls, through its real transport, with a Location token the stand-in issued. */
async function appCalls() {
  const code = standIn.issueAuthCode({ userType: 'Location', companyId, locationId });
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: 'secret', grant_type: 'authorization_code', code, user_type: 'Location' }),
  });
  const token = ((await res.json()) as { access_token: string }).access_token;
  const accessTokens = { forLocation: async () => token, forCompany: async () => token, afterUnauthorized: async () => token };
  const sleep = async (ms: number) => { clock.advance(ms); };
  const { request } = createApiTransport({ apiUrl: url, accessTokens, pacer: createPacer({ clock, sleep }), clock, sleep, logger: silentLogger, maxRetries: 0 });
  return createConversationLog({ request, conversationProviderId: PROVIDER_ID });
}

describe('the stand-in as the channel\'s HighLevel', () => {
  it('when the app asks for a contact\'s conversation twice, then it is created once and found the second time', async () => {
    const calls = await appCalls();
    const first = await calls.ensureConversation(locationId, contactId);
    expect(await calls.ensureConversation(locationId, contactId)).toBe(first);
    expect(await calls.findConversation(locationId, contactId)).toBe(first);
  });

  it('when the app adds a text each way, then both are in the conversation with the channel\'s id, and a repeat shows twice (no idempotency key)', async () => {
    const calls = await appCalls();
    const conversationId = await calls.ensureConversation(locationId, contactId);
    const base = { conversationId, contactId, at: clock.now() };
    await calls.addMessage(locationId, { ...base, direction: 'outbound', body: 'Sorry we missed your call!', altId: 'SM1' });
    await calls.addMessage(locationId, { ...base, direction: 'inbound', body: 'Can you call me back?', altId: 'SMin1' });
    await calls.addMessage(locationId, { ...base, direction: 'inbound', body: 'Can you call me back?', altId: 'SMin1' });
    expect(standIn.channelMessages({ locationId }).map((m) => [m.direction, m.message, m.altId, m.conversationProviderId])).toEqual([
      ['outbound', 'Sorry we missed your call!', 'SM1', PROVIDER_ID],
      ['inbound', 'Can you call me back?', 'SMin1', PROVIDER_ID],
      ['inbound', 'Can you call me back?', 'SMin1', PROVIDER_ID],
    ]);
  });

  it('when staff type in the channel, then the event is HighLevel\'s ProviderOutboundMessage, and its status is refused (403) until the window passes', async () => {
    const calls = await appCalls();
    const typed = standIn.sendInChannel({ locationId, contactId, conversationProviderId: PROVIDER_ID, message: 'On our way', userId: 'user-42' });
    expect(ProviderOutboundMessageSchema.parse(typed.event)).toMatchObject({ messageId: typed.messageId, userId: 'user-42', phone: '+12125550147', type: 'SMS' });
    expect(typed.event).not.toHaveProperty('appId');
    expect(typed.event).not.toHaveProperty('timestamp');
    expect(typed.event).not.toHaveProperty('webhookId');

    const early = await calls.updateStatus(locationId, typed.messageId, 'delivered').catch((error: unknown) => error);
    expect(early).toBeInstanceOf(HighLevelApiError);
    expect(early).toMatchObject({ status: 403 });
    clock.advance(PROVIDER_STATUS_WINDOW_MS);
    await calls.updateStatus(locationId, typed.messageId, 'failed', { code: 'opted-out', message: 'Not sent: opted out' });
    expect(standIn.channelMessages({ locationId })).toMatchObject([{ id: typed.messageId, status: 'failed', statusError: 'Not sent: opted out', userId: 'user-42' }]);
  });

  it('when a workflow sends in the channel, then its event has no userId', () => {
    const typed = standIn.sendInChannel({ locationId, contactId, conversationProviderId: PROVIDER_ID, message: 'Promo!' });
    expect(typed.event).not.toHaveProperty('userId');
  });

  it('when a status is set on a message that is not the channel\'s, or is not one of the four, then it is refused', async () => {
    const calls = await appCalls();
    const { event } = standIn.receiveSms({ locationId, from: '+12125550147', body: 'hello' });
    await expect(calls.updateStatus(locationId, event.messageId as string, 'read')).rejects.toMatchObject({ status: 403 });
    const typed = standIn.sendInChannel({ locationId, contactId, conversationProviderId: PROVIDER_ID, message: 'x', userId: 'u' });
    clock.advance(PROVIDER_STATUS_WINDOW_MS);
    await expect(calls.updateStatus(locationId, typed.messageId, 'sent' as never)).rejects.toMatchObject({ status: 422 });
  });
});
