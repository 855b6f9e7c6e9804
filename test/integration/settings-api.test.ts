// The settings page's API: every location route's guard, settings read/write with audit, preview, test message.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { composeApp, openConfiguredStorage, type ComposedApp } from '../../src/compose.js';
import { createLogger } from '../../src/lib/logger.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';
import { TEST_MESSAGES_PER_HOUR } from '../../src/http/api-routes.js';

const A = 'loc-acme';
const B = 'loc-bravo';
const TESTER = '+12125550147';
let h: Harness;
let tokenA: string;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(A, { name: 'Acme Plumbing', numbers: ['+15550000000'] });
  await h.seedLocation(B, { name: 'Bravo Dental' });
  tokenA = await locationToken(h, A);
});
const instances: ComposedApp[] = [];
afterEach(async () => {
  for (const app of instances.splice(0)) await app.stop();
  await h.close();
});

const audit = async () => await h.app.storage.audit.list(A);

const ROUTES: [method: 'get' | 'put' | 'post' | 'delete', path: string, body?: object][] = [
  ['get', 'settings'], ['put', 'settings', { enabled: false }], ['post', 'preview', { template: 'Hi' }],
  ['post', 'test-message', { phone: TESTER, template: 'textBackInHours' }], ['get', 'activity'], ['get', 'stats'],
  ['get', 'suppressions'], ['post', 'suppressions', { phone: TESTER }], ['delete', `suppressions/${encodeURIComponent(TESTER)}?reason=test`],
];

describe('every location route', () => {
  it.each(ROUTES)('when %s %s has no token, then 401', async (method, path, body) => {
    const res = await h.http[method](`/api/locations/${B}/${path}`).send(body ?? {});
    expect(res.status).toBe(401);
  });

  it.each(ROUTES)("when %s %s carries location A's token on location B's path, then 403 and nothing changes", async (method, path, body) => {
    const res = await h.http[method](`/api/locations/${B}/${path}`).set(bearer(tokenA)).send(body ?? {});
    expect(res.status).toBe(403);
    expect(await h.sql.value('SELECT COUNT(*) FROM audit_log')).toBe(0);
    expect(await h.sql.value('SELECT COUNT(*) FROM suppressions')).toBe(0);
  });
});

describe('GET /settings', () => {
  it('when read, then the settings, the location and no warnings come back', async () => {
    const res = await h.http.get(`/api/locations/${A}/settings`).set(bearer(tokenA));
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ enabled: true, followUp: { enabled: true, delayMinutes: 120 }, cooldownHours: 24 });
    expect(res.body.location).toMatchObject({
      id: A, name: 'Acme Plumbing', timeZone: 'America/New_York', status: 'installed', needsReconnect: false,
      planKnown: false, features: { followUp: true, twilio: true, agencyAnalytics: true },
    });
    expect(res.body.warnings).toEqual([]);
  });

  it("when the location's token needs reconnecting, then needsReconnect and a warning say so", async () => {
    await h.sql.run(`UPDATE tokens SET needs_reconnect = 1, reconnect_reason = 'invalid_grant' WHERE owner_id = ?`, A);
    const res = await h.http.get(`/api/locations/${A}/settings`).set(bearer(tokenA));
    expect(res.body.location).toMatchObject({ needsReconnect: true, reconnectReason: 'invalid_grant' });
    expect(res.body.warnings.map((w: { code: string }) => w.code)).toEqual(['needs-reconnect']);
  });

  it("when the location has no token of its own, then its agency's Company token decides needsReconnect", async () => {
    await h.sql.run('DELETE FROM tokens WHERE owner_id = ?', A);
    const read = async () => (await h.http.get(`/api/locations/${A}/settings`).set(bearer(tokenA))).body.location.needsReconnect;
    expect(await read()).toBe(true);
    await h.sql.run(`INSERT INTO tokens (owner_id, owner_type, company_id, access_token, expires_at, updated_at) VALUES ('company-1', 'Company', 'company-1', 'x', 0, 0)`);
    expect(await read()).toBe(false);
    await h.sql.run(`UPDATE tokens SET needs_reconnect = 1 WHERE owner_id = 'company-1'`);
    expect(await read()).toBe(true);
  });
});

