// The activity log's contract, for every engine: missed calls (with their text-back and follow-up), replies and
// suppression changes of one location, merged newest first and paged by cursor with no item lost or repeated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { ActivityItem, ActivityLog, ActivityPosition } from '../../src/store/activity.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, seedCall, seedJob, seedMessage, seedReply, seedSuppressionChange } from './seed-rows.js';

export type ActivityLogPort = AsyncStore<ActivityLog>;

const LOC = 'loc-1';
const CALLER = '+12125550147';
const MINUTE = 60_000;

export function describeActivityLogContract(engine: string, makeStore: () => Awaitable<StoreFixture<ActivityLogPort>>): void {
  describe(`activity log contract: ${engine}`, () => {
    let fixture: StoreFixture<ActivityLogPort>;
    let activity: ActivityLogPort;
    beforeEach(async () => {
      fixture = await makeStore();
      activity = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    const call = (callKey: string, at: number, extra: Partial<Parameters<typeof seedCall>[1]> = {}) =>
      seedCall(fixture.rows, { locationId: LOC, callKey, phone: CALLER, at, ...extra });
    const everything = async (limit: number) => {
      const items: ActivityItem[] = [];
      const pages: number[] = [];
      let before: ActivityPosition | null = null;
      do {
        const page: { items: ActivityItem[]; next: ActivityPosition | null } = await activity.page(LOC, { limit, before });
        items.push(...page.items);
        pages.push(page.items.length);
        before = page.next;
      } while (before !== null && pages.length < 50);
      return { items, pages };
    };

    it('when calls, replies and suppression changes happened, then they come newest first, ties ordered call, reply, suppression', async () => {
      await call('c-old', T0 - 2 * MINUTE);
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'r-1', phone: CALLER, meaning: 'reply', at: T0 });
      await seedSuppressionChange(fixture.rows, { locationId: LOC, phone: CALLER, action: 'suppress', source: 'keyword', reason: 'opt-out reply', at: T0 });
      await call('c-tie', T0);
      await seedSuppressionChange(fixture.rows, { locationId: LOC, phone: CALLER, action: 'lift', source: 'manual', at: T0 + MINUTE });
      const { items, next } = await activity.page(LOC, { limit: 10, before: null });
      expect(next).toBeNull();
      expect(items.map((item) => `${item.type}@${item.at - T0}`)).toEqual([
        `suppression@${MINUTE}`, 'call@0', 'reply@0', 'suppression@0', `call@${-2 * MINUTE}`,
      ]);
      expect(items[0]).toEqual({ type: 'suppression', at: T0 + MINUTE, phone: CALLER, action: 'lift', source: 'manual', reason: null });
      expect(items[2]).toEqual({ type: 'reply', at: T0, phone: CALLER, meaning: 'reply' });
      expect(items[3]).toMatchObject({ action: 'suppress', source: 'keyword', reason: 'opt-out reply' });
    });

    it('when a call was answered, or belongs to another location, then it is not in the log', async () => {
      await call('answered', T0, { missed: false, decision: 'ignored:answered' });
      await seedCall(fixture.rows, { locationId: 'loc-2', callKey: 'elsewhere', phone: CALLER, at: T0 });
      await seedReply(fixture.rows, { locationId: 'loc-2', replyKey: 'r-2', phone: CALLER, meaning: 'reply', at: T0 });
      expect(await activity.page(LOC, { limit: 10, before: null })).toEqual({ items: [], next: null });
    });

    it('when a missed call was texted back, then the call shows the text\'s status, send time and error with numbers masked', async () => {
      const texted = await call('texted', T0, { status: 'no-answer', decision: 'texted' });
      await seedMessage(fixture.rows, { locationId: LOC, sendKey: `textback:${LOC}:texted`, phone: CALLER, callId: texted, createdAt: T0 + 1, sentAt: T0 + 2 });
      const failed = await call('failed', T0 - MINUTE);
      await seedMessage(fixture.rows, {
        locationId: LOC, sendKey: `textback:${LOC}:failed`, phone: CALLER, callId: failed, createdAt: T0 - MINUTE + 1, status: 'failed',
        errorMessage: 'The number +1 212-555-0147 is unreachable',
      });
      await call('skipped', T0 - 2 * MINUTE, { decision: 'skipped:suppressed' });
      const { items } = await activity.page(LOC, { limit: 10, before: null });
      expect(items[0]).toEqual({
        type: 'call', at: T0, phone: CALLER, callStatus: 'no-answer', decision: 'texted',
        textBack: { status: 'sent', at: T0 + 2, error: null }, followUp: null,
      });
      expect(items[1]).toMatchObject({ textBack: { status: 'failed', at: T0 - MINUTE + 1 } });
      const error = (items[1] as { textBack: { error: string } }).textBack.error;
      expect(error).toContain('***0147');
      expect(error).not.toContain('555-0147');
      expect(items[2]).toMatchObject({ decision: 'skipped:suppressed', textBack: null });
    });

    it('when a follow-up was scheduled, then its state comes from the call once settled, else from its job (or the job\'s absence)', async () => {
      const at = (n: number) => T0 - n * MINUTE;
      const followupAt = T0 + 60 * MINUTE;
      await call('sent', at(1), { followup: 'sent', followupAt: T0 + 5 });
      await call('waiting', at(2), { followup: 'pending', followupAt });
      await seedJob(fixture.rows, { kind: 'followup', status: 'pending', runAt: followupAt, dedupeKey: `followup:${LOC}:waiting` });
      await call('running', at(3), { followup: 'pending', followupAt });
      await seedJob(fixture.rows, { kind: 'followup', status: 'running', runAt: followupAt, dedupeKey: `followup:${LOC}:running` });
      await call('cancelled', at(4), { followup: 'pending', followupAt });
      await seedJob(fixture.rows, { kind: 'followup', status: 'cancelled', runAt: followupAt, dedupeKey: `followup:${LOC}:cancelled`, finishedAt: T0 + 7 });
      await call('failed', at(5), { followup: 'pending', followupAt });
      await seedJob(fixture.rows, { kind: 'followup', status: 'failed', runAt: followupAt, dedupeKey: `followup:${LOC}:failed`, finishedAt: T0 + 9 });
      await call('pruned', at(6), { followup: 'pending', followupAt });
      await call('none', at(7));
      const { items } = await activity.page(LOC, { limit: 10, before: null });
      expect(items.map((item) => (item as { followUp: unknown }).followUp)).toEqual([
        { state: 'sent', at: T0 + 5 },
        { state: 'pending', at: followupAt },
        { state: 'pending', at: followupAt },
        { state: 'cancelled', at: T0 + 7 },
        { state: 'failed', at: T0 + 9 },
        { state: 'cancelled', at: followupAt },
        null,
      ]);
    });

    it('when the log is read page by page, then every item comes exactly once, in order, and the last page says there is no next', async () => {
      for (let i = 0; i < 4; i += 1) await call(`c-${i}`, T0 - (i % 2) * MINUTE);
      for (let i = 0; i < 3; i += 1) await seedReply(fixture.rows, { locationId: LOC, replyKey: `r-${i}`, phone: CALLER, meaning: 'reply', at: T0 - (i % 2) * MINUTE });
      for (let i = 0; i < 3; i += 1) await seedSuppressionChange(fixture.rows, { locationId: LOC, phone: CALLER, action: 'suppress', source: 'web', at: T0 - MINUTE });
      const whole = await activity.page(LOC, { limit: 100, before: null });
      expect(whole.items).toHaveLength(10);
      const paged = await everything(3);
      expect(paged.pages).toEqual([3, 3, 3, 1]);
      expect(paged.items).toEqual(whole.items);
      const exact = await everything(5);
      expect(exact.pages).toEqual([5, 5]);
    });
  });
}
