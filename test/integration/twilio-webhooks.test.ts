// Twilio's webhooks: signatures (good, bad, tampered), status callbacks that only move forward, inbound STOP and HELP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { DAY } from '../../src/lib/clock.js';
import {
  APP_AUTH_TOKEN, APP_TWILIO_ENV, AUTH_TOKEN, FROM, SERVICE_SID, interceptSends, postTwilio, seedTwilioAccount,
} from '../helpers/twilio.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const SID = `SM${'1'.padStart(32, '0')}`;
const STATUS = '/webhooks/twilio/status';
const INBOUND = '/webhooks/twilio/inbound';
let h: Harness;
let sends: Record<string, string>[];

beforeEach(async () => {
  h = await createHarness({ env: APP_TWILIO_ENV });
  await h.seedLocation(LOC, { settings: { provider: 'twilio' } });
  await seedTwilioAccount(h, LOC);
  sends = interceptSends();
  h.highLevel().persist().get('/contacts/contact-1')
    .reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
});
afterEach(async () => { await h.close(); });

async function textBack() {
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
  expect(sends).toHaveLength(1);
}
const row = async () => await h.sql.get(`SELECT status, error_code AS code, error_message AS error FROM messages WHERE provider_message_id = ?`, SID) as
  { status: string; code: string | null; error: string | null };
const status = (MessageStatus: string, extra: Record<string, string> = {}) =>
  postTwilio(h, STATUS, { MessageSid: SID, SmsSid: SID, AccountSid: 'AC0123456789abcdef0123456789abcdef', MessageStatus, To: CALLER, From: FROM, ...extra });

