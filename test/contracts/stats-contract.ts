// The statistics contract, for every engine: missed calls, text-backs, replies to them within the window, follow-ups,
// opt-outs and failures of one location, counted into [edge, next edge) buckets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import { REPLY_WINDOW_MS, type StatsStore } from '../../src/store/stats.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, seedCall, seedMessage, seedReply, seedSuppressionChange } from './seed-rows.js';

export type StatsPort = AsyncStore<StatsStore>;

const LOC = 'loc-1';
const A = '+12125550147';
const B = '+12125550199';
const C = '+12125550123';
const DAY = 86_400_000;

export function describeStatsContract(engine: string, makeStore: () => Awaitable<StoreFixture<StatsPort>>): void {
  describe(`stats contract: ${engine}`, () => {
    let fixture: StoreFixture<StatsPort>;
    let stats: StatsPort;
    beforeEach(async () => {
      fixture = await makeStore();
      stats = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });
    let n = 0;
    const text = (phone: string, createdAt: number, status = 'sent', kind = 'textback', locationId = LOC) =>
      seedMessage(fixture.rows, { locationId, sendKey: `${kind}:${++n}`, phone, createdAt, status, kind });

    it('when nothing happened, then every bucket is zero; no bucket is asked for, none is answered', async () => {
      const zero = { missedCalls: 0, texted: 0, replied: 0, followUpsSent: 0, optOuts: 0, failures: 0 };
      expect(await stats.buckets(LOC, [T0, T0 + DAY, T0 + 2 * DAY])).toEqual([zero, zero]);
      expect(await stats.buckets(LOC, [T0])).toEqual([]);
      expect(await stats.buckets(LOC, [])).toEqual([]);
      expect(await stats.totals(LOC, T0, T0 + DAY)).toEqual(zero);
    });

    it('when missed calls happen on the edges, then each lands in the bucket starting at or before it; answered calls and other locations do not count', async () => {
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'edge', phone: A, at: T0 + DAY });
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'first', phone: A, at: T0 });
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'last', phone: A, at: T0 + 2 * DAY - 1 });
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'after', phone: A, at: T0 + 2 * DAY });
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'before', phone: A, at: T0 - 1 });
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'answered', phone: A, at: T0 + 5, missed: false });
      await seedCall(fixture.rows, { locationId: 'loc-2', callKey: 'elsewhere', phone: A, at: T0 + 5 });
      const days = await stats.buckets(LOC, [T0, T0 + DAY, T0 + 2 * DAY]);
      expect(days.map((day) => day.missedCalls)).toEqual([1, 2]);
    });

    it('when text-backs went out, then accepted ones count as texted, replies within the window (not opt-outs) as replied, and failed or undelivered as failures', async () => {
      await text(A, T0 + 10);
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'a', phone: A, meaning: 'reply', at: T0 + 10 + REPLY_WINDOW_MS - 1 });
      await text(B, T0 + 20, 'delivered');
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'b', phone: B, meaning: 'opt-out', at: T0 + 30 });
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'b-late', phone: B, meaning: 'reply', at: T0 + 20 + REPLY_WINDOW_MS });
      await text(C, T0 + 40, 'undelivered');
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'c-before', phone: C, meaning: 'reply', at: T0 + 39 });
      await text(C, T0 + 50, 'failed');
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'c', phone: C, meaning: 'reply', at: T0 + 60 });
      await text(A, T0 + 70, 'sending');
      await text(A, T0 + 80, 'sent', 'help');
      await text(A, T0 + 90, 'sent', 'textback', 'loc-2');
      expect(await stats.totals(LOC, T0, T0 + DAY)).toEqual({ missedCalls: 0, texted: 3, replied: 2, followUpsSent: 0, optOuts: 0, failures: 2 });
    });

    it('when follow-ups and opt-outs happened, then accepted follow-ups count, and opt-outs by the caller, carrier or HighLevel count but staff entries and lifts do not', async () => {
      await text(A, T0 + 1, 'queued', 'followup');
      await text(B, T0 + 2, 'failed', 'followup');
      for (const source of ['keyword', 'provider', 'dnd', 'manual']) {
        await seedSuppressionChange(fixture.rows, { locationId: LOC, phone: A, action: 'suppress', source, at: T0 + 3 });
      }
      await seedSuppressionChange(fixture.rows, { locationId: LOC, phone: A, action: 'lift', source: 'keyword', at: T0 + 4 });
      await seedSuppressionChange(fixture.rows, { locationId: 'loc-2', phone: A, action: 'suppress', source: 'keyword', at: T0 + 4 });
      expect(await stats.totals(LOC, T0, T0 + DAY)).toEqual({ missedCalls: 0, texted: 0, replied: 0, followUpsSent: 1, optOuts: 3, failures: 1 });
    });

    it('when a range is split into buckets, then their counts add up to the range\'s totals', async () => {
      for (let i = 0; i < 6; i += 1) {
        await seedCall(fixture.rows, { locationId: LOC, callKey: `c-${i}`, phone: A, at: T0 + i * 8 * 3_600_000 });
        await text(A, T0 + i * 8 * 3_600_000 + 1);
      }
      const days = await stats.buckets(LOC, [T0, T0 + DAY, T0 + 2 * DAY]);
      expect(days.map((day) => [day.missedCalls, day.texted])).toEqual([[3, 3], [3, 3]]);
      expect(await stats.totals(LOC, T0, T0 + 2 * DAY)).toMatchObject({ missedCalls: 6, texted: 6 });
    });
  });
}