describe('PUT /settings', () => {
  it('when the patch is valid, then it is saved, merged with the rest, and audited with the user and the field names', async () => {
    const res = await h.http.put(`/api/locations/${A}/settings`).set(bearer(tokenA))
      .send({ followUp: { delayMinutes: 240 }, businessHours: { days: { sat: { open: '10:00', close: '14:00' } } } });
    expect(res.status).toBe(200);
    expect(res.body.settings.followUp).toEqual({ enabled: true, delayMinutes: 240 });
    const again = await h.http.get(`/api/locations/${A}/settings`).set(bearer(tokenA));
    expect(again.body.settings.businessHours.days).toMatchObject({ sat: { open: '10:00', close: '14:00' }, mon: { open: '09:00', close: '17:00' } });
    const [entry] = await audit();
    expect(entry).toMatchObject({ actor: 'user-1', action: 'settings.update' });
    expect(entry.detail).toEqual({ fields: ['businessHours.days.sat', 'followUp.delayMinutes'] });
  });

  it('when the patch changes nothing, then nothing is audited', async () => {
    await h.http.put(`/api/locations/${A}/settings`).set(bearer(tokenA)).send({ enabled: true });
    expect(await audit()).toEqual([]);
  });

  it('when the patch is invalid, then 422 lists each bad field and nothing is saved', async () => {
    const res = await h.http.put(`/api/locations/${A}/settings`).set(bearer(tokenA)).send({
      followUp: { delayMinutes: 5 },
      templates: { textBackInHours: 'Hi {{firstname}}, {{business_name}} here' },
      businessHours: { days: { mon: { open: '9:00', close: '17:00' } } },
      surprise: true,
    });
    expect(res.status).toBe(422);
    const fields = res.body.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['followUp.delayMinutes', 'templates.textBackInHours', 'businessHours.days.mon.open']));
    expect(res.body.issues.find((i: { field: string }) => i.field === 'templates.textBackInHours').message).toContain('{{firstname}}');
    expect(JSON.stringify(res.body.issues)).toContain('surprise');
    const saved = await h.http.get(`/api/locations/${A}/settings`).set(bearer(tokenA));
    expect(saved.body.settings.followUp.delayMinutes).toBe(120);
    expect(await audit()).toEqual([]);
  });

  it('when opening time is not before closing time once merged, then 422 names the field', async () => {
    const res = await h.http.put(`/api/locations/${A}/settings`).set(bearer(tokenA)).send({ businessHours: { days: { tue: { open: '18:00', close: '17:00' } } } });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ field: 'businessHours.days.tue.close', message: 'open must be before close' }]);
  });
});

describe('POST /preview', () => {
  it('when a template has a curly apostrophe, then the preview shows UCS-2, the offending character, its replacement and the opt-out line', async () => {
    const res = await h.http.post(`/api/locations/${A}/preview`).set(bearer(tokenA))
      .send({ template: 'Hi {{first_name}}, it’s {{business_name}} ({{business_phone}}). Sorry we missed you!' });
    expect(res.status).toBe(200);
    expect(res.body.text).toBe('Hi Jordan, it’s Acme Plumbing (+15550000000). Sorry we missed you! Reply STOP to opt out.');
    expect(res.body.analysis).toMatchObject({ encoding: 'UCS-2', segments: 2, perSegment: 67 });
    expect(res.body.analysis.offending).toEqual([{ char: '’', index: 13, suggestion: "'" }]);
    expect(res.body.replaced).toBe("Hi {{first_name}}, it's {{business_name}} ({{business_phone}}). Sorry we missed you!");
  });

  it('when the template is a follow-up in plain GSM-7, then one segment and no opt-out line is added', async () => {
    const res = await h.http.post(`/api/locations/${A}/preview`).set(bearer(tokenA)).send({ template: 'Still need help, {{first_name}}?', kind: 'followUp' });
    expect(res.body).toMatchObject({ text: 'Still need help, Jordan?', analysis: { encoding: 'GSM-7', segments: 1, offending: [] } });
  });

  it('when the template uses an unknown variable, then 422 names the template', async () => {
    const res = await h.http.post(`/api/locations/${A}/preview`).set(bearer(tokenA)).send({ template: 'Hi {{name}}' });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ field: 'template', message: 'Unknown variable {{name}}' }]);
  });
});

