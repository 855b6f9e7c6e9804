// HighLevel's own sample payloads (test/fixtures/highlevel/payloads/, copied unchanged from its docs), read from the
// files as they are, wrapped in the documented envelope (timestamp, webhookId) and replayed through the real intake.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedCompany } from '../helpers/session.js';
import { encryptUserContext } from '../../src/highlevel/sso.js';

const PAYLOADS = fileURLToPath(new URL('../fixtures/highlevel/payloads/', import.meta.url));
/** The samples' appId: the app under test is that app (client id = appId + '-' + suffix). */
const SAMPLE_APP = { HIGHLEVEL_CLIENT_ID: 've9EPM428h8vShlRW1KT-textback' };
/** The call samples are dated 8 May 2024 about 12:00 UTC; the clock stands an hour later (09:05 in New York). */
const CALL_SAMPLES_AT = Date.parse('2024-05-08T13:05:00.000Z');

const replayed = new Set<string>();
function sample(name: string): Record<string, unknown> {
  replayed.add(name);
  return JSON.parse(readFileSync(join(PAYLOADS, name), 'utf8')) as Record<string, unknown>;
}

let h: Harness;
afterEach(async () => { await h.close(); });

async function harness(startAt?: number) {
  h = await createHarness({ env: SAMPLE_APP, startAt });
  return h;
}

/**
 * The sample as HighLevel delivers it: the envelope beside the sample's own fields, signed, through the intake. The bare
 * sample (no envelope) is refused first: without a timestamp nothing bounds a replay.
 */
async function replay(name: string) {
  const bare = await h.webhook({ ...sample(name), timestamp: undefined, webhookId: undefined });
  expect(bare.status, `${name} without its envelope`).toBe(401);
  expect(await h.sql.value('SELECT COUNT(*) FROM jobs WHERE kind = ?', 'highlevel-event'), name).toBe(0);
  const res = await h.webhook({ ...sample(name), timestamp: new Date(h.clock.now()).toISOString(), webhookId: `replay-${name}` });
  expect(res.status, name).toBe(200);
  expect(res.body, name).toEqual({ status: 'stored' });
  await h.runJobs();
}

const row = async (sql: string, ...params: unknown[]) => await h.sql.get(sql, ...params) as Record<string, unknown> | undefined;

describe('install and uninstall samples', () => {
  it('install-agency.json: when an agency installs, then no location is created and nothing is asked of HighLevel', async () => {
    await harness();
    await replay('install-agency.json');
    expect(await row('SELECT COUNT(*) AS n FROM locations')).toEqual({ n: 0 });
    expect(h.recorded).toEqual([]);
  });

  it('install-location.json: when a sub-account of an installed agency installs, then it is installed under its company', async () => {
    await harness();
    const { locationId, companyId } = sample('install-location.json') as { locationId: string; companyId: string };
    await seedCompany(h, companyId);
    h.highLevel().persist().post('/oauth/locationToken')
      .reply(200, { access_token: 'minted', token_type: 'Bearer', expires_in: 86399, scope: 'conversations/message.write', userType: 'Location', locationId, companyId });
    h.highLevel().persist().get('/oauth/installedLocations').query(true)
      .reply(200, { locations: [{ _id: locationId, name: 'Example', isInstalled: true }], count: 1, installToFutureLocations: true });
    await replay('install-location.json');
    expect(await row('SELECT status, company_id AS companyId FROM locations WHERE location_id = ?', locationId)).toEqual({ status: 'installed', companyId });
  });

  it('uninstall-location.json: when the sub-account uninstalls, then its tokens are gone at once and it is uninstalled', async () => {
    await harness();
    const { locationId } = sample('uninstall-location.json') as { locationId: string };
    await h.seedLocation(locationId);
    await replay('uninstall-location.json');
    expect(await row('SELECT status FROM locations WHERE location_id = ?', locationId)).toEqual({ status: 'uninstalled' });
    expect(await row('SELECT COUNT(*) AS n FROM tokens WHERE owner_id = ?', locationId)).toEqual({ n: 0 });
  });
});

