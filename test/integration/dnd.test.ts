// HighLevel DND means don't send: a DND contact gets no text-back or follow-up through either provider, a
// ContactDndUpdate suppresses (source dnd), a late one older than the caller's START is ignored, and DND turned off
// lifts only what DND alone held.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { interceptSends, seedTwilioAccount } from '../helpers/twilio.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let texts: string[];
let dndPuts: unknown[];
/** What HighLevel answers for GET /contacts/contact-1; tests change it to turn DND on or off. */
let contactFields: Record<string, unknown>;
/** Set: HighLevel refuses every send with it (as it does for a DND contact). */
let refusal: Record<string, unknown> | null;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  texts = [];
  dndPuts = [];
  contactFields = {};
  refusal = null;
  h.highLevel().persist().get('/contacts/contact-1')
    .reply(200, () => ({ contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana', ...contactFields } }));
  h.highLevel().persist().post('/conversations/messages', (body) => { if (!refusal) texts.push(body.message); return true; })
    .reply(() => (refusal ? [400, refusal] : [201, { conversationId: 'conv-1', messageId: `msg-${texts.length}` }]));
  h.highLevel().persist().put('/contacts/contact-1', (body) => { dndPuts.push(body); return true; }).reply(200, { contact: { id: 'contact-1' } });
  h.acceptDeliveryChecks();
  h.highLevel().persist().get('/locations/loc-acme').reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
  h.highLevel().persist().get('/phone-system/numbers/location/loc-acme').reply(200, { numbers: [{ phoneNumber: '+15550000000', isDefaultNumber: true }] });
});
afterEach(async () => { await h.close(); });

async function missACall() {
  expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }))).status).toBe(200);
  await h.runJobs();
}
async function reply(body: string, at = h.clock.now()) {
  const sms = { ...inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body }), dateAdded: new Date(at).toISOString() };
  expect((await h.webhook(sms)).status).toBe(200);
  await h.runJobs();
}
/** HighLevel's ContactDndUpdate for contact-1 (payloads/contact-dnd-update.json's shape). */
function dndUpdate(sms: string, fields: Record<string, unknown> = {}) {
  return { type: 'ContactDndUpdate', locationId: LOC, id: 'contact-1', phone: CALLER, firstName: 'Dana', lastName: 'Whitfield', dnd: false, dndSettings: { SMS: { status: sms, message: 'x', code: '101' } }, ...fields };
}
async function deliver(event: Record<string, unknown>) {
  expect((await h.webhook(event)).status).toBe(200);
  await h.runJobs();
}
const decision = async () => await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1');
const sources = async () => await h.sql.column('SELECT source FROM suppression_sources WHERE location_id = ? AND phone = ? ORDER BY source', LOC, CALLER);
const suppressed = async () => await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER) === 1;

describe('a DND contact is never texted', () => {
  it('when the caller is SMS DND permanent in HighLevel, then no text-back is even tried and the call says skipped:dnd', async () => {
    contactFields = { dnd: false, dndSettings: { SMS: { status: 'permanent' } } };
    await missACall();
    expect(texts).toEqual([]);
    expect(await decision()).toBe('skipped:dnd');
  });

  it('when the location texts through its own Twilio and the contact is SMS DND permanent in HighLevel, then Twilio is never asked', async () => {
    await h.editSettings(LOC, (settings) => { settings.provider = 'twilio'; });
    await seedTwilioAccount(h, LOC);
    const twilioSends = interceptSends();
    contactFields = { dndSettings: { SMS: { status: 'permanent' } } };
    await missACall();
    expect(twilioSends).toEqual([]);
    expect(await decision()).toBe('skipped:dnd');
  });

  it('when DND turns permanent between the text-back and its follow-up (no webhook), then the follow-up is not sent', async () => {
    await missACall();
    expect(texts).toHaveLength(1);
    contactFields = { dndSettings: { SMS: { status: 'permanent' } } };
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
    expect(await h.sql.value('SELECT followup FROM calls ORDER BY id DESC LIMIT 1')).toBe('cancelled:dnd');
  });

});

