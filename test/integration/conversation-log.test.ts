// The conversation channel's HighLevel calls (find or create the conversation, add a message, set its status), per the
// OpenAPI spec, and the Twilio sender's hook: a send never fails for want of its HighLevel copy.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, HL, type Harness } from '../helpers/harness.js';
import { createAccessTokens } from '../../src/highlevel/access-tokens.js';
import { createApiTransport } from '../../src/highlevel/api-transport.js';
import { createConversationLog } from '../../src/highlevel/conversation-log.js';
import { createOAuthClient } from '../../src/highlevel/oauth-client.js';
import { createPacer } from '../../src/highlevel/pacer.js';
import { HighLevelApiError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createTwilioClients } from '../../src/messaging/twilio-client.js';
import { createTwilioSender, type ConversationLog } from '../../src/messaging/twilio-sender.js';
import { defaultSettings, mergeSettings } from '../../src/workflow/settings.js';
import { TWILIO_API, messageResource, messagesPath, seedTwilioAccount } from '../helpers/twilio.js';

const LOC = 'loc-acme';
const PROVIDER_ID = '61d6d1f9cdac7612faf80753';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC, { settings: { provider: 'twilio' } });
  await seedTwilioAccount(h, LOC);
});
afterEach(async () => { await h.close(); });

function calls(providerId: string | null = PROVIDER_ID) {
  const { tokens, locations } = h.app.storage;
  const oauth = createOAuthClient({ apiUrl: HL, clientId: 'app123-client', clientSecret: 'x', redirectUri: 'https://textback.test/cb' });
  const accessTokens = createAccessTokens({ tokens, locations, oauth, clock: h.clock, logger: silentLogger });
  const sleep = async (ms: number) => { h.clock.advance(ms); };
  const { request } = createApiTransport({ apiUrl: HL, accessTokens, pacer: createPacer({ clock: h.clock, sleep }), clock: h.clock, sleep, logger: silentLogger });
  return createConversationLog({ request, conversationProviderId: providerId });
}

function twilioSender(conversationLog: ConversationLog) {
  return createTwilioSender({
    accounts: h.app.storage.twilioAccounts, clients: createTwilioClients(),
    statusCallbackUrl: 'https://textback.test/webhooks/twilio/status', lineTypes: h.app.storage.lineTypes, clock: h.clock, logger: silentLogger,
    conversationLog,
  });
}
const settings = () => mergeSettings(defaultSettings(), { provider: 'twilio' });