describe('status callbacks', () => {
  beforeEach(textBack);

  it('when "delivered" arrives and then a late "sent", then the text stays delivered', async () => {
    expect((await status('delivered')).status).toBe(204);
    expect((await status('sent')).status).toBe(204);
    expect((await status('queued')).status).toBe(204);
    expect((await row()).status).toBe('delivered');
  });

  it('when statuses arrive in order, then the ledger follows them to the final one', async () => {
    await status('sending');
    expect((await row()).status).toBe('sent');
    await status('undelivered', { ErrorCode: '30003' });
    expect(await row()).toEqual({ status: 'undelivered', code: '30003', error: expect.stringMatching(/Unreachable handset/) });
    await status('delivered');
    expect((await row()).status).toBe('undelivered');
  });

  it('when a callback reports 30006, then the number is remembered as a landline', async () => {
    await status('undelivered', { ErrorCode: '30006' });
    expect(await row()).toMatchObject({ status: 'undelivered', code: '30006' });
    expect(await h.sql.value('SELECT line_type FROM location_line_types WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('landline');
  });

  it('when a callback reports 21610, then the number is suppressed', async () => {
    await status('failed', { ErrorCode: '21610' });
    expect((await row()).status).toBe('failed');
    expect(await h.sql.value('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('provider');
  });

  it('when the signature was made with another token, then 403 and nothing changes', async () => {
    const res = await postTwilio(h, STATUS, { MessageSid: SID, MessageStatus: 'delivered' }, { token: 'not-the-auth-token-at-all-000000' });
    expect(res.status).toBe(403);
    expect((await row()).status).toBe('sent');
  });

  it('when a signed callback is tampered with (status changed after signing), then 403', async () => {
    const res = await postTwilio(h, STATUS, { MessageSid: SID, MessageStatus: 'failed', ErrorCode: '21610' }, { signedParams: { MessageSid: SID, MessageStatus: 'delivered' } });
    expect(res.status).toBe(403);
    expect((await row()).status).toBe('sent');
    expect(await h.sql.value('SELECT COUNT(*) FROM suppressions')).toBe(0);
  });

  it('when the signature covers another URL (the proxy\'s, not PUBLIC_URL), then 403', async () => {
    const res = await postTwilio(h, STATUS, { MessageSid: SID, MessageStatus: 'delivered' }, { url: `http://127.0.0.1:3000${STATUS}` });
    expect(res.status).toBe(403);
  });

  it('when the signature header is missing, then 403', async () => {
    expect((await postTwilio(h, STATUS, { MessageSid: SID, MessageStatus: 'delivered' }, { token: null })).status).toBe(403);
  });

  it('when a callback names a message the app does not know, then only the app-wide token can sign it and nothing changes', async () => {
    expect((await postTwilio(h, STATUS, { MessageSid: 'SMunknown', MessageStatus: 'delivered' })).status).toBe(403);
    expect((await postTwilio(h, STATUS, { MessageSid: 'SMunknown', MessageStatus: 'delivered' }, { token: APP_AUTH_TOKEN })).status).toBe(204);
    expect((await row()).status).toBe('sent');
  });
});

describe('inbound texts to the location\'s Twilio number', () => {
  const inbound = (Body: string, options: { token?: string | null; sid?: string; to?: string; service?: string } = {}) => postTwilio(h, INBOUND, {
    MessageSid: options.sid ?? 'SMin1', AccountSid: 'AC0123456789abcdef0123456789abcdef', From: CALLER, To: options.to ?? FROM, Body,
    ...(options.service ? { MessagingServiceSid: options.service } : {}),
  }, { token: options.token });
  const suppressed = async () => await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER) === 1;

  beforeEach(() => {
    h.highLevel().persist().get('/contacts/search/duplicate').query(true).reply(200, { contact: { id: 'contact-1', phone: CALLER } });
    h.highLevel().persist().put('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
  });

  it('when the caller texts STOP, then the answer is empty TwiML, the number is suppressed, Twilio\'s own confirmation stands, and no text follows', async () => {
    await textBack();
    const res = await inbound('STOP');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response\/>$/);
    await h.runJobs();
    expect(await suppressed()).toBe(true);

    await h.advance(3 * 3_600_000);
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect(sends).toHaveLength(1);
    expect(await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1')).toBe('skipped:suppressed');
  });

  it('when the same inbound text is delivered twice, then it is handled once', async () => {
    await inbound('HELP');
    await inbound('HELP');
    await h.runJobs();
    expect(sends).toHaveLength(1);
    expect(sends[0].Body).toMatch(/Acme Plumbing/);
    expect(sends[0]).toMatchObject({ To: CALLER, From: FROM });
  });

  it('when the signature is wrong, then 403 and nothing is handled', async () => {
    expect((await inbound('STOP', { token: APP_AUTH_TOKEN.replace('a', 'b') })).status).toBe(403);
    await h.runJobs();
    expect(await suppressed()).toBe(false);
  });

  it('when the text came to a number in the location\'s Messaging Service, then it is found through the service', async () => {
    await seedTwilioAccount(h, LOC, { service: SERVICE_SID });
    expect((await inbound('STOP', { to: '+12125550199', service: SERVICE_SID })).status).toBe(200);
    await h.runJobs();
    expect(await suppressed()).toBe(true);
  });

  it('when the text is for no configured location, then a valid app-signed request gets empty TwiML and nothing happens', async () => {
    const res = await inbound('STOP', { to: '+12125550111', token: APP_AUTH_TOKEN });
    expect(res.status).toBe(200);
    await h.runJobs();
    expect(await h.sql.value('SELECT COUNT(*) FROM suppressions')).toBe(0);
  });

  it('when a signed START is replayed months later, after the number was erased and retention ran, then it changes nothing', async () => {
    await inbound('STOP', { sid: 'SMstop1' });
    await h.runJobs();
    await inbound('START', { sid: 'SMstart1' });
    await h.runJobs();
    expect(await suppressed()).toBe(false);
    await inbound('STOP', { sid: 'SMstop2' });
    await h.runJobs();
    expect(await suppressed()).toBe(true);

    const token = await locationToken(h, LOC);
    expect((await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token))).status).toBe(200);
    h.clock.advance(400 * DAY);
    await h.app.storage.retention.run({ retentionMonths: 12, uninstallPurgeDays: 90, finishedJobsKeepDays: 7 }, h.clock.now());
    const sendsBefore = sends.length;

    const replay = await inbound('START', { sid: 'SMstart1' });
    expect(replay.status).toBe(200);
    await h.runJobs();
    expect(await suppressed()).toBe(true);
    expect(sends).toHaveLength(sendsBefore);
  });

  it('when signed with the location\'s own auth token, then the text is accepted', async () => {
    expect((await inbound('STOP', { token: AUTH_TOKEN })).status).toBe(200);
  });
});
