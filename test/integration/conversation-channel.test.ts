// Twilio texts in HighLevel's conversation view (issue 19): every text sent through Twilio and every text a caller
// sends to the Twilio number appears in the contact's conversation, once, with Twilio's delivery states kept in step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { FROM, interceptSends, postTwilio, seedTwilioAccount } from '../helpers/twilio.js';
import { CHANNEL_ENV, PROVIDER_ID, conversationIn, conversationRows, statusUpdatesOf } from '../helpers/conversation-channel.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const STATUS = '/webhooks/twilio/status';
const INBOUND = '/webhooks/twilio/inbound';
let h: Harness;
let sends: Record<string, string>[];

/** `slowFirstLookupMs`: the first contact lookup by number (the reply rules' own) answers that late, in real time. */
async function start(env: Record<string, string> = CHANNEL_ENV, options: { slowFirstLookupMs?: number } = {}) {
  h = await createHarness({ env });
  if (options.slowFirstLookupMs) {
    h.highLevel().get('/contacts/search/duplicate').query(true).delay(options.slowFirstLookupMs).reply(200, { contact: { id: 'contact-1', phone: CALLER } });
  }
  await h.seedLocation(LOC, { settings: { provider: 'twilio' } });
  await seedTwilioAccount(h, LOC);
  sends = interceptSends();
  h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().get('/contacts/search/duplicate').query(true).reply(200, { contact: { id: 'contact-1', phone: CALLER } });
  h.highLevel().persist().put('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
  h.highLevel().persist().post('/contacts/contact-1/tags').reply(201, { tags: ['replied'] });
}
afterEach(async () => { await h.close(); });

const sidOf = (n: number) => `SM${String(n).padStart(32, '0')}`;
const twilioStatus = (sid: string, MessageStatus: string, extra: Record<string, string> = {}) =>
  postTwilio(h, STATUS, { MessageSid: sid, SmsSid: sid, AccountSid: 'AC0123456789abcdef0123456789abcdef', MessageStatus, To: CALLER, From: FROM, ...extra });
const callerTexts = (Body: string, sid = 'SMin1') =>
  postTwilio(h, INBOUND, { MessageSid: sid, AccountSid: 'AC0123456789abcdef0123456789abcdef', From: CALLER, To: FROM, Body });
async function textBack() {
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
  expect(sends).toHaveLength(1);
}

describe('a text sent through Twilio', () => {
  beforeEach(() => start());

  it('when the contact has no conversation yet, then one is created and the text-back appears in it as outbound, with its Twilio SID', async () => {
    const hl = conversationIn(h, { exists: false });
    await textBack();
    expect(hl.created).toEqual([{ locationId: LOC, contactId: 'contact-1' }]);
    expect(hl.added).toEqual([{
      type: 'SMS', conversationId: 'conv-1', contactId: 'contact-1', conversationProviderId: PROVIDER_ID, message: sends[0].Body,
      direction: 'outbound', altId: sidOf(1), date: new Date(h.clock.now()).toISOString(),
    }]);
    expect(await conversationRows(h)).toMatchObject([{ origin: 'app', state: 'posted', hlMessageId: 'hl-1', wanted: 'pending', pushed: null }]);
  });

  it('when the answer to the conversation\'s creation is lost, then the next try finds it and the text is posted once', async () => {
    const hl = conversationIn(h, { exists: false, loseCreateAnswer: true });
    await textBack();
    expect(hl.added).toHaveLength(0);
    await h.advance(60_000);
    expect(hl.created).toHaveLength(1);
    expect(hl.added).toHaveLength(1);
    expect((await conversationRows(h))[0].state).toBe('posted');
  });

  it('when Twilio reports sent, then delivered, then a late undelivered, then HighLevel hears delivered once (sent is still pending there)', async () => {
    conversationIn(h);
    const updates = statusUpdatesOf(h, 'hl-1');
    await textBack();
    await twilioStatus(sidOf(1), 'sent');
    await h.runJobs();
    expect(updates).toEqual([]);
    await twilioStatus(sidOf(1), 'delivered');
    await h.runJobs();
    await twilioStatus(sidOf(1), 'undelivered', { ErrorCode: '30003' });
    await h.runJobs();
    expect(updates).toEqual([{ status: 'delivered' }]);
    expect((await conversationRows(h))[0]).toMatchObject({ wanted: 'delivered', pushed: 'delivered' });
  });

  it('when HighLevel answers 403 for a few seconds, then the status is sent again after a backoff until it is taken', async () => {
    conversationIn(h);
    const updates = statusUpdatesOf(h, 'hl-1', { forbiddenFirst: 2 });
    await textBack();
    await twilioStatus(sidOf(1), 'delivered');
    await h.runJobs();
    expect(updates).toHaveLength(1);
    await h.advance(2_000);
    expect(updates).toHaveLength(2);
    expect((await conversationRows(h))[0].pushed).toBeNull();
    await h.advance(4_000);
    expect(updates).toEqual([{ status: 'delivered' }, { status: 'delivered' }, { status: 'delivered' }]);
    expect((await conversationRows(h))[0].pushed).toBe('delivered');
  });

  it('when HighLevel keeps answering 403, then the tries stop at a bound and the give-up is recorded', async () => {
    conversationIn(h);
    const updates = statusUpdatesOf(h, 'hl-1', { forbiddenFirst: 100 });
    await textBack();
    await twilioStatus(sidOf(1), 'delivered');
    for (let i = 0; i < 12; i++) await h.advance(60_000);
    expect(updates).toHaveLength(8);
    expect(await h.sql.value(`SELECT push_error FROM conversation_messages`)).toMatch(/403/);
    expect(await h.sql.value(`SELECT status FROM jobs WHERE kind = 'conversation-status'`)).toBe('failed');
  });

  it('when Twilio reports failed before the text reached HighLevel, then it is marked failed there with Twilio\'s reason once posted', async () => {
    // HighLevel keeps answering 429 (the client's own waits run out): nothing was added, so the job tries later.
    const busy = 5;
    const hl = conversationIn(h, { reply: (n) => (n < busy ? [429, { statusCode: 429, message: 'Too many requests' }] : null) });
    const updates = statusUpdatesOf(h, `hl-${busy + 1}`);
    await textBack();
    expect((await conversationRows(h))[0].state).toBe('pending');
    await twilioStatus(sidOf(1), 'undelivered', { ErrorCode: '30003' });
    await h.advance(60_000);
    expect(hl.added).toHaveLength(busy + 1);
    expect((await conversationRows(h))[0]).toMatchObject({ state: 'posted', pushed: 'failed' });
    expect(updates).toEqual([{ status: 'failed', error: { code: '30003', type: 'saas', message: expect.stringMatching(/Twilio 30003/) } }]);
  });

  it('when HighLevel\'s answer to the add is lost, then the text is recorded unknown, reported, and never posted again', async () => {
    const hl = conversationIn(h, { reply: (n) => (n === 0 ? [502, { statusCode: 502, message: 'Bad Gateway' }] : null) });
    await textBack();
    await h.advance(60 * 60_000);
    expect(hl.added).toHaveLength(1);
    expect((await conversationRows(h))[0]).toMatchObject({ state: 'unknown', errorCode: 'unknown' });
    expect(await h.sql.get(`SELECT status, last_error FROM jobs WHERE kind = 'conversation-post'`))
      .toEqual({ status: 'failed', last_error: expect.stringMatching(/outcome unknown/) });
    expect(h.logs.join('')).toMatch(/conversation message outcome unknown/);
    await twilioStatus(sidOf(1), 'delivered');
    await h.runJobs();
    expect(hl.added).toHaveLength(1);
  });
});

describe('a text a caller sends to the Twilio number', () => {
  beforeEach(() => start(CHANNEL_ENV, { slowFirstLookupMs: 300 }));

  it('when Twilio delivers it three times, then it appears in the conversation once, as inbound', async () => {
    const hl = conversationIn(h);
    const receivedAt = h.clock.now();
    expect((await callerTexts('Running late, can you call me?')).status).toBe(200);
    expect((await callerTexts('Running late, can you call me?')).status).toBe(200);
    await h.runJobs();
    expect((await callerTexts('Running late, can you call me?')).status).toBe(200);
    await h.advance(2_000);
    expect(hl.added).toEqual([{
      type: 'SMS', conversationId: 'conv-1', contactId: 'contact-1', conversationProviderId: PROVIDER_ID,
      message: 'Running late, can you call me?', direction: 'inbound', altId: 'SMin1', date: new Date(receivedAt).toISOString(),
    }]);
    expect(await h.sql.value(`SELECT payload FROM jobs WHERE kind = 'conversation-post'`)).not.toMatch(/Running late/);
  });

  it('when the caller texts STOP, then the number is suppressed before the text is shown in HighLevel', async () => {
    const isSuppressed = async () => await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER) === 1;
    const suppressedWhenPosted: Promise<boolean>[] = [];
    const hl = conversationIn(h, { reply: () => { suppressedWhenPosted.push(isSuppressed()); return null; } });
    await callerTexts('STOP');
    await h.runJobs();
    await h.advance(2_000);
    expect(hl.added).toMatchObject([{ message: 'STOP', direction: 'inbound' }]);
    expect(await Promise.all(suppressedWhenPosted)).toEqual([true]);
    expect(sends).toHaveLength(0);
  });

  it('when HighLevel echoes the message the app added (its InboundMessage names the channel), then nothing is handled twice', async () => {
    conversationIn(h);
    await callerTexts('HELP');
    await h.runJobs();
    expect(sends).toHaveLength(1);
    const echo = { ...inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'HELP', messageId: 'hl-1' }), conversationProviderId: PROVIDER_ID };
    expect((await h.webhook(echo)).body).toEqual({ status: 'ignored' });
    await h.runJobs();
    expect(sends).toHaveLength(1);
  });

  it('when HighLevel\'s answer is lost (connection reset), then it is unknown and a redelivery by Twilio posts nothing', async () => {
    const hl = conversationIn(h, { reply: (n) => (n === 0 ? [504, { statusCode: 504, message: 'Gateway Timeout' }] : null) });
    await callerTexts('Is Thursday OK?');
    await h.runJobs();
    await callerTexts('Is Thursday OK?');
    await h.advance(60 * 60_000);
    expect(hl.added).toHaveLength(1);
    expect(await conversationRows(h)).toMatchObject([{ origin: 'caller', state: 'unknown' }]);
  });
});

