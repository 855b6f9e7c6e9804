// The activity log and statistics, after missed calls, replies and an opt-out that came in through real webhooks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, TUESDAY_11AM_NY, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';

const LOC = 'loc-acme';
const ANA = '+12125550147';
const BEN = '+13125550199';
let h: Harness;
let token: string;

afterEach(async () => { await h.close(); });

function highLevelForCallers() {
  const scope = h.highLevel();
  scope.get('/contacts/contact-a').reply(200, { contact: { id: 'contact-a', phone: ANA, firstName: 'Ana' } })
    .get('/contacts/contact-b').reply(200, { contact: { id: 'contact-b', phone: BEN, firstName: 'Ben' } })
    .post('/conversations/messages').reply(201, { conversationId: 'c-a', messageId: 'm-a' })
    .post('/conversations/messages').reply(201, { conversationId: 'c-b', messageId: 'm-b' })
    .get(/\/conversations\/messages\/m-[ab]$/).times(2).reply(200, (uri) => ({ message: { id: uri.split('/').pop(), status: 'delivered' } }))
    .post('/contacts/contact-a/tags').reply(201, { tags: ['missed-call-replied'] })
    .put('/contacts/contact-b').reply(200, { succeded: true, contact: { id: 'contact-b' } });
}

/** Ana and Ben miss a call each; Ana writes back, Ben opts out; Ana calls again within the cooldown. */
async function aDayOfCalls(): Promise<void> {
  highLevelForCallers();
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-a', from: ANA, messageId: 'call-a1' }));
  await h.runJobs();
  await h.advance(60_000);
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-b', from: BEN, messageId: 'call-b1' }));
  await h.runJobs();
  await h.advance(4 * 60_000);
  await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-a', from: ANA, body: 'Thanks, please call me back' }));
  await h.runJobs();
  await h.advance(60_000);
  await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-b', from: BEN, body: 'STOP' }));
  await h.runJobs();
  await h.advance(4 * 60_000);
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-a', from: ANA, messageId: 'call-a2' }));
  await h.runJobs();
}

describe('GET /activity', () => {
  beforeEach(async () => { h = await createHarness(); await h.seedLocation(LOC); await aDayOfCalls(); token = await locationToken(h, LOC); });

  const activity = async (query = '') => h.http.get(`/api/locations/${LOC}/activity${query}`).set(bearer(token));

  it('when read, then calls (with their decision, text-back and follow-up), replies and the opt-out come newest first', async () => {
    const res = await activity();
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const t0 = TUESDAY_11AM_NY;
    expect(res.body.items).toEqual([
      { type: 'call', at: t0 + 10 * 60_000, phone: ANA, callStatus: 'voicemail', decision: 'skipped:cooldown', textBack: null, followUp: null },
      { type: 'reply', at: t0 + 6 * 60_000, phone: BEN, meaning: 'opt-out' },
      { type: 'suppression', at: t0 + 6 * 60_000, phone: BEN, action: 'suppress', source: 'keyword', reason: 'opt-out reply' },
      { type: 'reply', at: t0 + 5 * 60_000, phone: ANA, meaning: 'reply' },
      { type: 'call', at: t0 + 60_000, phone: BEN, callStatus: 'voicemail', decision: 'texted',
        textBack: { status: 'delivered', at: t0 + 60_000, error: null }, followUp: { state: 'cancelled', at: t0 + 6 * 60_000 } },
      { type: 'call', at: t0, phone: ANA, callStatus: 'voicemail', decision: 'texted',
        textBack: { status: 'delivered', at: t0, error: null }, followUp: { state: 'cancelled', at: t0 + 5 * 60_000 } },
    ]);
  });

  it('when paged two at a time, then the pages join into the same list with nothing repeated or lost', async () => {
    const all = (await activity()).body.items;
    const paged: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await activity(`?limit=2${cursor ? `&before=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(paged).toEqual(all);
  });

  it('when the cursor or limit is not valid, then 422 names them', async () => {
    const res = await activity('?limit=1000&before=bm90LWEtY3Vyc29y');
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['before', 'limit']);
  });

  it("when another location has activity, then it never shows up in this one's log", async () => {
    await h.seedLocation('loc-other');
    const other = await locationToken(h, 'loc-other');
    const res = await h.http.get('/api/locations/loc-other/activity').set(bearer(other));
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('GET /stats', () => {
  it('when read for today, then the day counts missed calls, text-backs, replies, the opt-out and the reply rate', async () => {
    h = await createHarness();
    await h.seedLocation(LOC);
    await aDayOfCalls();
    token = await locationToken(h, LOC);
    const res = await h.http.get(`/api/locations/${LOC}/stats?from=2026-01-06&to=2026-01-06`).set(bearer(token));
    expect(res.status).toBe(200);
    const day = { missedCalls: 3, texted: 2, replied: 1, followUpsSent: 0, optOuts: 1, failures: 0 };
    expect(res.body).toEqual({ from: '2026-01-06', to: '2026-01-06', timeZone: 'America/New_York', totals: { ...day, replyRate: 0.5 }, days: [{ date: '2026-01-06', ...day }] });

    const defaults = await h.http.get(`/api/locations/${LOC}/stats`).set(bearer(token));
    expect(defaults.body).toMatchObject({ from: '2025-12-08', to: '2026-01-06', totals: { missedCalls: 3 } });
    expect(defaults.body.days).toHaveLength(30);
    expect(defaults.body.days.at(-1)).toMatchObject({ date: '2026-01-06', missedCalls: 3 });
  });

  it("when calls fall either side of the location's midnight, then each counts on its own local day", async () => {
    // 23:50 in Los Angeles on Monday 5 January is already Tuesday in UTC.
    h = await createHarness({ startAt: Date.UTC(2026, 0, 6, 7, 50) });
    await h.seedLocation(LOC, { timeZone: 'America/Los_Angeles' });
    h.highLevel().get('/contacts/contact-a').times(2).reply(200, { contact: { id: 'contact-a', phone: ANA } });
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-a', from: ANA, messageId: 'late' }));
    await h.runJobs();
    h.clock.advance(20 * 60_000);
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-a', from: ANA, messageId: 'early' }));
    await h.runJobs();
    token = await locationToken(h, LOC);
    const res = await h.http.get(`/api/locations/${LOC}/stats?from=2026-01-05&to=2026-01-06`).set(bearer(token));
    expect(res.body.days.map((d: { date: string; missedCalls: number }) => [d.date, d.missedCalls])).toEqual([['2026-01-05', 1], ['2026-01-06', 1]]);
  });

  it('when the range is malformed, reversed or longer than a year, then 422', async () => {
    h = await createHarness();
    await h.seedLocation(LOC);
    token = await locationToken(h, LOC);
    const status = async (query: string) => (await h.http.get(`/api/locations/${LOC}/stats${query}`).set(bearer(token))).status;
    expect(await status('?from=2026-02-30')).toBe(422);
    expect(await status('?from=2026-01-06&to=2026-01-01')).toBe(422);
    expect(await status('?from=2024-01-01&to=2026-01-01')).toBe(422);
    expect(await status('?from=2025-01-06&to=2026-01-05')).toBe(200);
  });
});
