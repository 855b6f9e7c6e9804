// The call outcomes' contract, for every engine: what the sandbox page reads back about a call, its follow-up job
// and what the caller did since.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { CallOutcomes } from '../../src/store/call-outcomes.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, seedCall, seedJob, seedReply } from './seed-rows.js';

export type CallOutcomesPort = AsyncStore<CallOutcomes>;

const LOC = 'loc-1';
const CALLER = '+12125550147';

export function describeCallOutcomesContract(engine: string, makeStore: () => Awaitable<StoreFixture<CallOutcomesPort>>): void {
  describe(`call outcomes contract: ${engine}`, () => {
    let fixture: StoreFixture<CallOutcomesPort>;
    let outcomes: CallOutcomesPort;
    beforeEach(async () => {
      fixture = await makeStore();
      outcomes = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    it('when a call was recorded, then its decision, follow-up state, time and number read back; another key or location reads null', async () => {
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'call-1', phone: CALLER, at: T0, decision: 'texted', followup: 'pending', followupAt: T0 + 3_600_000 });
      expect(await outcomes.call(LOC, 'call-1')).toEqual({ decision: 'texted', followUp: 'pending', occurredAt: T0, phone: CALLER });
      expect(await outcomes.call(LOC, 'call-2')).toBeNull();
      expect(await outcomes.call('loc-2', 'call-1')).toBeNull();
    });

    it('when a job has the dedupe key, then its status and due time read back whatever its state; an unknown key reads null', async () => {
      await seedJob(fixture.rows, { kind: 'followup', status: 'cancelled', runAt: T0 + 60_000, dedupeKey: `followup:${LOC}:call-1`, finishedAt: T0 });
      expect(await outcomes.job(`followup:${LOC}:call-1`)).toEqual({ status: 'cancelled', runAt: T0 + 60_000 });
      expect(await outcomes.job(`followup:${LOC}:call-2`)).toBeNull();
    });

    it('when a reply was recorded, then what it meant reads back by its key, at its location only', async () => {
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'msg-1', phone: CALLER, meaning: 'opt-out', at: T0 });
      expect(await outcomes.replyMeaning(LOC, 'msg-1')).toBe('opt-out');
      expect(await outcomes.replyMeaning('loc-2', 'msg-1')).toBeNull();
    });

    it('when the caller wrote back, then only a plain reply from that number at or after the time counts as replied', async () => {
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'stop', phone: CALLER, meaning: 'opt-out', at: T0 + 10 });
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'old', phone: CALLER, meaning: 'reply', at: T0 - 1 });
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'other', phone: '+12125550199', meaning: 'reply', at: T0 + 10 });
      expect(await outcomes.repliedSince(LOC, CALLER, T0)).toBe(false);
      await seedReply(fixture.rows, { locationId: LOC, replyKey: 'yes', phone: CALLER, meaning: 'reply', at: T0 });
      expect(await outcomes.repliedSince(LOC, CALLER, T0)).toBe(true);
      expect(await outcomes.repliedSince('loc-2', CALLER, T0)).toBe(false);
    });

    it('when the number called again and was answered strictly after the time, then it answered the call-back', async () => {
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'same-time', phone: CALLER, at: T0, missed: false, decision: 'ignored:answered' });
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'missed-again', phone: CALLER, at: T0 + 5, decision: 'skipped:cooldown' });
      expect(await outcomes.answeredSince(LOC, CALLER, T0)).toBe(false);
      await seedCall(fixture.rows, { locationId: LOC, callKey: 'answered', phone: CALLER, at: T0 + 10, missed: false, decision: 'ignored:answered' });
      expect(await outcomes.answeredSince(LOC, CALLER, T0)).toBe(true);
      expect(await outcomes.answeredSince(LOC, '+12125550199', T0)).toBe(false);
    });
  });
}
