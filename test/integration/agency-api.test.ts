// The agency view's API: agency sessions, the sub-accounts list with headline figures, and agency default settings
// that sub-accounts installed afterwards start with.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { agencyToken, bearer, locationToken, seedCompany, userContextPayload } from '../helpers/session.js';

const AGENCY = 'company-1';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await seedCompany(h, AGENCY);
  await h.seedLocation('loc-a', { name: 'Acme Plumbing', companyId: AGENCY });
  await h.seedLocation('loc-b', { name: 'Bravo Dental', companyId: AGENCY });
  await h.seedLocation('loc-z', { name: 'Zulu Other Agency', companyId: 'company-2' });
});
afterEach(async () => { await h.close(); });

const agencySession = (fields: Parameters<typeof userContextPayload>[1]) =>
  h.http.post('/api/agency-session').send({ payload: userContextPayload(h, { activeLocation: undefined, ...fields }) });

describe('POST /api/agency-session', () => {
  it('when an admin opens the app at agency level of an installed agency, then an agency token comes back', async () => {
    const res = await agencySession({ companyId: AGENCY });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ companyId: AGENCY, user: { id: 'user-1', role: 'admin' }, expiresAt: h.clock.now() + 3_600_000 });
  });

  it('when the context is inside a sub-account, the user is not an admin, or the agency has not installed the app, then 403', async () => {
    const answers = await Promise.all([
      agencySession({ companyId: AGENCY, activeLocation: 'loc-a' }),
      agencySession({ companyId: AGENCY, role: 'user' }),
      agencySession({ companyId: 'company-2' }),
    ]);
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([[403, 'location_context'], [403, 'not_admin'], [403, 'not_installed']]);
  });

  it('when the payload cannot be decrypted, then 401', async () => {
    const res = await h.http.post('/api/agency-session').send({ payload: 'U2FsdGVkX1+garbage==' });
    expect(res.status).toBe(401);
  });

  it("when tokens cross scopes or agencies, then location routes refuse agency tokens, agency routes refuse location tokens, and another agency's path is 403", async () => {
    const agency = await agencyToken(h, AGENCY);
    const location = await locationToken(h, 'loc-a');
    expect((await h.http.get('/api/locations/loc-a/settings').set(bearer(agency))).status).toBe(401);
    expect((await h.http.get(`/api/agency/${AGENCY}/locations`).set(bearer(location))).status).toBe(401);
    expect((await h.http.get(`/api/agency/${AGENCY}/locations`)).status).toBe(401);
    expect((await h.http.get('/api/agency/company-2/locations').set(bearer(agency))).status).toBe(403);
    expect((await h.http.put('/api/agency/company-2/defaults').set(bearer(agency)).send({ enabled: false })).status).toBe(403);
  });
});

describe('GET /api/agency/:companyId/locations', () => {
  it("when read, then each installed sub-account of the agency comes with its switch, connection and last week's figures", async () => {
    h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', phone: '+12125550147' } })
      .post('/conversations/messages').reply(201, { conversationId: 'c', messageId: 'm1' })
      .get('/conversations/messages/m1').times(3).reply(200, { message: { id: 'm1', status: 'delivered' } });
    await h.webhook(missedCall({ locationId: 'loc-a', contactId: 'contact-1', from: '+12125550147' }));
    await h.runJobs();
    await h.sql.run(`UPDATE tokens SET needs_reconnect = 1 WHERE owner_id = 'loc-b'`);
    await h.editSettings('loc-b', (settings) => { settings.enabled = false; });
    await h.seedLocation('loc-gone', { companyId: AGENCY });
    await h.sql.run(`UPDATE locations SET status = 'uninstalled' WHERE location_id = 'loc-gone'`);

    const res = await h.http.get(`/api/agency/${AGENCY}/locations`).set(bearer(await agencyToken(h, AGENCY)));
    expect(res.status).toBe(200);
    expect(res.body.locations).toEqual([
      { locationId: 'loc-a', name: 'Acme Plumbing', enabled: true, status: 'installed', needsReconnect: false, last7Days: { missedCalls: 1, texted: 1, replied: 0 } },
      { locationId: 'loc-b', name: 'Bravo Dental', enabled: false, status: 'installed', needsReconnect: true, last7Days: { missedCalls: 0, texted: 0, replied: 0 } },
    ]);

    h.clock.advance(8 * 86_400_000);
    const later = await h.http.get(`/api/agency/${AGENCY}/locations`).set(bearer(await agencyToken(h, AGENCY)));
    expect(later.body.locations[0].last7Days).toEqual({ missedCalls: 0, texted: 0, replied: 0 });
  });
});

