// The MessageSender contract, run against both senders behind the app's routing sender: same cases, same answers.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { SendFailure, type OutgoingText, type SendFailureKind } from '../../src/workflow/ports/services.js';
import { defaultSettings, mergeSettings, type LocationSettings } from '../../src/workflow/settings.js';
import { TWILIO_API, messageResource, messagesPath, seedTwilioAccount, twilioError } from '../helpers/twilio.js';
import { DELIVERY_CHECK_JOB } from '../../src/jobs/kind-names.js';

const LOC = 'loc-acme';
const TO = '+12125550147';

interface ProviderCase {
  provider: 'highlevel' | 'twilio';
  arrange(h: Harness): unknown;
  accepts(h: Harness): { id: string };
  rateLimits(h: Harness): void;
  rejectsInvalidNumber(h: Harness): void;
  dropsConnection(h: Harness): void;
}

const dropped = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

const highLevel: ProviderCase = {
  provider: 'highlevel',
  arrange: () => {},
  accepts: (h) => { h.highLevel().post('/conversations/messages').reply(201, { conversationId: 'conv-1', messageId: 'msg-1' }); return { id: 'msg-1' }; },
  rateLimits: (h) => { h.highLevel().post('/conversations/messages').times(5).reply(429, { message: 'Too many requests' }); },
  rejectsInvalidNumber: (h) => { h.highLevel().post('/conversations/messages').reply(400, { statusCode: 400, message: 'Invalid phone number' }); },
  dropsConnection: (h) => { h.highLevel().post('/conversations/messages').replyWithError(dropped()); },
};

const twilioCase: ProviderCase = {
  provider: 'twilio',
  arrange: (h) => seedTwilioAccount(h, LOC),
  accepts: () => { nock(TWILIO_API).post(messagesPath()).reply(201, messageResource('SMcontract')); return { id: 'SMcontract' }; },
  rateLimits: () => { nock(TWILIO_API).post(messagesPath()).reply(429, twilioError(429, 20429, 'Too Many Requests')); },
  rejectsInvalidNumber: () => { nock(TWILIO_API).post(messagesPath()).reply(400, twilioError(400, 21211, "The 'To' number is not a valid phone number.")); },
  dropsConnection: () => { nock(TWILIO_API).post(messagesPath()).replyWithError(dropped()); },
};

describe.each([highLevel, twilioCase])('MessageSender contract: $provider', (c) => {
  let h: Harness;
  let settings: LocationSettings;
  const text: OutgoingText = { locationId: LOC, contactId: 'contact-1', to: TO, body: 'Hi, this is Acme Plumbing. Reply STOP to opt out.', kind: 'textback' };
  const send = () => h.app.workflow.sender.send(text, settings);
  async function failure(): Promise<SendFailure> {
    const error = await send().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailure);
    return error as SendFailure;
  }

  beforeEach(async () => {
    h = await createHarness();
    await h.seedLocation(LOC, { settings: { provider: c.provider } });
    await c.arrange(h);
    settings = mergeSettings(defaultSettings(), { provider: c.provider });
  });
  afterEach(async () => { await h.close(); });

  it('when the provider accepts the text, then the receipt names the provider (as the ledger does) and its message id', async () => {
    const { id } = c.accepts(h);
    const receipt = await send();
    // HighLevel has no status webhook: its receipt asks for the delivery checks the ledger stores with the send.
    const checks = c.provider === 'highlevel'
      ? { jobs: [expect.objectContaining({ kind: DELIVERY_CHECK_JOB, locationId: LOC, payload: expect.objectContaining({ messageId: id }) })] }
      : {};
    expect(receipt).toEqual({ provider: c.provider, providerMessageId: id, status: expect.any(String), ...checks });
    expect(h.app.workflow.providerName(settings)).toBe(c.provider);
  });

  it('when the provider rate-limits, then the failure is retryable (certainly not sent)', async () => {
    c.rateLimits(h);
    expect((await failure()).kind).toBe<SendFailureKind>('retryable');
  });

  it('when the provider refuses an invalid number, then the failure is rejected with the verdict "invalid"', async () => {
    c.rejectsInvalidNumber(h);
    const error = await failure();
    expect({ kind: error.kind, verdict: error.verdict }).toEqual({ kind: 'rejected', verdict: 'invalid' });
  });

  it('when the connection drops mid-send, then the failure is ambiguous (it may have gone out: never resent)', async () => {
    c.dropsConnection(h);
    expect((await failure()).kind).toBe<SendFailureKind>('ambiguous');
  });
});