describe('POST /test-message', () => {
  it("when asked, then the contact is upserted and exactly one text with the location's template goes to it", async () => {
    const sent: Record<string, unknown>[] = [];
    h.highLevel()
      .post('/contacts/upsert', { locationId: A, phone: TESTER })
      .reply(200, { new: true, contact: { id: 'contact-9', locationId: A, phone: TESTER, firstName: 'Sam' } })
      .post('/conversations/messages', (body) => { sent.push(body); return true; })
      .reply(201, { conversationId: 'conv-9', messageId: 'msg-test-1' });

    const res = await h.http.post(`/api/locations/${A}/test-message`).set(bearer(tokenA)).send({ phone: '(212) 555-0147', template: 'textBackInHours' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('sent');
    expect(res.body.text).toBe('Hi Sam, this is Acme Plumbing. Sorry we missed your call! How can we help? Reply STOP to opt out.');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'SMS', contactId: 'contact-9', message: res.body.text, toNumber: TESTER });
    expect(await h.sql.all(`SELECT kind, status, provider_message_id AS id FROM messages`)).toEqual([{ kind: 'test', status: 'sent', id: 'msg-test-1' }]);
    const [entry] = await audit();
    expect(entry).toMatchObject({ actor: 'user-1', action: 'test-message', detail: { template: 'textBackInHours', phone: '***0147', status: 'sent' } });
    expect(JSON.stringify(entry)).not.toContain('5550147');
  });

  it('when HighLevel rejects the send, then the answer says failed', async () => {
    h.highLevel()
      .post('/contacts/upsert').reply(200, { contact: { id: 'contact-9', phone: TESTER } })
      .post('/conversations/messages').reply(400, { message: 'Invalid phone number' });
    const res = await h.http.post(`/api/locations/${A}/test-message`).set(bearer(tokenA)).send({ phone: TESTER, template: 'followUp' });
    expect(res.body).toMatchObject({ status: 'failed' });
    expect(res.body.text).toContain('following up');
  });

  it('when the number is suppressed, then 409 suppressed and HighLevel is not called', async () => {
    await h.http.post(`/api/locations/${A}/suppressions`).set(bearer(tokenA)).send({ phone: TESTER });
    const res = await h.http.post(`/api/locations/${A}/test-message`).set(bearer(tokenA)).send({ phone: TESTER, template: 'textBackInHours' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('suppressed');
    expect(h.recorded).toEqual([]);
  });

  it('when the phone or template is not valid, then 422 lists both', async () => {
    const res = await h.http.post(`/api/locations/${A}/test-message`).set(bearer(tokenA)).send({ phone: '12', template: 'help' });
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['phone', 'template']);
  });

  describe('the cap of test texts per location', () => {
    /** A second app instance on the same database, as a second server behind the load balancer would be. */
    async function secondInstance(): Promise<ReturnType<typeof supertest>> {
      const quiet = createLogger({ level: 'silent', destination: new Writable({ write(_c, _e, done) { done(); } }) });
      const app = composeApp({ config: h.config, clock: h.clock, logger: quiet, ...await openConfiguredStorage(h.config, { clock: h.clock }) });
      instances.push(app);
      return supertest(app.handler);
    }

    it('when the hourly cap is reached through two instances, then neither sends more until the hour has passed, and another location is not affected', async () => {
      let sends = 0;
      h.highLevel().persist()
        .post('/contacts/upsert').reply(200, { contact: { id: 'contact-9', phone: TESTER } })
        .post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-9', messageId: `msg-test-${++sends}` }));
      h.acceptDeliveryChecks();
      const other = await secondInstance();
      const send = (http: ReturnType<typeof supertest>, locationId = A, token = tokenA) =>
        http.post(`/api/locations/${locationId}/test-message`).set(bearer(token)).send({ phone: TESTER, template: 'textBackInHours' });
      for (let i = 0; i < TEST_MESSAGES_PER_HOUR; i++) expect((await send(i % 2 ? other : h.http)).status).toBe(200);
      for (const http of [h.http, other]) {
        const refused = await send(http);
        expect(refused.status).toBe(429);
        expect(refused.body.error).toBe('rate_limited');
      }
      expect(sends).toBe(TEST_MESSAGES_PER_HOUR);
      expect((await send(other, B, await locationToken(h, B))).status).toBe(200);
      h.clock.advance(HOUR + MINUTE);
      expect((await send(other, A, await locationToken(h, A))).status).toBe(200); // a fresh session: the old one expired
      expect(sends).toBe(TEST_MESSAGES_PER_HOUR + 2);
    });
  });
});
