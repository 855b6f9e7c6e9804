// A Twilio text shown in the contact's HighLevel conversation: found by contact, added as a message, never failing a send.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, HL, type Harness } from '../helpers/harness.js';
import { createAccessTokens } from '../../src/highlevel/access-tokens.js';
import { createApiTransport } from '../../src/highlevel/api-transport.js';
import { createConversationLog } from '../../src/highlevel/conversation-log.js';
import { createOAuthClient } from '../../src/highlevel/oauth-client.js';
import { createPacer } from '../../src/highlevel/pacer.js';
import { createSecretBox } from '../../src/lib/crypto.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createTwilioClients } from '../../src/messaging/twilio-client.js';
import { createTwilioSender, type ConversationLog } from '../../src/messaging/twilio-sender.js';
import { createLineTypeCache } from '../../src/store/line-types.js';
import { createLocationStore } from '../../src/store/locations.js';
import { createTokenStore } from '../../src/store/tokens.js';
import { createTwilioAccounts } from '../../src/store/twilio-accounts.js';
import { defaultSettings, mergeSettings } from '../../src/workflow/settings.js';
import { TWILIO_API, messageResource, messagesPath, seedTwilioAccount } from '../helpers/twilio.js';

const LOC = 'loc-acme';
const PROVIDER_ID = '61d6d1f9cdac7612faf80753';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  h.seedLocation(LOC, { settings: { provider: 'twilio' } });
  seedTwilioAccount(h, LOC);
});
afterEach(async () => { await h.close(); });

function conversationLog(): ConversationLog {
  const tokens = createTokenStore(h.app.db, createSecretBox(h.config.encryptionKey!));
  const oauth = createOAuthClient({ apiUrl: HL, clientId: 'app123-client', clientSecret: 'x', redirectUri: 'https://textback.test/cb' });
  const accessTokens = createAccessTokens({ tokens, locations: createLocationStore(h.app.db), oauth, clock: h.clock, logger: silentLogger });
  const sleep = async (ms: number) => { h.clock.advance(ms); };
  const { request } = createApiTransport({ apiUrl: HL, accessTokens, pacer: createPacer({ clock: h.clock, sleep }), clock: h.clock, sleep, logger: silentLogger });
  return createConversationLog({ request, conversationProviderId: PROVIDER_ID });
}

describe('conversation log', () => {
  it('when the contact has a conversation, then the text is added to it as an SMS with the Twilio SID, per the OpenAPI spec', async () => {
    const added: Record<string, unknown>[] = [];
    h.highLevel().get('/conversations/search').query({ locationId: LOC, contactId: 'contact-1', limit: '1' })
      .reply(200, { conversations: [{ id: 'conv-9', contactId: 'contact-1' }], total: 1 });
    h.highLevel().post('/conversations/messages/inbound', (body) => { added.push(body); return true; })
      .reply(200, { success: true, conversationId: 'conv-9', messageId: 'm-1', message: 'ok' });
    await conversationLog().recordOutbound({ locationId: LOC, contactId: 'contact-1', body: 'Hi from Acme', externalId: 'SM123', sentAt: h.clock.now() });
    expect(added).toEqual([{
      type: 'SMS', conversationId: 'conv-9', contactId: 'contact-1', conversationProviderId: PROVIDER_ID, message: 'Hi from Acme',
      altId: 'SM123', date: new Date(h.clock.now()).toISOString(),
    }]);
  });

  it('when the contact has no conversation yet, then nothing is added (creating one needs a scope the app does not ask for)', async () => {
    h.highLevel().get('/conversations/search').query(true).reply(200, { conversations: [], total: 0 });
    await conversationLog().recordOutbound({ locationId: LOC, contactId: 'contact-1', body: 'x', externalId: 'SM1', sentAt: h.clock.now() });
  });

  it('when logging fails, then the Twilio send still succeeds and the receipt is returned', async () => {
    nock(TWILIO_API).post(messagesPath()).reply(201, messageResource('SMok'));
    h.highLevel().get('/conversations/search').query(true).reply(500, { message: 'boom' }).persist();
    const accounts = createTwilioAccounts(h.app.db, createSecretBox(h.config.encryptionKey!), { appAccount: null });
    let logged: Promise<void> | undefined;
    const log = conversationLog();
    const sender = createTwilioSender({
      accounts, clients: createTwilioClients(), statusCallbackUrl: 'https://textback.test/webhooks/twilio/status',
      lineTypes: createLineTypeCache(h.app.db), clock: h.clock, logger: silentLogger,
      conversationLog: { recordOutbound: (input) => (logged = log.recordOutbound(input)) },
    });
    const receipt = await sender.send({ locationId: LOC, contactId: 'contact-1', to: '+12125550147', body: 'hi', kind: 'textback' }, mergeSettings(defaultSettings(), { provider: 'twilio' }));
    expect(receipt).toMatchObject({ provider: 'twilio', providerMessageId: 'SMok' });
    await expect(logged).rejects.toThrow();
  });
});