describe('the conversation channel\'s HighLevel calls', () => {
  it('when a text is added, then it goes to the conversation as an SMS of the channel, with its direction, the Twilio SID and the date', async () => {
    const added: Record<string, unknown>[] = [];
    h.highLevel().post('/conversations/messages/inbound', (body) => { added.push(body); return true; })
      .reply(200, { success: true, conversationId: 'conv-9', messageId: 'm-1', message: 'ok' });
    const result = await calls().addMessage(LOC, { conversationId: 'conv-9', contactId: 'contact-1', direction: 'outbound', body: 'Hi from Acme', altId: 'SM123', at: h.clock.now() });
    expect(result).toEqual({ messageId: 'm-1', conversationId: 'conv-9' });
    expect(added).toEqual([{
      type: 'SMS', conversationId: 'conv-9', contactId: 'contact-1', conversationProviderId: PROVIDER_ID, message: 'Hi from Acme',
      direction: 'outbound', altId: 'SM123', date: new Date(h.clock.now()).toISOString(),
    }]);
  });

  it('when HighLevel answers the add with no message id, then it is an error that says HighLevel added nothing recognisable', async () => {
    h.highLevel().post('/conversations/messages/inbound').reply(201, '');
    await expect(calls().addMessage(LOC, { conversationId: 'c', contactId: 'contact-1', direction: 'inbound', body: 'x', altId: 'SM1', at: 0 }))
      .rejects.toMatchObject({ name: 'HighLevelApiError', ambiguous: false });
  });

  it('when no provider id is configured, then nothing is added', async () => {
    await expect(calls(null).addMessage(LOC, { conversationId: 'c', contactId: 'contact-1', direction: 'inbound', body: 'x', altId: 'SM1', at: 0 }))
      .rejects.toThrow(/HIGHLEVEL_CONVERSATION_PROVIDER_ID/);
  });

  it('when the contact has no conversation, then one is created (conversations.write) and its id returned', async () => {
    const created: unknown[] = [];
    h.highLevel().get('/conversations/search').query({ locationId: LOC, contactId: 'contact-1', limit: '1' }).reply(200, { conversations: [], total: 0 });
    h.highLevel().post('/conversations/', (body) => { created.push(body); return true; })
      .reply(201, { success: true, conversation: { id: 'conv-new', contactId: 'contact-1', locationId: LOC, dateAdded: 'x', dateUpdated: 'x', deleted: false, lastMessageDate: 'x' } });
    expect(await calls().ensureConversation(LOC, 'contact-1')).toBe('conv-new');
    expect(created).toEqual([{ locationId: LOC, contactId: 'contact-1' }]);
  });

  it('when the create is refused because the conversation exists meanwhile, then the search finds it', async () => {
    h.highLevel().get('/conversations/search').query(true).reply(200, { conversations: [], total: 0 });
    h.highLevel().post('/conversations/').reply(400, { statusCode: 400, message: 'Conversation already exists' });
    h.highLevel().get('/conversations/search').query(true).reply(200, { conversations: [{ id: 'conv-9' }], total: 1 });
    expect(await calls().ensureConversation(LOC, 'contact-1')).toBe('conv-9');
  });

  it('when a status is set, then it is one of HighLevel\'s four, with the error object on failed', async () => {
    const bodies: unknown[] = [];
    h.highLevel().put('/conversations/messages/m-1/status', (body) => { bodies.push(body); return true; }).times(2)
      .reply(200, { conversationId: 'conv-9', messageId: 'm-1', status: 'failed' });
    await calls().updateStatus(LOC, 'm-1', 'delivered');
    await calls().updateStatus(LOC, 'm-1', 'failed', { code: '30003', message: 'Unreachable handset' });
    expect(bodies).toEqual([{ status: 'delivered' }, { status: 'failed', error: { code: '30003', type: 'saas', message: 'Unreachable handset' } }]);
  });

  it('when HighLevel answers 403 to a status, then the error carries the status for the job to wait and retry', async () => {
    h.highLevel().put('/conversations/messages/m-1/status').reply(403, { statusCode: 403, message: 'not yet' });
    const failure = await calls().updateStatus(LOC, 'm-1', 'delivered').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HighLevelApiError);
    expect(failure).toMatchObject({ status: 403 });
  });
});

describe('the Twilio sender\'s conversation hook', () => {
  it('when a text goes out, then its receipt carries the copy\'s job, for the ledger to store with the send; none when copies are not posted', async () => {
    nock(TWILIO_API).post(messagesPath()).times(2).reply(201, messageResource('SMok'));
    const job = { kind: 'conversation-post', locationId: LOC, subject: 'conversation:+12125550147', dedupeKey: 'conversation-post:out:SMok', runAt: h.clock.now(), payload: {} };
    const receipt = await twilioSender({ postFor: () => job }).send({ locationId: LOC, contactId: 'contact-1', to: '+12125550147', body: 'hi', kind: 'textback' }, settings());
    expect(receipt).toEqual({ provider: 'twilio', providerMessageId: 'SMok', status: expect.any(String), jobs: [job] });
    const plain = await twilioSender({ postFor: () => null }).send({ locationId: LOC, contactId: 'contact-1', to: '+12125550147', body: 'hi', kind: 'textback' }, settings());
    expect(plain).toEqual({ provider: 'twilio', providerMessageId: 'SMok', status: expect.any(String) });
  });

  it('when a text goes out, then its copy is asked for with the SID and the number (the contact may be unknown); a staff reply is not copied again', async () => {
    nock(TWILIO_API).post(messagesPath()).times(2).reply(201, (_uri, _body) => messageResource('SMone'));
    const asked: unknown[] = [];
    const sender = twilioSender({ postFor: (input) => { asked.push(input); return null; } });
    await sender.send({ locationId: LOC, contactId: null, to: '+12125550147', body: 'HELP answer', kind: 'help' }, settings());
    await sender.send({ locationId: LOC, contactId: 'contact-1', to: '+12125550147', body: 'typed by staff', kind: 'staff-reply' }, settings());
    expect(asked).toEqual([{ locationId: LOC, contactId: null, to: '+12125550147', body: 'HELP answer', externalId: 'SMone', sentAt: h.clock.now() }]);
  });
});
