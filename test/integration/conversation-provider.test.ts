// The channel's Delivery URL (issue 19): a ProviderOutboundMessage staff typed reaches the caller through Twilio once,
// signature checked and deduplicated on messageId for good; a suppressed number, a workflow or a bulk action is
// refused and the message marked failed in HighLevel with the reason; nothing marketing is ever sent.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { FROM, interceptSends, postTwilio, seedTwilioAccount } from '../helpers/twilio.js';
import { CHANNEL_ENV, DELIVERY_PATH, conversationRows, deliver, providerMessage, statusUpdatesOf } from '../helpers/conversation-channel.js';
import { generateRsaWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
/** Tuesday 6 January 2026, 23:30 in New York: deep in quiet hours. */
const TUESDAY_11_30PM_NY = Date.UTC(2026, 0, 7, 4, 30, 0);
let h: Harness;
let sends: Record<string, string>[];

beforeEach(async () => {
  h = await createHarness({ env: CHANNEL_ENV, startAt: TUESDAY_11_30PM_NY });
  await h.seedLocation(LOC, { settings: { provider: 'twilio' } });
  await seedTwilioAccount(h, LOC);
  sends = interceptSends();
});
afterEach(async () => { await h.close(); });

const jobsOfKind = async (kind: string) => await h.sql.value('SELECT COUNT(*) FROM jobs WHERE kind = ?', kind);
const twilioStatus = (sid: string, MessageStatus: string) =>
  postTwilio(h, '/webhooks/twilio/status', { MessageSid: sid, SmsSid: sid, AccountSid: 'AC0123456789abcdef0123456789abcdef', MessageStatus, To: CALLER, From: FROM });

describe('a message staff type in the channel', () => {
  it('when it is delivered (and delivered again), then it goes to the caller through Twilio once, in quiet hours too, and is not copied back into HighLevel', async () => {
    statusUpdatesOf(h, 'hl-staff-1');
    expect((await deliver(h, providerMessage())).body).toEqual({ status: 'stored' });
    expect((await deliver(h, providerMessage())).body).toEqual({ status: 'duplicate' });
    await h.runJobs();
    expect((await deliver(h, providerMessage())).body).toEqual({ status: 'duplicate' });
    await h.runJobs();
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ To: CALLER, From: FROM, Body: 'Hi Dana, we can come by at 3pm today.' });
    expect(sends[0].ValidityPeriod).toBeUndefined();
    expect(h.recorded.filter((r) => r.method === 'POST' && r.path.startsWith('/conversations'))).toEqual([]);
    expect(await h.sql.all(`SELECT kind, status FROM messages`)).toEqual([{ kind: 'staff-reply', status: 'sent' }]);
  });

  it('when Twilio reports it delivered, then HighLevel\'s message is marked delivered, after HighLevel\'s 403 window', async () => {
    const updates = statusUpdatesOf(h, 'hl-staff-1', { forbiddenFirst: 1 });
    await deliver(h, providerMessage());
    await h.runJobs();
    await twilioStatus(`SM${'1'.padStart(32, '0')}`, 'delivered');
    await h.runJobs();
    await h.advance(2_000);
    expect(updates).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
    expect(await conversationRows(h)).toMatchObject([{ origin: 'staff', hlMessageId: 'hl-staff-1', pushed: 'delivered' }]);
  });

  it('when the number opted out, then nothing is sent and HighLevel\'s message is marked failed with the reason', async () => {
    await h.app.workflow.suppressions.suppress({ locationId: LOC, phone: CALLER, source: 'keyword', actor: 'caller' }, h.clock.now());
    const updates = statusUpdatesOf(h, 'hl-staff-1');
    await deliver(h, providerMessage());
    await h.runJobs();
    expect(sends).toHaveLength(0);
    expect(updates).toEqual([{ status: 'failed', error: { code: 'opted-out', type: 'saas', message: expect.stringMatching(/opted out/) } }]);
  });

  it('when a workflow or bulk action sends in the channel (no userId), then it is refused, nothing is sent, and it is marked failed with the reason', async () => {
    const updates = statusUpdatesOf(h, 'hl-wf-1');
    const { userId: _none, ...fromWorkflow } = providerMessage({ messageId: 'hl-wf-1', message: 'SALE! 20% off this week only' });
    expect((await deliver(h, fromWorkflow)).status).toBe(200);
    await h.runJobs();
    expect(sends).toHaveLength(0);
    expect(updates).toEqual([{ status: 'failed', error: { code: 'not-from-staff', type: 'saas', message: expect.stringMatching(/workflows and bulk actions are never sent/) } }]);
    expect(await h.sql.value('SELECT COUNT(*) FROM messages')).toBe(0);
  });

  it('when staff attach a file, then it is refused rather than sent without it', async () => {
    const updates = statusUpdatesOf(h, 'hl-staff-1');
    await deliver(h, providerMessage({ attachments: ['https://example.com/quote.pdf'] }));
    await h.runJobs();
    expect(sends).toHaveLength(0);
    expect(updates).toMatchObject([{ status: 'failed', error: { code: 'attachments' } }]);
    expect(await h.sql.value(`SELECT payload FROM jobs WHERE kind = 'provider-outbound'`)).not.toMatch(/example\.com/);
  });

  it('when Twilio refuses it, then HighLevel\'s message is failed with Twilio\'s reason', async () => {
    nock.cleanAll(); // only Twilio's default answer was set up so far
    sends = interceptSends({ replies: [[400, { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 }]] });
    const updates = statusUpdatesOf(h, 'hl-staff-1');
    await deliver(h, providerMessage({ phone: '+12125550148' }));
    await h.runJobs();
    expect(sends).toHaveLength(1);
    expect(updates).toMatchObject([{ status: 'failed', error: { code: '21211', message: expect.stringMatching(/^Not sent: /) } }]);
  });
});

describe('the Delivery URL\'s signature and shape', () => {
  it('when the signature is missing, forged, or only the legacy RSA header is sent, then 401 and nothing is stored', async () => {
    const raw = JSON.stringify(providerMessage());
    expect((await deliver(h, raw, { sign: false })).status).toBe(401);
    const forged = h.signatureFor(JSON.stringify(providerMessage({ message: 'something else' })))['x-ghl-signature'];
    expect((await deliver(h, raw, { sign: false, headers: { 'x-ghl-signature': forged } })).status).toBe(401);
    const rsa = signWebhookBody(raw, generateRsaWebhookKeyPair().privateKey);
    expect((await deliver(h, raw, { sign: false, headers: { [rsa.header]: rsa.signature } })).status).toBe(401);
    await h.runJobs();
    expect(await jobsOfKind('provider-outbound')).toBe(0);
    expect(sends).toHaveLength(0);
  });

  it('when the body is not JSON or lacks its messageId, then 400 and nothing is stored', async () => {
    expect((await deliver(h, '{"type": "SMS",')).status).toBe(400);
    const { messageId: _missing, ...noId } = providerMessage();
    expect((await deliver(h, noId)).status).toBe(400);
    expect(await jobsOfKind('provider-outbound')).toBe(0);
  });

  it('when a signed delivery has no timestamp or webhookId (as documented), then it is still taken', async () => {
    statusUpdatesOf(h, 'hl-staff-1');
    const res = await h.http.post(DELIVERY_PATH).set('content-type', 'application/json')
      .set(h.signatureFor(JSON.stringify(providerMessage()))).send(JSON.stringify(providerMessage()));
    expect(res.status).toBe(200);
  });
});