describe('ContactDndUpdate', () => {
  it("when HighLevel's sample DND update comes with SMS status permanent (and dnd false), then that number is suppressed with source dnd", async () => {
    const sample = JSON.parse(readFileSync('test/fixtures/highlevel/payloads/contact-dnd-update.json', 'utf8')) as Record<string, string>;
    await h.seedLocation(sample.locationId);
    await deliver({ ...sample, dnd: false, dndSettings: { SMS: { status: 'permanent', message: 'Some message', code: '101' } } });
    expect(await h.sql.column('SELECT source FROM suppression_sources WHERE location_id = ? AND phone = ?', sample.locationId, sample.phone)).toEqual(['dnd']);
  });

  it('when SMS DND turns permanent, then the number is suppressed and its pending follow-up is cancelled', async () => {
    await missACall();
    await deliver(dndUpdate('permanent'));
    expect(await sources()).toEqual(['dnd']);
    await h.advance(3 * HOUR);
    expect(texts).toHaveLength(1);
  });

  it('when DND is turned off again, then a number only DND held is texted again', async () => {
    await deliver(dndUpdate('active'));
    expect(await suppressed()).toBe(true);
    h.clock.advance(MINUTE);
    await deliver(dndUpdate('inactive'));
    expect(await suppressed()).toBe(false);
    await missACall();
    expect(texts).toHaveLength(1);
  });

  it('when a number the caller STOPped is also DND and DND goes inactive, then it stays suppressed (the STOP still holds it)', async () => {
    await reply('STOP');
    await deliver(dndUpdate('active'));
    expect(await sources()).toEqual(['dnd', 'keyword']);
    h.clock.advance(MINUTE);
    await deliver(dndUpdate('inactive'));
    expect(await sources()).toEqual(['keyword']);
    await missACall();
    expect(texts).toEqual([]);
    expect(await decision()).toBe('skipped:suppressed');
  });

  it('when the DND update the STOP caused arrives late, after the caller texted START, then it is ignored (by its envelope timestamp)', async () => {
    const stopAt = h.clock.now();
    await reply('STOP');
    expect(dndPuts).toEqual([{ dndSettings: { SMS: { status: 'active', message: 'Opted out by text reply' } } }]);
    h.clock.advance(2 * MINUTE);
    await reply('START');
    expect(await suppressed()).toBe(false);
    h.clock.advance(MINUTE);
    await deliver({ ...dndUpdate('active'), timestamp: new Date(stopAt + 1_000).toISOString() });
    expect(await suppressed()).toBe(false);
    await missACall();
    expect(texts.at(-1)).toMatch(/Acme Plumbing/);
    expect(await decision()).toBe('texted');
    // DND set after the START (by staff) is a new decision: it holds the number.
    h.clock.advance(MINUTE);
    await deliver(dndUpdate('active'));
    expect(await sources()).toEqual(['dnd']);
  });

  it("when a late DND update carries the contact's dateUpdated from before the caller's START, then it is ignored", async () => {
    await reply('STOP');
    const dndSetAt = h.clock.now() + 1_000;
    h.clock.advance(2 * MINUTE);
    await reply('START');
    await deliver(dndUpdate('active', { dateUpdated: new Date(dndSetAt).toISOString() }));
    expect(await suppressed()).toBe(false);
  });

});

describe('answers the caller asked for', () => {
  it('when a DND contact texts HELP, then the app does not hold the answer back; HighLevel\'s DND refusal holds the number as dnd, not as a caller-proven opt-out', async () => {
    refusal = { statusCode: 400, message: 'Cannot send message as DND is active for SMS.' };
    contactFields = { dndSettings: { SMS: { status: 'active' } } };
    await reply('HELP');
    expect(await h.sql.value(`SELECT status FROM messages WHERE kind = 'help'`)).toBe('failed');
    expect(await sources()).toEqual(['dnd']);
  });
});
