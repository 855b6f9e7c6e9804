// HighLevel's redeliveries: after a 429 it re-sends the same payload (timestamp and webhookId included) up to six
// times about 10 minutes apart; the app accepts them, acts once, and remembers webhookIds for at least 7 days.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock.js';
import { performRetention } from '../../src/jobs/retention.js';
import { silentLogger } from '../../src/lib/logger.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let sends: number;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  sends = 0;
  h.highLevel().persist().get('/contacts/c-1').reply(200, { contact: { id: 'c-1', phone: CALLER } });
  h.highLevel().persist().post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-1', messageId: `m-${++sends}` }));
  h.acceptDeliveryChecks();
  // The daily profile refresh, for tests that let days pass.
  h.highLevel().persist().get(`/locations/${LOC}`).reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York' } });
  h.highLevel().persist().get(`/phone-system/numbers/location/${LOC}`).reply(200, { numbers: [{ phoneNumber: '+15550000000', isDefaultNumber: true }] });
});
afterEach(async () => { await h.close(); });

const count = async (sql: string) => await h.sql.value(sql) as number;
const eventJobs = async () => await count(`SELECT COUNT(*) FROM jobs WHERE kind = 'highlevel-event'`);

/** The exact bytes HighLevel would deliver (and re-deliver) for one missed call. */
function missedCallBody(webhookId: string, at = h.clock.now()): string {
  const iso = new Date(at).toISOString();
  return JSON.stringify({ ...missedCall({ locationId: LOC, contactId: 'c-1', from: CALLER, messageId: `call-${webhookId}` }), dateAdded: iso, timestamp: iso, webhookId });
}

async function retention(finishedJobsKeepDays: number) {
  const deps = { retention: h.app.storage.retention, policy: { months: 12, uninstallPurgeDays: 90, finishedJobsKeepDays }, audit: h.app.storage.audit, logger: silentLogger, clock: h.clock };
  return performRetention(deps, { actor: 'test' });
}

describe('HighLevel redelivers after a 429', () => {
  it('when the first delivery got 429 and the same payload comes back 10 minutes apart, then a retry is stored, the caller is texted once, and one over 2 hours old is 401', async () => {
    const body = missedCallBody('wh-retried');
    const allowInserts = await h.refuseInserts('jobs');
    expect((await h.signedRaw(body)).status).toBe(429);
    await allowInserts();

    const answers: string[] = [];
    for (let retry = 1; retry <= 6; retry++) {
      await h.advance(10 * MINUTE);
      const res = await h.signedRaw(body);
      answers.push(`${res.status} ${res.body.status}`);
      await h.runJobs();
    }
    expect(answers).toEqual(['200 stored', '200 duplicate', '200 duplicate', '200 duplicate', '200 duplicate', '200 duplicate']);
    expect(await eventJobs()).toBe(1);
    expect(sends).toBe(1);
    expect(await h.sql.column('SELECT decision FROM calls')).toEqual(['texted']);

    // 2 h 1 min after its timestamp the same bytes are refused: nothing bounds a replay otherwise.
    await h.advance(HOUR + MINUTE);
    expect((await h.signedRaw(body)).status).toBe(401);
  });

  it('when a caller\'s records were erased and HighLevel re-sends the event that texted them, then it is a duplicate and nobody is texted again', async () => {
    const body = missedCallBody('wh-erased');
    expect((await h.signedRaw(body)).body).toEqual({ status: 'stored' });
    await h.runJobs();
    expect(sends).toBe(1);
    const token = await locationToken(h, LOC);
    await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token)).expect(200);
    expect(await eventJobs()).toBe(0);

    await h.advance(10 * MINUTE);
    const again = await h.signedRaw(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'duplicate' });
    await h.runJobs();
    expect(sends).toBe(1);
    expect(await count('SELECT COUNT(*) FROM calls')).toBe(0);
  });

  it('when finished jobs are pruned after a day, then a webhookId is still a duplicate 6 days later, and retention forgets it after 7 days', async () => {
    const first = await h.webhook({ ...missedCall({ locationId: LOC, contactId: 'c-1', from: CALLER }), webhookId: 'wh-week' });
    expect(first.body).toEqual({ status: 'stored' });
    await h.runJobs();

    await h.advance(6 * DAY + 23 * HOUR);
    const report = await retention(1);
    expect(report.jobsPruned).toBeGreaterThan(0);
    expect(await eventJobs()).toBe(0);
    expect(report.receiptsPruned).toBe(0);
    // Same webhookId, dated now (the timestamp window alone would let it in).
    const again = await h.webhook({ type: 'ContactDndUpdate', locationId: LOC, id: 'c-1', webhookId: 'wh-week' });
    expect(again.body).toEqual({ status: 'duplicate' });
    expect(await eventJobs()).toBe(0);

    await h.advance(2 * HOUR);
    expect((await retention(1)).receiptsPruned).toBe(1);
    expect(await count('SELECT COUNT(*) FROM webhook_receipts')).toBe(0);
    expect((await h.webhook({ type: 'ContactDndUpdate', locationId: LOC, id: 'c-1', webhookId: 'wh-week' })).body).toEqual({ status: 'stored' });
  });
});
