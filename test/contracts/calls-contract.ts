// The call log's contract, for every engine: one call per (location, call key), the one sighting that makes a ringing
// call final, decisions and follow-up states, and the answered call-back look-up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { CallLog, CallRecord } from '../../src/workflow/ports/storage.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type CallLogPort = AsyncStore<CallLog>;

const T0 = 1_700_000_000_000;
type Sighting = Parameters<CallLogPort['record']>[0];

export function describeCallLogContract(engine: string, makeStore: () => Promise<StoreFixture<CallLogPort>> | StoreFixture<CallLogPort>): void {
  describe(`call log contract: ${engine}`, () => {
    let fixture: StoreFixture<CallLogPort>;
    let calls: CallLogPort;
    beforeEach(async () => {
      fixture = await makeStore();
      calls = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    const sighting = (extra: Partial<Sighting> = {}): Sighting => ({
      locationId: 'loc-1', callKey: 'call-1', contactId: 'contact-1', phone: '+15550001111', status: 'no-answer', missed: true,
      occurredAt: T0, decision: 'texted', ...extra,
    });
    const followUpOf = async (callId: number) =>
      (await fixture.rows.all<{ followup: string | null; followup_at: number | null; decision_at: number }>(
        'SELECT followup, followup_at, decision_at FROM calls WHERE id = ?', [callId]))[0];

    it('when a call is seen for the first time, then it is new and reads back as recorded', async () => {
      const { call, isNew } = await calls.record(sighting(), T0 + 1);
      expect(isNew).toBe(true);
      expect(call).toEqual({
        id: expect.any(Number), locationId: 'loc-1', callKey: 'call-1', contactId: 'contact-1', phone: '+15550001111',
        status: 'no-answer', missed: true, occurredAt: T0, decision: 'texted',
      } satisfies CallRecord);
      expect(await calls.get(call.id)).toEqual(call);
      expect(await calls.get(call.id + 1000)).toBeNull();
      const answered = await calls.record(sighting({ callKey: 'call-2', status: 'completed', missed: false, decision: 'ignored:answered' }), T0);
      expect(answered.call.missed).toBe(false);
    });

    it('when the same final call is seen again (another webhook id), then it is not new and keeps what was recorded first', async () => {
      const first = await calls.record(sighting(), T0);
      const again = await calls.record(sighting({ status: 'busy', decision: 'skipped:other', contactId: 'contact-2' }), T0 + 5);
      expect(again).toEqual({ call: first.call, isNew: false });
    });

    it('when a ringing call is later seen final, then that sighting is new once, updates it and fills in a missing contact and phone', async () => {
      const ringing = await calls.record(sighting({ status: 'ringing', missed: false, decision: 'waiting', contactId: null, phone: null }), T0);
      expect(ringing.isNew).toBe(true);
      const stillRinging = await calls.record(sighting({ status: 'in-progress', missed: false, decision: 'waiting' }), T0 + 1);
      expect(stillRinging).toEqual({ call: ringing.call, isNew: false });
      const final = await calls.record(sighting({ status: 'no-answer', missed: true, decision: 'texted' }), T0 + 2);
      expect(final.isNew).toBe(true);
      expect(final.call).toEqual({ ...ringing.call, status: 'no-answer', missed: true, decision: 'texted', contactId: 'contact-1', phone: '+15550001111' });
      const late = await calls.record(sighting({ status: 'completed', missed: false, decision: 'ignored:answered', contactId: 'contact-9' }), T0 + 3);
      expect(late).toEqual({ call: final.call, isNew: false });
    });

    it('when a row carries an old spelling of a waiting status, then its final sighting still makes it final', async () => {
      for (const [i, status] of ['in progress', 'in_progress', ''].entries()) {
        await fixture.rows.insert('calls', {
          location_id: 'loc-1', call_key: `old-${i}`, contact_id: 'c', phone: '+1555', status, missed: 0, occurred_at: T0, decision: 'waiting', decision_at: T0,
        });
        const final = await calls.record(sighting({ callKey: `old-${i}` }), T0 + 1);
        expect(final.isNew).toBe(true);
        expect(final.call.status).toBe('no-answer');
      }
    });

    it('when many final sightings of a ringing call arrive at once, then exactly one of them is new', async () => {
      for (let round = 0; round < 5; round += 1) {
        const callKey = `race-${round}`;
        await calls.record(sighting({ callKey, status: 'ringing', missed: false, decision: 'waiting' }), T0);
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
          calls.record(sighting({ callKey, decision: `decided-${i}` }), T0 + 1)));
        expect(results.filter((result) => result.isNew)).toHaveLength(1);
        const winner = results.find((result) => result.isNew)!.call;
        expect((await calls.get(winner.id))?.decision).toBe(winner.decision);
      }
    });

    it('when many first sightings of a call arrive at once, then exactly one is new and all name the same call', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => calls.record(sighting(), T0)));
      expect(results.filter((result) => result.isNew)).toHaveLength(1);
      expect(new Set(results.map((result) => result.call.id)).size).toBe(1);
    });

    it('when a decision is recorded, with or without a follow-up state, then it reads back, and the follow-up state is kept apart', async () => {
      const { call } = await calls.record(sighting({ decision: 'deferred' }), T0);
      await calls.decide(call.id, 'texted', T0 + 10);
      expect((await calls.get(call.id))?.decision).toBe('texted');
      expect(await followUpOf(call.id)).toEqual({ followup: null, followup_at: null, decision_at: T0 + 10 });
      await calls.decide(call.id, 'texted:again', T0 + 20, 'pending');
      expect(await followUpOf(call.id)).toEqual({ followup: 'pending', followup_at: T0 + 20, decision_at: T0 + 20 });
      await calls.setFollowUp(call.id, 'sent', T0 + 30);
      expect(await followUpOf(call.id)).toEqual({ followup: 'sent', followup_at: T0 + 30, decision_at: T0 + 20 });
      expect((await calls.get(call.id))?.decision).toBe('texted:again');
    });

    it('when an answered call from the number came after the time asked about, then it counts; earlier, missed or other numbers do not', async () => {
      const phone = '+15550002222';
      await calls.record(sighting({ callKey: 'a', phone, status: 'completed', missed: false, decision: 'ignored:answered', occurredAt: T0 + 100 }), T0);
      await calls.record(sighting({ callKey: 'b', phone, status: 'no-answer', missed: true, decision: 'ignored:answered', occurredAt: T0 + 500 }), T0);
      await calls.record(sighting({ callKey: 'c', phone, status: 'completed', missed: false, decision: 'ignored:outbound', occurredAt: T0 + 500 }), T0);
      expect(await calls.answeredSince('loc-1', phone, T0 + 99)).toBe(true);
      expect(await calls.answeredSince('loc-1', phone, T0 + 100)).toBe(false);
      expect(await calls.answeredSince('loc-1', '+15550003333', T0)).toBe(false);
      expect(await calls.answeredSince('loc-2', phone, T0)).toBe(false);
    });
  });
}
