// The send ledger's contract, for every engine: one reservation per send key, the suppression re-check at reserve
// time, the states a send moves through, the look-ups cooldowns and opt-out lines rely on, and start-up recovery of
// reservations a dead process left behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { SendLedger } from '../../src/workflow/ports/storage.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { HOUR } from '../../src/lib/clock.js';

export type SendLedgerPort = AsyncStore<SendLedger & { markInterruptedUnknown(now: number): number }>;

const T0 = 1_700_000_000_000;
type ReserveInput = Parameters<SendLedgerPort['reserve']>[0];

export function describeSendLedgerContract(engine: string, makeStore: () => Promise<StoreFixture<SendLedgerPort>> | StoreFixture<SendLedgerPort>): void {
  describe(`send ledger contract: ${engine}`, () => {
    let fixture: StoreFixture<SendLedgerPort>;
    let ledger: SendLedgerPort;
    beforeEach(async () => {
      fixture = await makeStore();
      ledger = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    const send = (extra: Partial<ReserveInput> = {}): ReserveInput => ({
      locationId: 'loc-1', sendKey: 'textback:loc-1:1', kind: 'textback', callId: null, contactId: 'contact-1', phone: '+15550001111',
      body: 'Sorry we missed you', segments: 1, provider: 'highlevel', checkSuppression: true, ...extra,
    });
    const suppress = (phone: string, locationId = 'loc-1') =>
      fixture.rows.insert('suppressions', { location_id: locationId, phone, source: 'keyword', created_at: T0 });
    const reserved = async (input: ReserveInput, now = T0) => {
      const reservation = await ledger.reserve(input, now);
      if (reservation.outcome !== 'reserved') throw new Error(`expected a reservation, got ${reservation.outcome}`);
      return reservation.entry;
    };
    const stored = async (id: number) => (await fixture.rows.all<Record<string, unknown>>(
      'SELECT status, provider, provider_message_id, error_code, error_message, sent_at, updated_at, body, segments, call_id FROM messages WHERE id = ?', [id]))[0];

    it('when a send is reserved, then its entry is sending, and the same key answers "exists" with that entry from then on', async () => {
      const entry = await reserved(send(), T0);
      expect(entry).toEqual({ id: expect.any(Number), sendKey: 'textback:loc-1:1', kind: 'textback', status: 'sending', phone: '+15550001111', createdAt: T0, sentAt: null });
      expect(await stored(entry.id)).toMatchObject({ body: 'Sorry we missed you', segments: 1, provider: 'highlevel', call_id: null });
      expect(await ledger.reserve(send({ body: 'other' }), T0 + 1)).toEqual({ outcome: 'exists', entry });
      expect(await ledger.findByKey('textback:loc-1:1')).toEqual(entry);
      expect(await ledger.findByKey('nothing')).toBeNull();
    });

    it('when the number is suppressed, then a checking reservation is refused and a non-checking one (the opt-out confirmation) is not', async () => {
      await suppress('+15550001111');
      expect(await ledger.reserve(send(), T0)).toEqual({ outcome: 'suppressed' });
      expect(await ledger.findByKey('textback:loc-1:1')).toBeNull();
      const confirmation = await reserved(send({ sendKey: 'optout:1', kind: 'opt-out-confirmation', checkSuppression: false }));
      expect(confirmation.kind).toBe('opt-out-confirmation');
      // Another location's list does not hold this location's sends.
      await reserved(send({ locationId: 'loc-2', sendKey: 'textback:loc-2:1' }));
    });

    it('when a reserved send is suppressed afterwards, then the same key still answers "exists", never "suppressed"', async () => {
      const entry = await reserved(send());
      await suppress('+15550001111');
      expect(await ledger.reserve(send(), T0 + 1)).toEqual({ outcome: 'exists', entry });
    });

    it('when the same key is reserved many times at once, then exactly one reservation is made and the others see it', async () => {
      for (const checkSuppression of [true, false]) {
        const sendKey = `race:${checkSuppression}`;
        const outcomes = await Promise.all(Array.from({ length: 8 }, () => ledger.reserve(send({ sendKey, checkSuppression }), T0)));
        const made = outcomes.filter((outcome) => outcome.outcome === 'reserved');
        expect(made).toHaveLength(1);
        const id = made[0].outcome === 'reserved' ? made[0].entry.id : -1;
        for (const outcome of outcomes) expect(outcome.outcome === 'suppressed' ? -1 : outcome.entry.id).toBe(id);
      }
    });

    it('when a send is recorded sent (or delivered at once), then the entry says so with its provider id and time', async () => {
      const first = await reserved(send());
      await ledger.markSent(first.id, { providerMessageId: 'SM1', status: 'accepted', provider: 'twilio' }, T0 + 5);
      expect(await ledger.findByKey(first.sendKey)).toEqual({ ...first, status: 'sent', sentAt: T0 + 5 });
      expect(await stored(first.id)).toMatchObject({ provider: 'twilio', provider_message_id: 'SM1', updated_at: T0 + 5 });
      const second = await reserved(send({ sendKey: 'k2' }));
      await ledger.markSent(second.id, { providerMessageId: null, status: 'delivered', provider: 'highlevel' }, T0 + 6);
      expect((await ledger.findByKey('k2'))?.status).toBe('delivered');
    });

    it('when a send is recorded sent with what follows from it, then its jobs and its call\'s decision are stored with it, a job whose key exists is left alone', async () => {
      await fixture.rows.insert('calls', { location_id: 'loc-1', call_key: 'c1', phone: '+15550001111', status: 'no-answer', missed: 1, occurred_at: T0, decision: 'pending', decision_at: T0 });
      const [{ id: callId }] = await fixture.rows.all<{ id: number }>('SELECT id FROM calls WHERE call_key = ?', ['c1']);
      const job = (kind: string, key: string, runAt: number) => ({ kind, locationId: 'loc-1', subject: '+15550001111', dedupeKey: key, runAt, payload: { callId: Number(callId) } });
      await fixture.rows.insert('jobs', { kind: 'follow-up', location_id: 'loc-1', subject: '+15550001111', dedupe_key: 'taken', payload: '"first"', status: 'pending', run_at: T0, created_at: T0 });
      const entry = await reserved(send({ callId: Number(callId) }));
      await ledger.markSent(entry.id, { providerMessageId: 'm1', status: 'sent', provider: 'highlevel' }, T0 + 5, {
        jobs: [job('delivery-check', 'dc:m1', T0 + 30_005), job('follow-up', 'fu:c1', T0 + 7_200_005), job('follow-up', 'taken', T0 + 9)],
        decision: { callId: Number(callId), decision: 'texted', followUp: 'pending' },
      });
      expect((await ledger.findByKey(entry.sendKey))?.status).toBe('sent');
      const jobs = await fixture.rows.all<{ kind: string; dedupe_key: string; status: string; run_at: number; payload: string }>(
        'SELECT kind, dedupe_key, status, run_at, payload FROM jobs ORDER BY dedupe_key');
      expect(jobs.map((row) => ({ ...row, run_at: Number(row.run_at), payload: JSON.parse(row.payload) }))).toEqual([
        { kind: 'delivery-check', dedupe_key: 'dc:m1', status: 'pending', run_at: T0 + 30_005, payload: { callId: Number(callId) } },
        { kind: 'follow-up', dedupe_key: 'fu:c1', status: 'pending', run_at: T0 + 7_200_005, payload: { callId: Number(callId) } },
        { kind: 'follow-up', dedupe_key: 'taken', status: 'pending', run_at: T0, payload: 'first' },
      ]);
      const [call] = await fixture.rows.all<Record<string, unknown>>('SELECT decision, decision_at, followup, followup_at FROM calls WHERE id = ?', [callId]);
      expect(Object.fromEntries(Object.entries(call).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])))
        .toEqual({ decision: 'texted', decision_at: T0 + 5, followup: 'pending', followup_at: T0 + 5 });
    });

    it('when what follows from a send cannot be stored, then nothing is: the entry stays in flight and the call undecided', async () => {
      await fixture.rows.insert('calls', { location_id: 'loc-1', call_key: 'c1', phone: '+15550001111', status: 'no-answer', missed: 1, occurred_at: T0, decision: 'pending', decision_at: T0 });
      const [{ id: callId }] = await fixture.rows.all<{ id: number }>('SELECT id FROM calls WHERE call_key = ?', ['c1']);
      const entry = await reserved(send({ callId: Number(callId) }));
      const broken = { kind: null as unknown as string, locationId: 'loc-1', subject: 'x', dedupeKey: 'k', runAt: T0, payload: null };
      await expect(Promise.resolve().then(() => ledger.markSent(entry.id, { providerMessageId: 'm1', status: 'sent', provider: 'highlevel' }, T0 + 5, {
        jobs: [broken], decision: { callId: Number(callId), decision: 'texted' },
      }))).rejects.toThrow();
      expect((await ledger.findByKey(entry.sendKey))?.status).toBe('sending');
      expect(await fixture.rows.all('SELECT id FROM jobs')).toEqual([]);
      expect(await fixture.rows.all('SELECT decision FROM calls WHERE id = ?', [callId])).toEqual([{ decision: 'pending' }]);
    });

    it('when a send fails, then it is failed with its code and message, and no longer counts as texted', async () => {
      const entry = await reserved(send());
      await ledger.markFailed(entry.id, '21610', 'unsubscribed', T0 + 5);
      expect((await ledger.findByKey(entry.sendKey))?.status).toBe('failed');
      expect(await stored(entry.id)).toMatchObject({ error_code: '21610', error_message: 'unsubscribed' });
      expect(await ledger.hasTexted('loc-1', '+15550001111')).toBe(false);
      expect(await ledger.lastTextedAt('loc-1', '+15550001111')).toBeNull();
      expect(await ledger.lastSentOfKind('loc-1', '+15550001111', 'textback')).toBeNull();
    });

    it('when a send is marked unknown, then only a send still in flight changes; a recorded outcome stays', async () => {
      const open = await reserved(send());
      await ledger.markUnknown(open.id, 'timeout', T0 + 5);
      expect((await ledger.findByKey(open.sendKey))?.status).toBe('unknown');
      expect(await stored(open.id)).toMatchObject({ error_message: 'timeout' });
      const sent = await reserved(send({ sendKey: 'k2' }));
      await ledger.markSent(sent.id, { providerMessageId: 'SM2', status: 'sent', provider: 'twilio' }, T0 + 6);
      await ledger.markUnknown(sent.id, 'late', T0 + 7);
      expect((await ledger.findByKey('k2'))?.status).toBe('sent');
      // A send marked unknown too early (recovery) is still recorded by its owner when the answer comes.
      await ledger.markSent(open.id, { providerMessageId: 'SM3', status: 'sent', provider: 'twilio' }, T0 + 8);
      expect((await ledger.findByKey(open.sendKey))?.status).toBe('sent');
    });

    it('when a reservation is released, then the key can be reserved again; a send with an outcome is never released', async () => {
      const entry = await reserved(send());
      await ledger.release(entry.id);
      expect(await ledger.findByKey(entry.sendKey)).toBeNull();
      const again = await reserved(send(), T0 + 10);
      expect(again.createdAt).toBe(T0 + 10);
      await ledger.markSent(again.id, { providerMessageId: null, status: 'sent', provider: 'highlevel' }, T0 + 11);
      await ledger.release(again.id);
      expect((await ledger.findByKey(entry.sendKey))?.status).toBe('sent');
    });

    it('when a location texted a number, then the look-ups answer the latest text-back or follow-up, the latest of a kind, and whether any text went out', async () => {
      const phone = '+15550001111';
      expect(await ledger.hasTexted('loc-1', phone)).toBe(false);
      expect(await ledger.lastTextedAt('loc-1', phone)).toBeNull();
      await reserved(send({ sendKey: 'help', kind: 'help', checkSuppression: false }), T0 + 50);
      expect(await ledger.hasTexted('loc-1', phone)).toBe(true);
      expect(await ledger.lastTextedAt('loc-1', phone)).toBeNull();
      await reserved(send({ sendKey: 'tb' }), T0 + 10);
      const follow = await reserved(send({ sendKey: 'fu', kind: 'followup' }), T0 + 30);
      expect(await ledger.lastTextedAt('loc-1', phone)).toBe(T0 + 30);
      expect(await ledger.lastSentOfKind('loc-1', phone, 'textback')).toBe(T0 + 10);
      expect(await ledger.lastSentOfKind('loc-1', phone, 'help')).toBe(T0 + 50);
      expect(await ledger.lastSentOfKind('loc-1', phone, 'opt-in-confirmation')).toBeNull();
      await ledger.markFailed(follow.id, null, 'rejected', T0 + 31);
      expect(await ledger.lastTextedAt('loc-1', phone)).toBe(T0 + 10);
      expect(await ledger.lastTextedAt('loc-2', phone)).toBeNull();
      expect(await ledger.hasTexted('loc-1', '+15550009999')).toBe(false);
    });

    it('when start-up recovery runs, then reservations left in flight long ago are marked unknown and counted; settled sends stay', async () => {
      const orphan = await reserved(send({ sendKey: 'orphan' }), T0);
      const done = await reserved(send({ sendKey: 'done' }), T0);
      await ledger.markSent(done.id, { providerMessageId: 'SM1', status: 'sent', provider: 'twilio' }, T0 + 1);
      expect(await ledger.markInterruptedUnknown(T0 + HOUR)).toBe(1);
      expect((await ledger.findByKey('orphan'))?.status).toBe('unknown');
      expect(await stored(orphan.id)).toMatchObject({ error_message: 'interrupted between reserve and send; never resent', updated_at: T0 + HOUR });
      expect((await ledger.findByKey('done'))?.status).toBe('sent');
      expect(await ledger.markInterruptedUnknown(T0 + 2 * HOUR)).toBe(0);
      // Never resent: the key is taken for good.
      expect((await ledger.reserve(send({ sendKey: 'orphan' }), T0 + 2 * HOUR)).outcome).toBe('exists');
    });
  });
}
