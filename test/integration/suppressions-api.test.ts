// The suppression list API: add by hand (pending texts cancelled at once), search, lift with a reason; all audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const OTHER = '+13125550199';
let h: Harness;
let token: string;

beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); token = await locationToken(h, LOC); });
afterEach(async () => { await h.close(); });

const api = (path = '') => `/api/locations/${LOC}/suppressions${path}`;
const list = async (query = '') => (await h.http.get(api(query)).set(bearer(token))).body;
const audit = async () => await h.app.storage.audit.list(LOC);

describe('POST /suppressions', () => {
  it('when a number is added by hand, then it is listed, its history names the user, and the audit shows only its last digits', async () => {
    const res = await h.http.post(api()).set(bearer(token)).send({ phone: '212-555-0147', reason: 'asked by phone not to be texted' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ phone: CALLER, added: true });
    expect(await list()).toEqual({
      items: [{
        phone: CALLER, source: 'manual', createdAt: h.clock.now(), sources: [{ source: 'manual', since: h.clock.now() }],
        lift: { allowed: true, by: 'staff', reason: 'Added by your team: anyone on your team can remove it, with a reason.' },
      }],
      total: 1,
    });
    expect(await h.app.storage.suppressions.history(LOC, CALLER)).toEqual([
      { phone: CALLER, action: 'suppress', source: 'manual', reason: 'asked by phone not to be texted', actor: 'user-1', at: h.clock.now() },
    ]);
    const [entry] = await audit();
    expect(entry).toMatchObject({ actor: 'user-1', action: 'suppression.add', detail: { phone: '***0147', added: true } });
    expect(JSON.stringify(entry)).not.toContain('5550147');
  });

  it('when the number is not a phone number, then 422 names the phone and nothing is stored', async () => {
    const res = await h.http.post(api()).set(bearer(token)).send({ phone: '555' });
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field)).toEqual(['phone']);
    expect((await list()).total).toBe(0);
  });

  it("when a caller waiting for a follow-up is suppressed by hand, then the follow-up is cancelled and never sent", async () => {
    h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', phone: CALLER, firstName: 'Dana' } })
      .post('/conversations/messages').once().reply(201, { conversationId: 'c', messageId: 'm1' })
      .get('/conversations/messages/m1').times(3).reply(200, { message: { id: 'm1', status: 'delivered' } });
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    const pending = async () => await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup' AND status = 'pending'`);
    expect(await pending()).toBe(1);

    await h.http.post(api()).set(bearer(token)).send({ phone: CALLER });
    expect(await pending()).toBe(0);
    await h.advance(3 * 3_600_000);
    expect(await h.sql.value(`SELECT COUNT(*) FROM messages WHERE kind = 'followup'`)).toBe(0);
    expect((await audit())[0].detail).toMatchObject({ cancelledJobs: 1 });
  });
});

describe('GET /suppressions', () => {
  it('when searched by some digits, then only matching numbers come back, with the total of matches', async () => {
    for (const phone of [CALLER, OTHER]) await h.http.post(api()).set(bearer(token)).send({ phone });
    expect((await list('?search=312 555')).items.map((i: { phone: string }) => i.phone)).toEqual([OTHER]);
    expect(await list('?search=0147&limit=10')).toMatchObject({ total: 1 });
    expect((await list('?limit=1')).items).toHaveLength(1);
    expect((await list('?limit=1')).total).toBe(2);
  });

  it('when the paging is out of range, then 422', async () => {
    const res = await h.http.get(api('?limit=0&offset=-1')).set(bearer(token));
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['limit', 'offset']);
  });
});

describe('DELETE /suppressions/:phone', () => {
  beforeEach(async () => { await h.http.post(api()).set(bearer(token)).send({ phone: CALLER }); });

  it('when no reason is given, then 422 and the number stays suppressed', async () => {
    const res = await h.http.delete(api(`/${encodeURIComponent(CALLER)}`)).set(bearer(token));
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field)).toEqual(['reason']);
    expect((await list()).total).toBe(1);
  });

  it('when lifted with a reason, then it leaves the list and the history and audit record who and why', async () => {
    h.clock.advance(60_000);
    const res = await h.http.delete(api(`/${encodeURIComponent(CALLER)}`)).set(bearer(token)).send({ reason: 'Customer asked to get texts again' });
    expect(res.status).toBe(200);
    expect((await list()).total).toBe(0);
    expect((await h.app.storage.suppressions.history(LOC, CALLER)).at(-1)).toEqual(
      { phone: CALLER, action: 'lift', source: 'manual', reason: 'Customer asked to get texts again', actor: 'user-1', at: h.clock.now() });
    expect((await audit())[0]).toMatchObject({ actor: 'user-1', action: 'suppression.lift', detail: { phone: '***0147' } });
  });

  it('when the reason comes in the query and the number in another format, then it is lifted too', async () => {
    const res = await h.http.delete(api(`/${encodeURIComponent('(212) 555-0147')}?reason=${encodeURIComponent('typo')}`)).set(bearer(token));
    expect(res.status).toBe(200);
    expect((await list()).total).toBe(0);
  });

  it('when the number is not suppressed, then 404 and nothing is recorded', async () => {
    const before = (await audit()).length;
    const res = await h.http.delete(api(`/${encodeURIComponent(OTHER)}?reason=x`)).set(bearer(token));
    expect(res.status).toBe(404);
    expect(await audit()).toHaveLength(before);
  });
});
