// Whose opt-out it is: what the caller proved (STOP, a carrier's report) only the caller lifts; what proves nothing
// about who asked (the web form, HighLevel DND) a location admin may lift with a reason; what staff added, staff lift.
// The opt-outs list says, per number, where it came from and why it is locked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let admin: string;
let staff: string;
let refuseSendsWith: string | null;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  admin = await locationToken(h, LOC, { role: 'admin' });
  staff = await locationToken(h, LOC, { role: 'user', userId: 'user-2' });
  refuseSendsWith = null;
  h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().put('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
  h.highLevel().persist().post('/conversations/messages')
    .reply(() => (refuseSendsWith ? [400, { statusCode: 400, message: refuseSendsWith }] : [201, { conversationId: 'conv-1', messageId: 'msg-1' }]));
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

const api = (path = '') => `/api/locations/${LOC}/suppressions${path}`;
const lift = (token: string, reason = 'They called and asked to get texts again') =>
  h.http.delete(api(`/${encodeURIComponent(CALLER)}`)).set(bearer(token)).send({ reason });
const suppressed = async () => await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER) === 1;
const history = async () => await h.app.storage.suppressions.history(LOC, CALLER);
const audit = async () => await h.app.storage.audit.list(LOC);

/** Each way a number gets on the list, through the app's real entry points. */
const optOutBy = {
  async keyword() {
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'STOP' }));
    await h.runJobs();
  },
  async provider() {
    refuseSendsWith = 'Contact has unsubscribed';
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
  },
  async web() {
    expect((await h.http.post(`/optout/${LOC}`).set('x-forwarded-for', '203.0.113.7').type('form').send({ phone: CALLER })).status).toBe(200);
  },
  async dnd() {
    await h.webhook({ type: 'ContactDndUpdate', locationId: LOC, id: 'contact-1', phone: CALLER, dnd: false, dndSettings: { SMS: { status: 'active' } } });
    await h.runJobs();
  },
  async manual() {
    expect((await h.http.post(api()).set(bearer(staff)).send({ phone: CALLER })).status).toBe(201);
  },
};

describe('an opt-out the caller proved', () => {
  it.each([
    ['keyword', /texted STOP: only they can opt back in/],
    ['provider', /carrier reported.*only they can opt back in/],
  ] as const)('when an admin tries to lift a %s opt-out, then 403 says why and nothing changes', async (source, why) => {
    await optOutBy[source]();
    expect((await h.app.storage.suppressions.holdsOf(LOC, CALLER)).map((hold) => hold.source)).toEqual([source]);
    const before = { history: await history(), audit: await audit() };
    const res = await lift(admin);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'opt_out_locked', sources: [source], liftableBy: 'caller' });
    expect(res.body.message).toMatch(why);
    expect(await suppressed()).toBe(true);
    expect(await history()).toEqual(before.history);
    expect(await audit()).toEqual(before.audit);
  });

  it('when staff also added a number the caller STOPped, then the staff lift is refused whole', async () => {
    await optOutBy.keyword();
    await optOutBy.manual();
    const res = await lift(admin);
    expect(res.status).toBe(403);
    expect((await h.app.storage.suppressions.holdsOf(LOC, CALLER)).map((hold) => hold.source).sort()).toEqual(['keyword', 'manual']);
  });
});

describe('an opt-out that proves nothing about who asked', () => {
  it.each(['web', 'dnd'] as const)('when a %s opt-out is lifted by a user who is not an admin, then 403; by an admin with a reason, then it is lifted and audited', async (source) => {
    await optOutBy[source]();
    const refused = await lift(staff);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'opt_out_locked', liftableBy: 'admin' });
    expect(await suppressed()).toBe(true);

    const res = await lift(admin, 'Typed by a prankster; the customer confirmed by phone');
    expect(res.status).toBe(200);
    expect(await suppressed()).toBe(false);
    expect((await history()).at(-1)).toMatchObject({ action: 'lift', source, reason: 'Typed by a prankster; the customer confirmed by phone', actor: 'user-1' });
    expect((await audit())[0]).toMatchObject({ actor: 'user-1', action: 'suppression.lift', detail: { phone: '***0147', sources: [source] } });
  });

});

describe('numbers staff added', () => {
  it('when a user who is not an admin lifts a number staff added, then the list offers it and it is lifted', async () => {
    await optOutBy.manual();
    const listed = (await h.http.get(api()).set(bearer(staff))).body.items[0];
    expect(listed.lift).toEqual({ allowed: true, by: 'staff', reason: 'Added by your team: anyone on your team can remove it, with a reason.' });
    const res = await lift(staff);
    expect(res.status).toBe(200);
    expect(await suppressed()).toBe(false);
  });
});

describe('the opt-outs list', () => {
  it('when read, then each number shows every source holding it, who may lift it and why, for the user reading it', async () => {
    await optOutBy.web();
    const asStaff = (await h.http.get(api()).set(bearer(staff))).body.items[0];
    expect(asStaff).toMatchObject({ phone: CALLER, sources: [{ source: 'web' }], lift: { allowed: false, by: 'admin' } });
    expect(asStaff.lift.reason).toMatch(/web opt-out form.*admin can remove it/);
    const asAdmin = (await h.http.get(api()).set(bearer(admin))).body.items[0];
    expect(asAdmin.lift).toMatchObject({ allowed: true, by: 'admin' });

    h.clock.advance(60_000);
    await optOutBy.keyword();
    const locked = (await h.http.get(api()).set(bearer(admin))).body.items[0];
    expect(locked.sources.map((hold: { source: string }) => hold.source)).toEqual(['web', 'keyword']);
    expect(locked.lift).toEqual({ allowed: false, by: 'caller', reason: 'The caller texted STOP: only they can opt back in, by texting START.' });
  });
});
