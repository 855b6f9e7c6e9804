// No noisy neighbours, through the real app: a paced location's burst parks instead of holding workers, and a missed
// call jumps a backlog of plain replies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engine, createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';

const BUSY = 'loc-busy';
const OTHER = 'loc-other';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(BUSY, { numbers: ['+15550000001'] });
  await h.seedLocation(OTHER, { name: 'Other Dental', numbers: ['+15550000002'] });
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

const caller = (i: number) => `+1212555${String(1000 + i).padStart(4, '0')}`;

/** Answers contact reads and sends for both locations; returns each send's location (by its token) and clock time. */
function highLevelAnswers(onSend?: () => void) {
  const sends: { locationId: string; at: number }[] = [];
  const requestsAt: Record<string, number[]> = { [BUSY]: [], [OTHER]: [], 'loc-untagged': [] };
  const locationOf = (auth: string | string[] | undefined) => String(auth).replace('Bearer token-', '');
  h.highLevel().persist().get(/^\/contacts\/contact-\d+$/).reply(function (uri) {
    const locationId = locationOf(this.req.headers.authorization);
    requestsAt[locationId].push(h.clock.now());
    const n = Number(uri.split('-').pop());
    return [200, { contact: { id: `contact-${n}`, locationId, phone: caller(n), firstName: 'Sam', dnd: false } }];
  });
  h.highLevel().persist().post('/conversations/messages').reply(function () {
    const locationId = locationOf(this.req.headers.authorization);
    requestsAt[locationId].push(h.clock.now());
    sends.push({ locationId, at: h.clock.now() });
    onSend?.();
    return [201, { conversationId: `conv-${sends.length}`, messageId: `msg-${sends.length}` }];
  });
  return { sends, requestsAt };
}

// How long a location's admitted slots count against its window: 10 s in one process; shared by instances
// (PostgreSQL) an admitted job's slots count 2 s longer, the most its pacer may hold them (docs/decisions/0012).
const WINDOW_HELD_MS = engine === 'postgres' ? 12_000 : 10_000;

describe('fair job queue', () => {
  it('when one location has a burst beyond its HighLevel pace, then another location\'s missed call is texted at once and the burst drains at the pace without a worker waiting', async () => {
    const { sends, requestsAt } = highLevelAnswers();
    for (let i = 0; i < 60; i += 1) {
      expect((await h.webhook(missedCall({ locationId: BUSY, contactId: `contact-${i}`, from: caller(i) }))).status).toBe(200);
    }
    expect((await h.webhook(missedCall({ locationId: OTHER, contactId: 'contact-999', from: caller(999) }))).status).toBe(200);
    const startedAt = h.clock.now();
    await h.runJobs();

    // The other business's caller did not wait for the burst: texted before any time passed.
    expect(sends.filter((s) => s.locationId === OTHER)).toEqual([{ locationId: OTHER, at: startedAt }]);
    // The burst took what its pace allows (90 requests / 10 s, two per text) and parked the rest: none is running.
    expect(sends.filter((s) => s.locationId === BUSY)).toHaveLength(45);
    const parked = await h.sql.all(`SELECT status, COUNT(*) AS n, MIN(run_at) AS at FROM jobs WHERE kind = 'textback' AND status IN ('pending', 'running') GROUP BY status`);
    expect(parked).toEqual([{ status: 'pending', n: 15, at: startedAt + 10_000 }]);

    await h.advance(WINDOW_HELD_MS);
    expect(sends.filter((s) => s.locationId === BUSY)).toHaveLength(60);
    // Never more than 90 of the busy location's requests in any 10 s.
    const times = requestsAt[BUSY];
    for (const at of times) expect(times.filter((t) => t > at - 10_000 && t <= at).length).toBeLessThanOrEqual(90);
  });

  it('when one location gets more replies than its HighLevel pace can tag, then another location\'s missed call is texted at once and the replies wait parked', async () => {
    const { sends } = highLevelAnswers();
    const tagged: number[] = [];
    h.highLevel().persist().post(/^\/contacts\/contact-\d+\/tags$/).reply(() => { tagged.push(h.clock.now()); return [200, { tags: ['missed-call-replied'] }]; });
    for (let i = 0; i < 120; i += 1) {
      await h.webhook(inboundSms({ locationId: BUSY, contactId: `contact-${i}`, from: caller(i), body: `Thanks, see you at ${i}` }));
    }
    await h.webhook(missedCall({ locationId: OTHER, contactId: 'contact-999', from: caller(999) }));
    const startedAt = h.clock.now();
    await h.runJobs();

    expect(sends).toEqual([{ locationId: OTHER, at: startedAt }]);
    expect(tagged).toEqual(Array(90).fill(startedAt));
    expect(await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'highlevel-event' AND status = 'pending' AND run_at > ?`, startedAt)).toBe(30);
    await h.advance(WINDOW_HELD_MS);
    expect(tagged).toHaveLength(120);
  });

  it('when hundreds of plain replies are queued ahead of a missed call, then the call is texted before the replies are worked through', async () => {
    // A location that tags no replies: a plain reply then needs no HighLevel call at all.
    const UNTAGGED = 'loc-untagged';
    await h.seedLocation(UNTAGGED, { numbers: ['+15550000003'], settings: { replyTag: '' } });
    // Counted as each send reaches HighLevel (the query starts then; awaited below, as PostgreSQL answers later).
    const countsAtSend: Promise<unknown>[] = [];
    const { sends } = highLevelAnswers(() => countsAtSend.push(h.sql.value('SELECT COUNT(*) FROM replies')));
    for (let i = 0; i < 300; i += 1) {
      await h.webhook(inboundSms({ locationId: UNTAGGED, contactId: `contact-${i}`, from: caller(i), body: `Thanks, see you at ${i}` }));
    }
    await h.webhook(missedCall({ locationId: UNTAGGED, contactId: 'contact-999', from: caller(999) }));
    await h.runJobs();

    expect(sends).toHaveLength(1);
    expect(Number(await h.sql.value('SELECT COUNT(*) FROM replies'))).toBe(300);
    const repliesAtSend = (await Promise.all(countsAtSend)).map(Number);
    expect(repliesAtSend[0]).toBeLessThan(300);
  });
});
