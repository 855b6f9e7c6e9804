// Replies from callers: STOP and every way of saying it, HELP, START/UNSTOP, YES only while suppressed, plain replies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { HOUR } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let texts: string[];
let dndUpdates: unknown[];
/** Answers HighLevel gives the next sends instead of accepting them, first first. */
let sendFailures: [number, Record<string, unknown>][];
/** Extra fields of contact-1 as HighLevel holds it (e.g. its DND settings). */
let contactFields: Record<string, unknown>;
/** The sends and DND changes HighLevel received, in order. */
let sequence: string[];

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  texts = [];
  dndUpdates = [];
  sendFailures = [];
  contactFields = {};
  sequence = [];
  h.highLevel().persist().get('/contacts/contact-1')
    .reply(200, () => ({ contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana', ...contactFields } }));
  h.highLevel().persist().post('/conversations/messages', (body) => { sequence.push('POST send'); if (sendFailures.length === 0) texts.push(body.message); return true; })
    .reply(() => sendFailures.shift() ?? [201, { conversationId: 'conv-1', messageId: `msg-${texts.length}` }]);
  h.highLevel().persist().put('/contacts/contact-1', (body) => { dndUpdates.push(body); sequence.push(`PUT ${body.dndSettings?.SMS?.status}`); return true; }).reply(200, { contact: { id: 'contact-1' } });
  h.highLevel().persist().post('/contacts/contact-1/tags').reply(201, { tags: [] });
  h.acceptDeliveryChecks();
  // After a day the location's name, zone and numbers are read again.
  h.highLevel().persist().get('/locations/loc-acme').reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
  h.highLevel().persist().get('/phone-system/numbers/location/loc-acme').reply(200, { numbers: [{ phoneNumber: '+15550000000', isDefaultNumber: true }] });
});
afterEach(async () => { await h.close(); });

async function missACall() {
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
}
async function reply(body: string) {
  expect((await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body }))).status).toBe(200);
  await h.runJobs();
}
const suppressed = async () => await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER) === 1;

describe('opt-out', () => {
  it.each(['STOP', 'stop', 'Stop!!', 'UNSUBSCRIBE', 'cancel', 'End', 'QUIT', 'halt', 'REVOKE', 'optout', 'opt out', 'Opt-Out', 'STOPALL', 'stop all'])(
    'when the caller texts %j, then the number is suppressed and gets nothing more, ever', async (word) => {
      await missACall();
      await reply(word);
      expect(await suppressed()).toBe(true);
      const afterOptOut = texts.length;
      await h.advance(3 * HOUR);
      await h.advance(25 * HOUR);
      await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
      await h.runJobs();
      expect(texts).toHaveLength(afterOptOut);
      expect(await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1')).toBe('skipped:suppressed');
    });

  it.each(['Please stop texting me', "Don't text me again", 'don’t text me', 'remove me from your list', 'Wrong number', 'no más', 'no more texts'])(
    'when the caller writes %j, then it counts as revoking consent and one plain confirmation is sent', async (phrase) => {
      await missACall();
      await reply(phrase);
      expect(await suppressed()).toBe(true);
      expect(texts).toHaveLength(2);
      expect(texts[1]).toMatch(/unsubscribed/i);
      expect(dndUpdates).toEqual([{ dndSettings: { SMS: { status: 'active', message: 'Opted out by text reply' } } }]);
      await h.advance(3 * HOUR);
      expect(texts).toHaveLength(2);
    });

  it.each(['STOP', 'Unsubscribe', 'REVOKE', 'OPTOUT'])('when the caller texts %j, then no confirmation of ours is added to the carrier\'s own', async (word) => {
    await missACall();
    await reply(word);
    expect(texts).toHaveLength(1);
  });

  it('when the caller texts HALT (not a carrier keyword), then exactly one confirmation of ours follows', async () => {
    await missACall();
    await reply('HALT');
    expect(texts).toHaveLength(2);
  });

  it('when STOP is delivered twice, then it is handled once', async () => {
    await missACall();
    const sms = inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'stop texting me', messageId: 'sms-dup' });
    await Promise.all([h.webhook(sms), h.webhook(sms), h.webhook({ ...sms })]);
    await h.runJobs();
    expect(texts).toHaveLength(2);
  });

  it('when HighLevel reports SMS DND switched on, then the number is suppressed', async () => {
    await h.webhook({ type: 'ContactDndUpdate', locationId: LOC, id: 'contact-1', phone: CALLER, dnd: true, dndSettings: { SMS: { status: 'active', message: 'x', code: '101' } } });
    await h.runJobs();
    expect(await suppressed()).toBe(true);
  });
});

