// Who a session is for and for how long: agency sessions only for agency users of an installed agency, a session
// ends when its install does (no export or erase from an old token), and export, erase and Twilio credentials need
// a sub-account admin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { agencyToken, bearer, locationToken, seedCompany, userContextPayload } from '../helpers/session.js';
import { ACCOUNT_SID, AUTH_TOKEN, FROM } from '../helpers/twilio.js';

const LOC = 'loc-acme';
const AGENCY = 'company-1';
const CALLER = '+12125550147';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await seedCompany(h, AGENCY);
  await h.seedLocation(LOC, { companyId: AGENCY });
});
afterEach(async () => { await h.close(); });

const count = async (sql: string, ...params: unknown[]) => await h.sql.value(sql, ...params) as number;
const exportOf = (token: string) => h.http.get(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token));
const eraseOf = (token: string) => h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token));

describe('agency sessions', () => {
  it('when the context says type "location" (a sub-account user outside any sub-account), then no agency session, even for an admin', async () => {
    const res = await h.http.post('/api/agency-session').send({ payload: userContextPayload(h, { companyId: AGENCY, activeLocation: undefined, type: 'location' }) });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('not_agency_user');
    expect(res.body.token).toBeUndefined();
  });

  it('when the agency uninstalls, then its agency session already issued stops working at once', async () => {
    const token = await agencyToken(h, AGENCY);
    expect((await h.http.get(`/api/agency/${AGENCY}/locations`).set(bearer(token))).status).toBe(200);

    expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', companyId: AGENCY })).status).toBe(200);
    await h.runJobs();
    const after = await h.http.get(`/api/agency/${AGENCY}/locations`).set(bearer(token));
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('session_ended');
  });
});

describe('location sessions', () => {
  it('when the location is uninstalled, then a token issued before cannot export, erase or change settings', async () => {
    await h.sql.run(`INSERT INTO suppressions (location_id, phone, source, created_at) VALUES (?, ?, 'keyword', ?)`, LOC, CALLER, h.clock.now());
    const token = await locationToken(h, LOC);
    expect((await exportOf(token)).status).toBe(200);

    expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: LOC, companyId: AGENCY })).status).toBe(200);
    await h.runJobs();
    for (const res of [await exportOf(token), await eraseOf(token), await h.http.put(`/api/locations/${LOC}/settings`).set(bearer(token)).send({ enabled: false })]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('session_ended');
    }
    expect(await count(`SELECT COUNT(*) FROM audit_log WHERE action IN ('data.export', 'data.erase') AND at > ?`, h.clock.now() - 1)).toBe(1);
  });
});

describe('admin-only actions', () => {
  it('when a sub-account user who is not an admin exports or erases a number, then 403 with the reason, and nothing is erased or audited', async () => {
    await h.sql.run(`INSERT INTO replies (location_id, reply_key, contact_id, phone, meaning, received_at) VALUES (?, 'r-1', 'contact-1', ?, 'reply', ?)`, LOC, CALLER, h.clock.now());
    const user = await locationToken(h, LOC, { role: 'user', userId: 'user-2' });
    for (const res of [await exportOf(user), await eraseOf(user)]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('admin_only');
      expect(res.body.message).toMatch(/admin/);
    }
    expect(await count('SELECT COUNT(*) FROM replies WHERE phone = ?', CALLER)).toBe(1);
    expect(await count(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'data.%'`)).toBe(0);

    const admin = await locationToken(h, LOC);
    expect((await exportOf(admin)).status).toBe(200);
    expect((await eraseOf(admin)).status).toBe(200);
    expect(await count('SELECT COUNT(*) FROM replies WHERE phone = ?', CALLER)).toBe(0);
  });

  it('when a user who is not an admin saves Twilio credentials, then 403 and nothing is saved or sent to Twilio', async () => {
    const user = await locationToken(h, LOC, { role: 'user', userId: 'user-2' });
    const res = await h.http.put(`/api/locations/${LOC}/provider`).set(bearer(user))
      .send({ provider: 'twilio', twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fromNumber: FROM } });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('admin_only');
    expect(await count('SELECT COUNT(*) FROM twilio_accounts WHERE location_id = ?', LOC)).toBe(0);
  });
});
