// The sandbox's stand-in Twilio as the app's Twilio library sees it, and its webhook signatures as the app checks them.
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { createFakeTwilio } from '../../src/sandbox/fake-twilio.js';
import { signTwilioRequest } from '../../src/sandbox/twilio-signature.js';

const ACCOUNT = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'sandbox-token' };
const FROM = '+16465550100';
const URL_ = 'https://app.example/webhooks/twilio/status?x=1';

function fake() {
  const twilioFake = createFakeTwilio({ clock: createManualClock(Date.UTC(2026, 0, 6, 16)), logger: createLogger({ level: 'silent' }) });
  twilioFake.addAccount({ ...ACCOUNT, numbers: [{ phoneNumber: FROM, smsUrl: 'http://127.0.0.1:9/inbound' }] });
  return twilioFake;
}

describe('signTwilioRequest', () => {
  const params = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+12125550163', AccountSid: ACCOUNT.accountSid };

  it('when the twilio library checks a signature made with the account token, then it is valid', () => {
    expect(twilio.validateRequest(ACCOUNT.authToken, signTwilioRequest(ACCOUNT.authToken, URL_, params), URL_, params)).toBe(true);
  });
  it('when a parameter, the URL or the token differs, then it is not', () => {
    const signature = signTwilioRequest(ACCOUNT.authToken, URL_, params);
    expect(twilio.validateRequest(ACCOUNT.authToken, signature, URL_, { ...params, MessageStatus: 'failed' })).toBe(false);
    expect(twilio.validateRequest(ACCOUNT.authToken, signature, 'https://app.example/webhooks/twilio/status', params)).toBe(false);
    expect(twilio.validateRequest('another-token', signature, URL_, params)).toBe(false);
  });
});

describe('the stand-in Twilio through the twilio library', () => {
  it('when a text is sent from the account number, then it answers queued with a message SID and queues sent and delivered callbacks', async () => {
    const twilioFake = fake();
    const message = await twilioFake.clients.clientFor(ACCOUNT).messages.create({ to: '+12125550163', from: FROM, body: 'Hi', statusCallback: URL_ });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.status).toBe('queued');
    expect(twilioFake.messages()).toMatchObject([{ sid: message.sid, to: '+12125550163', from: FROM, status: 'queued' }]);
    expect(twilioFake.pendingCallbacks()).toBe(2);
  });

  it('when the auth token is wrong, then Twilio\'s 401 / 20003 comes back and nothing is sent', async () => {
    const twilioFake = fake();
    const send = twilioFake.clients.clientFor({ ...ACCOUNT, authToken: 'wrong' }).messages.create({ to: '+12125550163', from: FROM, body: 'Hi' });
    await expect(send).rejects.toMatchObject({ status: 401, code: 20003 });
    expect(twilioFake.messages()).toEqual([]);
  });

  it('when the From number is not the account\'s, then 21606; a Lookup answers a mobile line', async () => {
    const client = fake().clients.clientFor(ACCOUNT);
    await expect(client.messages.create({ to: '+12125550163', from: '+12125550100', body: 'Hi' })).rejects.toMatchObject({ status: 400, code: 21606 });
    const lookup = await client.lookups.v2.phoneNumbers('+12125550163').fetch({ fields: 'line_type_intelligence' });
    expect(lookup.lineTypeIntelligence).toMatchObject({ type: 'mobile' });
  });
});