describe('call and SMS samples', () => {
  it('inbound-call-voicemail.json: when a call ends in voicemail, then the caller (found through the contact) is texted once, naming the business', async () => {
    await harness(CALL_SAMPLES_AT);
    const call = sample('inbound-call-voicemail.json') as { locationId: string; contactId: string; messageId: string };
    await h.seedLocation(call.locationId, { name: 'Sample Dental' });
    h.highLevel().persist().get(`/contacts/${call.contactId}`).reply(200, { contact: { id: call.contactId, locationId: call.locationId, phone: '+12125550147', firstName: 'Sam' } });
    const texts: { contactId: string; message: string }[] = [];
    h.highLevel().persist().post('/conversations/messages', (body) => { texts.push(body); return true; })
      .reply(201, () => ({ conversationId: 'conv-sample', messageId: `msg-${texts.length}` }));
    h.acceptDeliveryChecks();
    await replay('inbound-call-voicemail.json');
    expect(texts).toHaveLength(1);
    expect(texts[0].contactId).toBe(call.contactId);
    expect(texts[0].message).toContain('Sample Dental');
    expect(await row('SELECT status, missed, decision FROM calls WHERE call_key = ?', call.messageId)).toEqual({ status: 'voicemail', missed: 1, decision: 'texted' });
    // Voicemail URLs are never kept, not even in the queue.
    expect(JSON.stringify(await h.sql.column('SELECT payload FROM jobs'))).not.toContain('voicemail url');
  });

  it('inbound-call-answered.json: when the call was answered (labelled OutboundMessage, direction inbound), then it is recorded as answered and nobody is texted', async () => {
    await harness(CALL_SAMPLES_AT);
    const call = sample('inbound-call-answered.json') as { locationId: string; contactId: string; messageId: string };
    await h.seedLocation(call.locationId);
    h.highLevel().persist().get(`/contacts/${call.contactId}`).reply(200, { contact: { id: call.contactId, locationId: call.locationId, phone: '+12125550148' } });
    await replay('inbound-call-answered.json');
    expect(await row('SELECT status, missed, decision FROM calls WHERE call_key = ?', call.messageId)).toEqual({ status: 'completed', missed: 0, decision: 'ignored:answered' });
    expect(h.recorded.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('outbound-call.json: when the business calls out, then the call is recorded as outbound and nobody is texted', async () => {
    await harness(CALL_SAMPLES_AT);
    const call = sample('outbound-call.json') as { locationId: string; messageId: string };
    await h.seedLocation(call.locationId);
    h.highLevel().persist().get(/^\/contacts\/[^/]+$/).reply(200, { contact: { id: 'cI08i1Bls3iTB9bKgFJh', phone: '+15551234567' } });
    await replay('outbound-call.json');
    expect(await row('SELECT missed, decision FROM calls WHERE call_key = ?', call.messageId)).toEqual({ missed: 0, decision: 'ignored:outbound' });
    expect(h.recorded.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('inbound-sms.json: when a caller texts, then the reply is recorded for the contact\'s number, the contact is tagged and nothing is sent back', async () => {
    await harness();
    const sms = sample('inbound-sms.json') as { locationId: string; contactId: string; from: string };
    await h.seedLocation(sms.locationId);
    // The sample's own number (555-1234) is not a dialable one, so the number is the HighLevel contact's.
    h.highLevel().persist().get(`/contacts/${sms.contactId}`).reply(200, { contact: { id: sms.contactId, locationId: sms.locationId, phone: '+12125550149' } });
    const tags: unknown[] = [];
    h.highLevel().persist().post(`/contacts/${sms.contactId}/tags`, (body) => { tags.push(body.tags); return true; }).reply(201, { tags: ['missed-call-replied'] });
    await replay('inbound-sms.json');
    expect(tags).toEqual([['missed-call-replied']]);
    expect(await row('SELECT phone, contact_id AS contactId, meaning FROM replies WHERE location_id = ?', sms.locationId)).toMatchObject({ phone: '+12125550149', contactId: sms.contactId });
    expect(h.recorded.filter((r) => r.path.startsWith('/conversations/messages'))).toEqual([]);
  });
});

describe('DND sample', () => {
  it('contact-dnd-update.json: when SMS DND is active on the contact, then the number is suppressed and a missed call from it is not texted', async () => {
    await harness();
    const dnd = sample('contact-dnd-update.json') as { locationId: string; id: string; phone: string };
    await h.seedLocation(dnd.locationId);
    h.highLevel().persist().get(`/contacts/${dnd.id}`).reply(200, { contact: { id: dnd.id, phone: dnd.phone, dnd: true, dndSettings: { SMS: { status: 'active' } } } });
    await replay('contact-dnd-update.json');
    expect(await row('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', dnd.locationId, dnd.phone)).toEqual({ source: 'dnd' });

    const res = await h.webhook({ type: 'InboundMessage', locationId: dnd.locationId, contactId: dnd.id, messageType: 'CALL', direction: 'inbound', messageId: 'call-dnd', status: 'no-answer', from: dnd.phone });
    expect(res.status).toBe(200);
    await h.runJobs();
    expect(String((await row('SELECT decision FROM calls WHERE call_key = ?', 'call-dnd'))?.decision)).toMatch(/^skipped:/);
    expect(h.recorded.filter((r) => r.path === '/conversations/messages')).toEqual([]);
  });
});

describe('OAuth and user-context samples', () => {
  it('token-response-location.json: when HighLevel answers the code exchange with its sample, then that location is installed', async () => {
    await harness();
    const grant = sample('token-response-location.json') as { locationId: string; companyId: string };
    h.highLevel().post('/oauth/token').reply(200, grant);
    h.highLevel().persist().get(`/locations/${grant.locationId}`).reply(200, { location: { id: grant.locationId, name: 'Sample Shop', timezone: 'America/New_York' } });
    h.highLevel().persist().get(`/phone-system/numbers/location/${grant.locationId}`).reply(200, { numbers: [] });
    const res = await h.http.get('/oauth/callback?code=sample-code');
    expect(res.status).toBe(200);
    expect(await row('SELECT status, company_id AS companyId FROM locations WHERE location_id = ?', grant.locationId)).toEqual({ status: 'installed', companyId: grant.companyId });
  });

  it('sso-user-context.json: when the page posts the sample context encrypted with the Shared Secret, then a session for its active location comes back', async () => {
    await harness();
    const context = sample('sso-user-context.json') as { activeLocation: string; userId: string };
    await h.seedLocation(context.activeLocation);
    const res = await h.http.post('/api/session').send({ payload: encryptUserContext(context, h.config.highLevel.sharedSecret) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ locationId: context.activeLocation, token: expect.any(String) });
    expect(JSON.stringify(res.body.user)).toContain(context.userId);
  });
});

describe('the samples directory', () => {
  it('when the suite has run, then every sample file in payloads/ was replayed', () => {
    const files = readdirSync(PAYLOADS).filter((name) => name.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect([...replayed].sort()).toEqual(files);
  });
});
