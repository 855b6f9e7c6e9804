// app-manifest.json is what HighLevel is told: its routes must exist and every scope the code uses must be declared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../../app-manifest.json' with { type: 'json' };
import { createHarness, missedCall, inboundSms, type Harness } from '../helpers/harness.js';
import { loadOpenApiChecker } from '../helpers/openapi.js';
import { FROM, interceptSends, postTwilio, seedTwilioAccount } from '../helpers/twilio.js';
import { CHANNEL_ENV, conversationIn, deliver, providerMessage, statusUpdatesOf } from '../helpers/conversation-channel.js';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h.close(); });

describe('app-manifest.json', () => {
  it('when HighLevel calls the paths the manifest declares, then each route exists', async () => {
    expect((await h.http.get(manifest.oauth.installPath)).status).toBe(302);
    expect((await h.http.get(manifest.oauth.redirectPath)).status).toBe(400); // exists: answers "no code" itself
    expect((await h.http.post(manifest.webhooks.path).send('{}')).status).toBe(401); // exists: demands a signature
    expect((await h.http.post(manifest.conversationProvider.deliveryPath).send('{}')).status).toBe(401); // likewise
    expect([200, 304]).toContain((await h.http.get(manifest.customPage.path)).status);
  });

  it('when the app runs its flows, then every HighLevel scope they need is declared in the manifest', async () => {
    await h.seedLocation('loc-1');
    const contact = { contact: { id: 'c-1', locationId: 'loc-1', phone: '+12125550147', firstName: 'Dana' } };
    h.highLevel().persist().get('/contacts/c-1').reply(200, contact);
    h.highLevel().persist().post('/conversations/messages').reply(201, { conversationId: 'c', messageId: 'm' });
    h.highLevel().persist().put('/contacts/c-1').reply(200, contact);
    h.highLevel().persist().post('/contacts/c-1/tags').reply(201, { tags: [] });
    h.highLevel().persist().get('/locations/loc-1').reply(200, { location: { id: 'loc-1', name: 'Acme', timezone: 'America/New_York' } });
    h.highLevel().persist().get('/phone-system/numbers/location/loc-1').reply(200, { numbers: [] });
    h.highLevel().persist().get(/\/conversations\/messages\/.*/).reply(200, { message: { id: 'm', status: 'delivered' } });
    await h.webhook(missedCall({ locationId: 'loc-1', contactId: 'c-1', from: '+12125550147' }));
    await h.webhook({ type: 'LocationUpdate', id: 'loc-1', locationId: 'loc-1' });
    await h.runJobs();
    await h.webhook(inboundSms({ locationId: 'loc-1', contactId: 'c-1', from: '+12125550147', body: 'thanks, call me' }));
    await h.webhook(inboundSms({ locationId: 'loc-1', contactId: 'c-1', from: '+12125550147', body: 'stop texting me' }));
    await h.runJobs();
    await h.advance(5 * 60_000);

    const checker = loadOpenApiChecker();
    const used = new Set(h.recorded.flatMap((r) => checker.scopesFor(r.method, r.path)));
    expect(used.size).toBeGreaterThan(3);
    const declared = new Set(manifest.oauth.scopes);
    expect([...used].filter((scope) => !declared.has(scope))).toEqual([]);
  });

  it('when the conversation channel runs its flows, then every scope they need (conversations.write to create one) is declared', async () => {
    const c = await createHarness({ env: CHANNEL_ENV });
    try {
      await c.seedLocation('loc-acme', { settings: { provider: 'twilio' } });
      await seedTwilioAccount(c, 'loc-acme');
      interceptSends();
      c.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: 'loc-acme', phone: '+12125550147' } });
      c.highLevel().persist().get('/contacts/search/duplicate').query(true).reply(200, { contact: { id: 'contact-1', phone: '+12125550147' } });
      c.highLevel().persist().post('/contacts/contact-1/tags').reply(201, { tags: [] });
      conversationIn(c, { exists: false });
      statusUpdatesOf(c, 'hl-1');
      statusUpdatesOf(c, 'hl-staff-1');
      await c.webhook(missedCall({ locationId: 'loc-acme', contactId: 'contact-1', from: '+12125550147' }));
      await c.runJobs();
      const sid = `SM${'1'.padStart(32, '0')}`;
      await postTwilio(c, '/webhooks/twilio/status', { MessageSid: sid, MessageStatus: 'delivered', To: '+12125550147', From: FROM });
      await postTwilio(c, '/webhooks/twilio/inbound', { MessageSid: 'SMin1', From: '+12125550147', To: FROM, Body: 'thanks' });
      await deliver(c, providerMessage());
      await c.runJobs();
      await c.advance(5 * 60_000);

      const checker = loadOpenApiChecker();
      const used = new Set(c.recorded.flatMap((r) => checker.scopesFor(r.method, r.path)));
      expect([...used]).toEqual(expect.arrayContaining(['conversations.write', 'conversations/message.write', 'conversations.readonly']));
      expect([...used].filter((scope) => !manifest.oauth.scopes.includes(scope))).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
