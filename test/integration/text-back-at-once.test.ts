// A missed call's text-back runs inside the event that reported the call when its location's HighLevel pace has room:
// no job row, claim or completion of its own (docs/decisions/0014). Otherwise, or when it cannot finish, it becomes
// the text-back job it always was, and every guarantee of that job holds: one text per call, parked for the pace,
// retried after a failure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const OTHER = '+12125550148';
let h: Harness;

beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); h.acceptDeliveryChecks(); });
afterEach(async () => { await h.close(); });

function contact(id: string, phone: string, times = 1) {
  return h.highLevel().get(`/contacts/${id}`).times(times)
    .reply(200, { contact: { id, locationId: LOC, phone, firstName: 'Dana', dnd: false } });
}

const jobKinds = () => h.sql.column(`SELECT kind || ':' || status FROM jobs WHERE kind NOT IN ('catch-up', 'token-keepalive', 'retention', 'backup') ORDER BY id`);

describe('text-back at once', () => {
  it('when a missed call arrives and its location has room in its pace, then the text goes out within the event\'s job and no text-back job is stored', async () => {
    contact('contact-1', CALLER);
    let sends = 0;
    h.highLevel().post('/conversations/messages').reply(201, () => ({ conversationId: 'c', messageId: `m${++sends}` }));

    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER })).expect(200);
    await h.runJobs();

    expect(sends).toBe(1);
    expect(await h.sql.column('SELECT decision FROM calls')).toEqual(['texted']);
    // The event, the send's delivery check and the follow-up: the text-back itself left no row.
    expect(await jobKinds()).toEqual(['highlevel-event:done', 'delivery-check:pending', 'followup:pending']);
  });

  it('when the location\'s pace is spent, then the text-back is a job of its own, parked until HighLevel\'s window turns, and one text goes out then', async () => {
    contact('contact-1', CALLER);
    contact('contact-2', OTHER);
    let sends = 0;
    // HighLevel says the first send used the window's last request.
    h.highLevel().post('/conversations/messages').once()
      .reply(201, () => ({ conversationId: 'c', messageId: `m${++sends}` }), { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Interval-Milliseconds': '10000' });
    h.highLevel().post('/conversations/messages').reply(201, () => ({ conversationId: 'c', messageId: `m${++sends}` }));

    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER })).expect(200);
    await h.runJobs();
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-2', from: OTHER })).expect(200);
    await h.runJobs();
    expect(sends).toBe(1);
    expect(await h.sql.column(`SELECT decision FROM calls ORDER BY id`)).toEqual(['texted', 'pending']);
    expect(await h.sql.column(`SELECT status FROM jobs WHERE kind = 'textback'`)).toEqual(['pending']);

    await h.advance(10_000);
    expect(sends).toBe(2);
    expect(await h.sql.column(`SELECT decision FROM calls ORDER BY id`)).toEqual(['texted', 'texted']);
    expect(await h.sql.column(`SELECT status FROM jobs WHERE kind = 'textback'`)).toEqual(['done']);
  });

  it('when the text-back at once fails (HighLevel cannot read the contact), then its job retries it 30 s later and the caller gets one text', async () => {
    // Unavailable however often the transport retries, until the test says otherwise.
    let unavailable = true;
    h.highLevel().get('/contacts/contact-1').times(20).reply(() => unavailable
      ? [503, { message: 'unavailable' }]
      : [200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana', dnd: false } }]);
    let sends = 0;
    h.highLevel().post('/conversations/messages').reply(201, () => ({ conversationId: 'c', messageId: `m${++sends}` }));

    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER })).expect(200);
    await h.runJobs();
    expect(sends).toBe(0);
    // The event itself is done: the text-back goes on as a job of its own.
    expect(await jobKinds()).toEqual(['highlevel-event:done', 'textback:pending']);
    expect(h.logs.join('')).toContain('text-back could not finish at once');

    unavailable = false;
    await h.advance(30_000);
    expect(sends).toBe(1);
    expect(await h.sql.column('SELECT decision FROM calls')).toEqual(['texted']);
  });

  it('when another event sees a call still pending (its first sighting may be texting it right now), then it leaves it to a job 5 minutes later, which texts only if nobody did', async () => {
    // The call as its first sighting left it: recorded missed, decision pending, the text not sent yet.
    const at = h.clock.now();
    await h.sql.run(
      `INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at) VALUES (?, 'call-77', 'contact-1', ?, 'voicemail', 1, ?, 'pending', ?)`,
      LOC, CALLER, at, at,
    );
    contact('contact-1', CALLER);
    let sends = 0;
    h.highLevel().post('/conversations/messages').reply(201, () => ({ conversationId: 'c', messageId: `m${++sends}` }));

    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER, messageId: 'call-77' })).expect(200);
    await h.runJobs();
    expect(sends).toBe(0);
    expect(await h.sql.all(`SELECT status, run_at - ? AS due_in FROM jobs WHERE kind = 'textback'`, at)).toEqual([{ status: 'pending', due_in: 5 * 60_000 }]);

    await h.advance(5 * 60_000);
    expect(sends).toBe(1);
    expect(await h.sql.column('SELECT decision FROM calls')).toEqual(['texted']);
  });
});
