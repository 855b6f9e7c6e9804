// Texting through a location's own Twilio account, end to end: the request Twilio gets, and what each error code does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { FROM, SERVICE_SID, interceptSends, messageResource, seedTwilioAccount, twilioError } from '../helpers/twilio.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC, { settings: { provider: 'twilio' } });
  h.highLevel().persist().get('/contacts/contact-1')
    .reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
});
afterEach(async () => { await h.close(); });

async function missACall() {
  expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }))).status).toBe(200);
  await h.runJobs();
}
const lastDecision = async () => await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1');
const textRow = async () => await h.sql.get(`SELECT status, provider, provider_message_id AS sid, error_code AS code, error_message AS error FROM messages WHERE kind = 'textback' ORDER BY id DESC LIMIT 1`) as
  { status: string; provider: string; sid: string | null; code: string | null; error: string | null } | undefined;
const suppressed = async () => await h.sql.value('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER);
const lineType = async () => await h.sql.get('SELECT line_type AS type, source FROM location_line_types WHERE location_id = ? AND phone = ?', LOC, CALLER);

describe('sending through Twilio', () => {
  it('when a missed call is texted back from a number, then Twilio gets To, From, Body, StatusCallback and a ValidityPeriod bounded by the send window', async () => {
    await seedTwilioAccount(h, LOC);
    const sends = interceptSends();
    await missACall();

    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ To: CALLER, From: FROM, StatusCallback: 'https://textback.test/webhooks/twilio/status' });
    expect(sends[0].Body).toMatch(/Acme Plumbing.*Reply STOP to opt out/s);
    expect(sends[0]).not.toHaveProperty('MessagingServiceSid');
    // 11:00 in New York, the window closes at 20:00; the workflow looks at most four hours ahead.
    expect(Number(sends[0].ValidityPeriod)).toBe(4 * 3600);
    expect(await textRow()).toEqual({ status: 'sent', provider: 'twilio', sid: `SM${'1'.padStart(32, '0')}`, code: null, error: null });
    expect(await lastDecision()).toBe('texted');
  });

  it('when the location sends through a Messaging Service, then the request names the service and no From', async () => {
    await seedTwilioAccount(h, LOC, { service: SERVICE_SID });
    const sends = interceptSends({ replies: [[201, messageResource('SMservice', { status: 'accepted' })]] });
    await missACall();
    expect(sends[0]).toMatchObject({ To: CALLER, MessagingServiceSid: SERVICE_SID });
    expect(sends[0]).not.toHaveProperty('From');
    expect((await textRow())?.sid).toBe('SMservice');
  });

  it('when the location chose "send immediately", then no ValidityPeriod is set for the text-back', async () => {
    await h.editSettings(LOC, (settings) => { settings.textBackPolicy = 'send-immediately'; });
    await seedTwilioAccount(h, LOC);
    const sends = interceptSends();
    await missACall();
    expect(sends[0]).not.toHaveProperty('ValidityPeriod');
  });

  it('when Twilio is chosen but no account is saved, then the text fails with a reason the page can show, and nothing is sent', async () => {
    await missACall();
    expect(await lastDecision()).toBe('failed:twilio-not-configured');
    expect((await textRow())?.error).toMatch(/no usable Twilio account/);
  });
});

describe('Twilio error codes', () => {
  beforeEach(async () => await seedTwilioAccount(h, LOC));

  it('when Twilio answers 21610 (the caller had sent STOP), then the number is suppressed and the follow-up never goes', async () => {
    const sends = interceptSends({ replies: [[400, twilioError(400, 21610, 'Attempt to send to unsubscribed recipient')]] });
    await missACall();
    expect(await lastDecision()).toBe('failed:opted-out');
    expect(await suppressed()).toBe('provider');
    await h.advance(3 * HOUR);
    expect(sends).toHaveLength(1);
  });

  it('when Twilio answers 21211 (invalid number), then the text fails for good and is never retried', async () => {
    const sends = interceptSends({ replies: [[400, twilioError(400, 21211, "The 'To' number is not a valid phone number.")]] });
    await missACall();
    expect(await lastDecision()).toBe('failed:invalid');
    expect(await textRow()).toMatchObject({ status: 'failed', code: '21211' });
    await h.advance(2 * HOUR);
    expect(sends).toHaveLength(1);
    expect(await suppressed()).toBeUndefined();
  });

  it.each([21614, 30006])('when Twilio answers %i (landline), then the number is remembered as a landline and its next missed call is skipped', async (code) => {
    const sends = interceptSends({ replies: [[400, twilioError(400, code)]] });
    await missACall();
    expect(await lastDecision()).toBe('failed:landline');
    expect(await lineType()).toEqual({ type: 'landline', source: `error:${code}` });
    await h.advance(HOUR);
    await missACall();
    expect(await lastDecision()).toBe('skipped:landline');
    expect(sends).toHaveLength(1);
  });

  it.each([
    [30003, 'failed:unreachable', /Unreachable handset/],
    [30005, 'failed:unreachable', /Unknown handset/],
    [30007, 'failed:filtered', /Filtered by the carrier/],
    [30034, 'failed:unregistered-sender', /not in an approved A2P 10DLC campaign/],
  ])('when Twilio answers %i, then the text fails with decision %s and a message the page shows', async (code, decision, message) => {
    interceptSends({ replies: [[400, twilioError(400, code)]] });
    await missACall();
    expect(await lastDecision()).toBe(decision);
    expect(await textRow()).toMatchObject({ status: 'failed', code: String(code) });
    expect((await textRow())?.error).toMatch(message);
    expect(await suppressed()).toBeUndefined();
    expect(await lineType()).toBeUndefined();
  });

  it.each([
    ['30022', 400, twilioError(400, 30022), 15 * MINUTE],
    ['30026', 400, twilioError(400, 30026), 15 * MINUTE],
    ['30027', 400, twilioError(400, 30027), 15 * MINUTE],
    ['HTTP 429', 429, twilioError(429, 20429, 'Too Many Requests'), MINUTE],
  ])('when Twilio answers %s, then nothing is recorded as sent and the same text goes out after backing off', async (_name, status, body, backoff) => {
    const sends = interceptSends({ replies: [[status, body], [201, messageResource('SMlater')]] });
    await missACall();
    expect(sends).toHaveLength(1);
    expect(await textRow()).toBeUndefined();
    expect(await lastDecision()).toBe('pending');
    await h.advance(backoff - 1_000);
    expect(sends).toHaveLength(1);
    await h.advance(1_000);
    expect(sends).toHaveLength(2);
    expect(await textRow()).toMatchObject({ status: 'sent', sid: 'SMlater' });
    expect(await lastDecision()).toBe('texted');
  });
});
