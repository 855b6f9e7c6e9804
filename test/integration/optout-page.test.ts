// The web opt-out page through the real app: suppresses in TextBack (never in HighLevel), answers alike for every
// number, is rate-limited, escapes what it shows, and is offered as a link in HELP replies when the location asks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const STRANGER = '+13125550199';
let h: Harness;
let texts: { to: string; message: string }[];
let dndSet: string[];

beforeEach(async () => {
  h = await createHarness();
  texts = [];
  dndSet = [];
  h.acceptDeliveryChecks();
  h.highLevel().persist().get('/contacts/contact-1')
    .reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().get('/contacts/search/duplicate').query(true)
    .reply(200, (uri) => (new URL(uri, 'https://hl.test').searchParams.get('number') === CALLER
      ? { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } }
      : { contact: null }));
  h.highLevel().persist().put('/contacts/contact-1', (body) => { dndSet.push(body.dndSettings?.SMS?.status); return true; })
    .reply(200, { contact: { id: 'contact-1' } });
  h.highLevel().persist().post('/conversations/messages', (body) => { texts.push({ to: body.toNumber, message: body.message }); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${texts.length}` }));
});
afterEach(async () => { await h.close(); });

const optOut = (phone: string, ip = '203.0.113.7', locationId = LOC) =>
  h.http.post(`/optout/${locationId}`).set('x-forwarded-for', ip).type('form').send({ phone });

async function missACall(messageId: string) {
  expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, messageId }))).status).toBe(200);
  await h.runJobs();
}

describe('GET /optout/:locationId', () => {
  it("when opened, then it shows the business's name escaped, a phone field, and how to opt back in", async () => {
    await h.seedLocation(LOC, { name: '<script>alert(1)</script>' });
    const res = await h.http.get(`/optout/${LOC}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).toMatch(/<input[^>]+name="phone"/);
    expect(res.text).toMatch(/<form method="post"/);
    expect(res.text).toContain('Text START');
  });

  it('when the app is not installed for that location, then a 404 page answers', async () => {
    const res = await h.http.get('/optout/loc-nobody');
    expect(res.status).toBe(404);
    expect(res.text).toContain('does not exist');
    await h.seedLocation('loc-gone');
    await h.sql.run(`UPDATE locations SET status = 'uninstalled' WHERE location_id = 'loc-gone'`);
    expect((await h.http.get('/optout/loc-gone')).status).toBe(404);
    expect((await optOut(CALLER, '203.0.113.7', 'loc-gone')).status).toBe(404);
  });
});

describe('POST /optout/:locationId', () => {
  it('when a caller opts out on the page, then the number is suppressed, pending work cancelled, HighLevel DND left alone, and a later missed call gets no text', async () => {
    await h.seedLocation(LOC);
    await missACall('call-1');
    expect(texts).toHaveLength(1);
    expect(await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup' AND status = 'pending'`)).toBe(1);

    const res = await optOut('(212) 555-0147');
    expect(res.status).toBe(200);
    expect(await h.sql.value('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('web');
    expect(await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup' AND status = 'pending'`)).toBe(0);
    expect(dndSet).toEqual([]); // an unauthenticated form never writes into the CRM
    const audit = await h.sql.value(`SELECT detail FROM audit_log WHERE action = 'web-opt-out'`) as string;
    expect(audit).toContain('***0147');
    expect(audit).not.toContain('5550147');

    await h.advance(3 * HOUR);
    await missACall('call-2');
    expect(texts).toHaveLength(1); // neither the follow-up nor a text-back for the second call
    expect(await h.sql.value('SELECT decision FROM calls WHERE call_key = ?', 'call-2')).toBe('skipped:suppressed');
  });

  it('when a known and an unknown number opt out, then the answers are the same; an unreadable number is asked to be checked', async () => {
    await h.seedLocation(LOC);
    await missACall('call-1');
    const known = await optOut(CALLER);
    const unknown = await optOut(STRANGER);
    const again = await optOut(CALLER);
    expect([known.status, unknown.status, again.status]).toEqual([200, 200, 200]);
    expect(unknown.text).toBe(known.text);
    expect(again.text).toBe(known.text);
    expect(await h.sql.column('SELECT phone FROM suppressions ORDER BY phone')).toEqual([CALLER, STRANGER]);

    const bad = await optOut('call me maybe');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Please check the number');
    expect(await h.sql.value('SELECT COUNT(*) FROM suppressions')).toBe(2);
  });

  it('when one address submits more than 5 times in 10 minutes, then it gets a 429 page until the window passes', async () => {
    await h.seedLocation(LOC);
    for (let i = 0; i < 5; i++) expect((await optOut(STRANGER)).status).toBe(200);
    const limited = await optOut(STRANGER);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/text\/html/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await optOut(STRANGER, '198.51.100.20')).status).toBe(200); // another address is not affected
    h.clock.advance(10 * MINUTE + 1);
    expect((await optOut(STRANGER)).status).toBe(200);
  });
});

describe('the opt-out link in replies', () => {
  it('when the location includes the link, then the HELP reply carries a personalised PUBLIC_URL/optout/link/…; by default it does not', async () => {
    await h.seedLocation(LOC);
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'HELP' }));
    await h.runJobs();
    expect(texts.at(-1)!.message).not.toContain('/optout/');

    await h.editSettings(LOC, (settings) => { settings.includeOptOutLink = true; });
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'info' }));
    await h.runJobs();
    expect(texts.at(-1)!.message).toContain('https://textback.test/optout/link/');
  });
});