describe('without HIGHLEVEL_CONVERSATION_PROVIDER_ID', () => {
  beforeEach(() => start({}));

  it('when texts go through Twilio both ways, then HighLevel is asked nothing about conversations (as before)', async () => {
    await textBack();
    await twilioStatus(sidOf(1), 'delivered');
    await callerTexts('thanks!');
    await h.runJobs();
    expect(h.recorded.filter((r) => r.path.startsWith('/conversations'))).toEqual([]);
    expect(await conversationRows(h)).toEqual([]);
  });

  it('when the settings page loads for a Twilio location, then it warns that replies will not show in HighLevel', async () => {
    const token = await locationToken(h, LOC);
    const res = await h.http.get(`/api/locations/${LOC}/settings`).set(bearer(token));
    expect(res.body.warnings).toContainEqual({ code: 'twilio-not-in-highlevel', message: expect.stringMatching(/replies do not show in HighLevel/) });
  });
});

describe('with the channel configured', () => {
  beforeEach(() => start());

  it('when the settings page loads, then it has no such warning', async () => {
    const token = await locationToken(h, LOC);
    const res = await h.http.get(`/api/locations/${LOC}/settings`).set(bearer(token));
    expect(res.body.warnings.map((w: { code: string }) => w.code)).not.toContain('twilio-not-in-highlevel');
  });
});
