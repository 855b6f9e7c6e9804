// The first text names the business: HighLevel's name for the location, read before texting when it is unknown;
// else the business's phone number; else no first text at all. Templates saved from now on must name the business.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { agencyToken, bearer, locationToken, seedCompany } from '../helpers/session.js';
import { HOUR } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const BUSINESS_PHONE = '+12125550100';
let h: Harness;
let sent: string[];

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  sent = [];
  h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().post('/conversations/messages', (body) => { sent.push(String(body.message)); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${sent.length}` }));
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

/** The stored profile has no name (HighLevel gave none at the last read, an hour ago). */
async function forgetName(phone: string | null = BUSINESS_PHONE, numbers: string[] = phone ? [phone] : []) {
  await h.sql.run('UPDATE locations SET name = NULL, phone = ?, profile_synced_at = ? WHERE location_id = ?', phone, h.clock.now() - HOUR, LOC);
  await h.sql.run('DELETE FROM location_numbers WHERE location_id = ?', LOC);
  for (const number of numbers) await h.sql.run('INSERT INTO location_numbers (location_id, phone) VALUES (?, ?)', LOC, number);
}
function profile(location: { name?: string; phone?: string | null }, numbers: string[] = location.phone ? [location.phone] : []) {
  const profileScope = h.highLevel().get(`/locations/${LOC}`).reply(200, { location: { id: LOC, timezone: 'America/New_York', ...location } });
  h.highLevel().get(`/phone-system/numbers/location/${LOC}`).reply(200, { numbers: numbers.map((phoneNumber) => ({ phoneNumber })) });
  return profileScope;
}
async function missACall() {
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
  return await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1');
}
async function page() {
  const token = await locationToken(h, LOC);
  const res = await h.http.get(`/api/locations/${LOC}/settings`).set(bearer(token));
  return { warnings: res.body.warnings as { code: string; message: string }[], token };
}

describe('the first text names the business', () => {
  it('when the location\'s name is unknown, then its profile is read from HighLevel before texting and the text names the business', async () => {
    await forgetName();
    const read = profile({ name: 'Acme Plumbing', phone: BUSINESS_PHONE });
    expect(await missACall()).toBe('texted');
    expect(read.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^Hi Dana, this is Acme Plumbing\. /);
    expect(sent[0]).not.toContain('our office');
  });

  it('when HighLevel gives no name, then the text names the business by its phone number, and the page says so', async () => {
    await forgetName();
    profile({ name: '', phone: BUSINESS_PHONE });
    expect(await missACall()).toBe('texted');
    expect(sent[0]).toMatch(/^Hi Dana, this is \(212\) 555-0100\. /);
    expect(sent[0]).not.toContain('our office');
    const { warnings } = await page();
    expect(warnings).toContainEqual({ code: 'business-name-unknown', message: expect.stringContaining('(212) 555-0100') });
  });

  it('when HighLevel cannot be reached for the name, then the stored phone number identifies the business', async () => {
    await forgetName();
    h.highLevel().persist().get(`/locations/${LOC}`).reply(500, { message: 'Internal Server Error' });
    expect(await missACall()).toBe('texted');
    expect(sent[0]).toMatch(/this is \(212\) 555-0100\. /);
  });

  it('when neither a name nor a phone number is known, then no text goes out, the decision says why, and the page alerts', async () => {
    await forgetName(null);
    profile({ name: '' });
    expect(await missACall()).toBe('skipped:business-unidentified');
    expect(sent).toEqual([]);
    const { warnings } = await page();
    expect(warnings.map((w) => w.code)).toContain('business-unidentified');
  });

  it('when the caller texts HELP to a location HighLevel gives no name, then the answer names the business by its phone number', async () => {
    await forgetName();
    profile({ name: '', phone: BUSINESS_PHONE });
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'HELP' }));
    await h.runJobs();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^\(212\) 555-0100: for help/);
  });

  it('when the page previews a template for a location without a name, then the business phone stands in', async () => {
    await forgetName();
    const { token } = await page();
    const res = await h.http.post(`/api/locations/${LOC}/preview`).set(bearer(token)).send({ template: 'Hi, this is {{business_name}}.', kind: 'followUp' });
    expect(res.body.text).toBe('Hi, this is (212) 555-0100.');
  });
});

describe('templates must name the business', () => {
  it('when a text-back, follow-up or HELP template naming no business is saved, then 422 gives the reason and nothing is saved; naming it passes', async () => {
    const { token } = await page();
    for (const key of ['textBackInHours', 'textBackAfterHours', 'followUp', 'help']) {
      const res = await h.http.put(`/api/locations/${LOC}/settings`).set(bearer(token)).send({ templates: { [key]: 'Sorry we missed your call! How can we help?' } });
      expect(res.status, key).toBe(422);
      expect(res.body.issues, key).toEqual([{ field: `templates.${key}`, message: expect.stringContaining('{{business_name}}') }]);
    }
    const stored = JSON.parse(await h.sql.value('SELECT settings FROM locations WHERE location_id = ?', LOC) as string);
    expect(stored.templates.followUp).toContain('{{business_name}}');

    // The business's name written out, in any case, or {{ business_name }} with spaces, is naming it.
    const res = await h.http.put(`/api/locations/${LOC}/settings`).set(bearer(token)).send({
      templates: { followUp: 'ACME plumbing here: still need a hand?', help: '{{ Business_Name }}: call us. Reply STOP to opt out.' },
    });
    expect(res.status).toBe(200);
    // Confirmations answer the caller's own STOP or START and are not held to the rule.
    expect((await h.http.put(`/api/locations/${LOC}/settings`).set(bearer(token)).send({ templates: { optInConfirmation: 'Welcome back!' } })).status).toBe(200);
  });

  it('when a template stored before the rule names no business, then it still sends, other settings still save, and the page warns about it', async () => {
    const old = 'Hi {{first_name}}, sorry we missed your call! How can we help?';
    await h.editSettings(LOC, (settings) => { settings.templates.textBackInHours = old; });
    expect(await missACall()).toBe('texted');
    expect(sent[0]).toMatch(/^Hi Dana, sorry we missed your call!/);
    const { token, warnings } = await page();
    expect(warnings).toContainEqual({ code: 'templates-name-no-business', message: expect.stringContaining('When you’re open') });
    const res = await h.http.put(`/api/locations/${LOC}/settings`).set(bearer(token)).send({ cooldownHours: 12 });
    expect(res.status).toBe(200);
    expect(res.body.settings.templates.textBackInHours).toBe(old);
  });

  it('when an agency saves default templates, then each must use {{business_name}}, since it serves many businesses', async () => {
    await seedCompany(h, 'company-1');
    const token = await agencyToken(h, 'company-1');
    const unnamed = await h.http.put('/api/agency/company-1/defaults').set(bearer(token)).send({ templates: { help: 'Acme Plumbing: call us anytime.' } });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.issues).toEqual([{ field: 'templates.help', message: expect.stringContaining('{{business_name}}') }]);
    const named = await h.http.put('/api/agency/company-1/defaults').set(bearer(token)).send({ templates: { help: '{{business_name}}: call us anytime.' } });
    expect(named.status).toBe(200);
  });
});