describe('help and opt-in', () => {
  it('when a number that was never texted sends HELP, then it still gets the help text', async () => {
    await reply('HELP');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/Acme Plumbing/);
    expect(texts[0]).toMatch(/STOP/);
    expect(texts[0]).toMatch(/rates may apply/i);
  });

  it('when a suppressed number sends START, then the suppression is lifted with a confirmation', async () => {
    await reply('stop texting me');
    expect(await suppressed()).toBe(true);
    await reply('START');
    expect(await suppressed()).toBe(false);
    expect(texts.at(-1)).toMatch(/resubscribed|subscribed|welcome back/i);
  });

  it('when a number that is not suppressed says YES, then it is just a reply (follow-up cancelled), not an opt-in', async () => {
    await missACall();
    await reply('yes');
    expect(texts).toHaveLength(1);
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
  });

  it('when a suppressed number says YES, then it opts back in', async () => {
    await reply('unsubscribe me');
    await reply('Yes');
    expect(await suppressed()).toBe(false);
  });
});

describe('START through HighLevel after the app set DND', () => {
  it('when a caller who texted STOP texts START, then the DND the app set is lifted (inactive) before the confirmation goes out, and their next missed call is texted', async () => {
    await reply('stop texting me');
    expect(dndUpdates).toEqual([{ dndSettings: { SMS: { status: 'active', message: 'Opted out by text reply' } } }]);
    await reply('START');
    expect(dndUpdates.at(-1)).toEqual({ dndSettings: { SMS: { status: 'inactive', message: 'Opted back in by text reply' } } });
    expect(sequence).toEqual(['POST send', 'PUT active', 'PUT inactive', 'POST send']);
    expect(texts.at(-1)).toMatch(/resubscribed|subscribed|welcome back/i);
    await h.advance(25 * HOUR);
    await missACall();
    expect(await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1')).toBe('texted');
  });

  it('when staff set SMS DND in HighLevel (not the app) and the caller texts START, then that DND is left alone and the number stays suppressed until HighLevel no longer has it', async () => {
    contactFields = { dndSettings: { SMS: { status: 'active' } } };
    await h.webhook({ type: 'ContactDndUpdate', locationId: LOC, id: 'contact-1', phone: CALLER, dnd: false, dndSettings: { SMS: { status: 'active' } } });
    await h.runJobs();
    h.clock.advance(60_000);
    await reply('START');
    expect(dndUpdates).toEqual([]);
    expect(texts).toEqual([]);
    expect(await suppressed()).toBe(true);
    // Staff turned DND off in HighLevel and the update never reached the app: the caller's next START finds it off.
    contactFields = { dndSettings: { SMS: { status: 'inactive' } } };
    await reply('START');
    expect(await suppressed()).toBe(false);
    expect(dndUpdates).toEqual([]);
    expect(texts).toHaveLength(1);
  });
});

describe('answers after a failed first attempt', () => {
  it('when the first attempt to send the HELP answer fails (HighLevel 503), then the job retry answers it, and a redelivery of the same text never answers twice', async () => {
    sendFailures = [[503, { statusCode: 503, message: 'Service Unavailable' }]];
    const help = inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'HELP', messageId: 'sms-help-1' });
    await h.webhook(help);
    await h.runJobs();
    expect(texts).toEqual([]);
    await h.advance(60_000);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/Acme Plumbing/);
    await h.webhook({ ...help });
    await h.runJobs();
    await h.advance(60_000);
    expect(texts).toHaveLength(1);
    expect(await h.sql.value(`SELECT COUNT(*) FROM messages WHERE kind = 'help'`)).toBe(1);
  });

  it('when the first attempt to send the opt-out confirmation fails (HighLevel 502), then the retry confirms and only then sets DND', async () => {
    await missACall();
    sendFailures = [[502, { statusCode: 502, message: 'Bad Gateway' }]];
    await reply('no more texts please');
    expect(await suppressed()).toBe(true);
    expect(dndUpdates).toEqual([]);
    await h.advance(5 * 60_000);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toMatch(/unsubscribed/i);
    expect(dndUpdates).toEqual([{ dndSettings: { SMS: { status: 'active', message: 'Opted out by text reply' } } }]);
  });

  it('when the first attempt to send the START confirmation fails, then the retry confirms once', async () => {
    await reply('stop texting me');
    const before = texts.length;
    sendFailures = [[503, { statusCode: 503, message: 'Service Unavailable' }]];
    await reply('START');
    expect(texts).toHaveLength(before);
    await h.advance(60_000);
    expect(texts).toHaveLength(before + 1);
    expect(texts.at(-1)).toMatch(/resubscribed|subscribed|welcome back/i);
    await h.advance(60_000);
    expect(texts).toHaveLength(before + 1);
  });
});