describe('agency defaults', () => {
  it('when the agency sets defaults, then they are kept, audited, and a sub-account installed afterwards starts with them', async () => {
    const token = await agencyToken(h, AGENCY);
    expect((await h.http.get(`/api/agency/${AGENCY}/defaults`).set(bearer(token))).body).toEqual({ defaults: {} });
    const patch = { followUp: { delayMinutes: 240 }, cooldownHours: 48, templates: { followUp: 'Hi {{first_name}}, still need {{business_name}}?' } };
    const put = await h.http.put(`/api/agency/${AGENCY}/defaults`).set(bearer(token)).send(patch);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ defaults: patch });
    expect((await h.http.get(`/api/agency/${AGENCY}/defaults`).set(bearer(token))).body).toEqual({ defaults: patch });
    const audit = await h.sql.all(`SELECT actor, action, detail FROM audit_log WHERE action = 'agency-defaults.update'`);
    expect(audit).toEqual([{ actor: 'user-1', action: 'agency-defaults.update', detail: JSON.stringify({ companyId: AGENCY, fields: ['cooldownHours', 'followUp.delayMinutes', 'templates.followUp'] }) }]);

    const res = await h.webhook({ type: 'INSTALL', appId: 'app123', locationId: 'loc-new', companyId: AGENCY, userId: 'user-9', planId: null, companyName: 'Agency' });
    expect(res.status).toBe(200);
    await h.runJobs();
    const settings = (await h.http.get('/api/locations/loc-new/settings').set(bearer(await locationToken(h, 'loc-new')))).body.settings;
    expect(settings).toMatchObject({ followUp: { enabled: true, delayMinutes: 240 }, cooldownHours: 48, templates: { followUp: patch.templates.followUp } });
    // Sub-accounts installed before keep what they had.
    const before = (await h.http.get('/api/locations/loc-a/settings').set(bearer(await locationToken(h, 'loc-a')))).body.settings;
    expect(before).toMatchObject({ followUp: { delayMinutes: 120 }, cooldownHours: 24 });
  });

  it("when the agency previews a template, then it is rendered for a sample business", async () => {
    const token = await agencyToken(h, AGENCY);
    const res = await h.http.post(`/api/agency/${AGENCY}/preview`).set(bearer(token)).send({ template: 'Hi {{business_name}} fan', kind: 'followUp' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ text: 'Hi Your Business fan', analysis: { segments: 1 } });
    const invalid = await h.http.post(`/api/agency/${AGENCY}/preview`).set(bearer(token)).send({ template: '{{nope}}' });
    expect(invalid.status).toBe(422);
  });

  it('when the defaults are invalid, alone or once applied, then 422 lists the fields and nothing is kept', async () => {
    const token = await agencyToken(h, AGENCY);
    const bad = await h.http.put(`/api/agency/${AGENCY}/defaults`).set(bearer(token)).send({ followUp: { delayMinutes: 5 }, templates: { help: '{{oops}}' } });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['followUp.delayMinutes', 'templates.help']);
    const reversed = await h.http.put(`/api/agency/${AGENCY}/defaults`).set(bearer(token)).send({ businessHours: { days: { mon: { open: '17:00', close: '09:00' } } } });
    expect(reversed.status).toBe(422);
    expect(reversed.body.issues.map((i: { field: string }) => i.field)).toEqual(['businessHours.days.mon.close']);
    expect((await h.http.get(`/api/agency/${AGENCY}/defaults`).set(bearer(token))).body).toEqual({ defaults: {} });
  });
});
