// The data rights contract, for every engine: a person's copy of everything held about their number at one location
// (and nothing else), and its erasure in one transaction that keeps the suppression and not-yet-processed inbound events.
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { DataRights } from '../../src/store/data-rights.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, countOf, seedCall, seedJob, seedLocation, seedMessage, seedReply, seedSuppression, seedSuppressionChange } from './seed-rows.js';

export type DataRightsPort = AsyncStore<DataRights>;
export interface DataRightsFixture extends StoreFixture<DataRightsPort> {
  /** Makes every later DELETE from `table` fail (a trigger), to show that an erasure failing half-way leaves all. */
  refuseDeletesFrom(table: string): Promise<void>;
}

const LOC = 'loc-1';
const OTHER = 'loc-2';
const CALLER = '+12125550147';
const NEIGHBOUR = '+12125550199';
const HOUR = 3_600_000;
const INBOUND = ['highlevel-event'];

export function describeDataRightsContract(engine: string, makeStore: (options: { inboundEventKinds: readonly string[] }) => Awaitable<DataRightsFixture>): void {
  describe(`data rights contract: ${engine}`, () => {
    let fixture: DataRightsFixture | undefined;
    afterEach(async () => { await fixture?.close(); });
    const open = async (inboundEventKinds: readonly string[] = INBOUND) => (fixture = await makeStore({ inboundEventKinds }));

    /** The caller's history at LOC (a texted call with a pending follow-up, an answered call, a reply and STOP), and others'. */
    async function history(f: DataRightsFixture) {
      const { rows } = f;
      await seedLocation(rows, LOC);
      const call = await seedCall(rows, { locationId: LOC, callKey: 'call-1', phone: CALLER, at: T0, contactId: 'contact-1', followup: 'pending', followupAt: T0 + HOUR });
      const answered = await seedCall(rows, { locationId: LOC, callKey: 'call-2', phone: CALLER, at: T0 + 10, missed: false, decision: 'ignored:answered' });
      const message = await seedMessage(rows, { locationId: LOC, sendKey: `textback:${LOC}:call-1`, phone: CALLER, callId: call, contactId: 'contact-1', createdAt: T0 + 1, sentAt: T0 + 2 });
      const reply = await seedReply(rows, { locationId: LOC, replyKey: 'r-1', phone: CALLER, meaning: 'reply', at: T0 + 100, contactId: 'contact-1' });
      const stop = await seedReply(rows, { locationId: LOC, replyKey: 'r-2', phone: CALLER, meaning: 'opt-out', at: T0 + 200, contactId: 'contact-1' });
      await seedSuppression(rows, { locationId: LOC, phone: CALLER, source: 'keyword', at: T0 + 200 });
      await seedSuppressionChange(rows, { locationId: LOC, phone: CALLER, action: 'suppress', source: 'keyword', reason: 'opt-out reply', actor: 'caller', at: T0 + 200 });
      const jobs = [
        // About the number by subject, by contact, by the number in the payload, and an inbound event not yet processed.
        await seedJob(rows, { kind: 'followup', status: 'pending', locationId: LOC, subject: CALLER, dedupeKey: `followup:${LOC}:call-1`, runAt: T0 + HOUR, createdAt: T0 + 3 }),
        await seedJob(rows, { kind: 'highlevel-event', status: 'done', locationId: LOC, subject: 'contact-1', runAt: T0 + 4, createdAt: T0 + 4, finishedAt: T0 + 5 }),
        await seedJob(rows, { kind: 'delivery-check', status: 'done', locationId: LOC, payload: { phone: CALLER, messageId: 'm-1' }, runAt: T0 + 6, createdAt: T0 + 6, finishedAt: T0 + 7 }),
        await seedJob(rows, { kind: 'highlevel-event', status: 'pending', locationId: LOC, subject: 'contact-1', payload: { type: 'InboundMessage', phone: CALLER }, runAt: T0 + 8, createdAt: T0 + 8 }),
      ];
      // Not about the number: a longer number holding it, the neighbour's records, the same number at another location.
      await seedJob(rows, { kind: 'delivery-check', status: 'pending', locationId: LOC, payload: { phone: `${CALLER}0` }, runAt: T0, createdAt: T0 });
      await seedCall(rows, { locationId: LOC, callKey: 'call-n', phone: NEIGHBOUR, at: T0, contactId: 'contact-2' });
      await seedJob(rows, { kind: 'followup', status: 'pending', locationId: LOC, subject: NEIGHBOUR, runAt: T0 + HOUR });
      await seedCall(rows, { locationId: OTHER, callKey: 'call-o', phone: CALLER, at: T0, contactId: 'contact-1' });
      await seedMessage(rows, { locationId: OTHER, sendKey: `textback:${OTHER}:call-o`, phone: CALLER, createdAt: T0 });
      await seedReply(rows, { locationId: OTHER, replyKey: 'r-o', phone: CALLER, meaning: 'reply', at: T0 });
      await seedJob(rows, { kind: 'followup', status: 'pending', locationId: OTHER, subject: CALLER, runAt: T0 + HOUR });
      for (const [locationId, phone] of [[LOC, CALLER], [OTHER, CALLER], [LOC, NEIGHBOUR]]) {
        await rows.insert('location_line_types', { location_id: locationId, phone, line_type: 'mobile', source: 'lookup', checked_at: T0 });
      }
      return { call, answered, message, reply, stop, jobs };
    }

    it('when the number has a history, then the copy holds its calls, texts, follow-ups, replies, suppression, jobs and lookups, oldest first', async () => {
      const f = await open();
      const ids = await history(f);
      const copy = await f.store.exportNumber(LOC, CALLER, T0 + DAYS(1));
      expect(copy).toEqual({
        locationId: LOC, phone: CALLER, generatedAt: T0 + DAYS(1),
        suppression: { suppressed: true, source: 'keyword', since: T0 + 200 },
        suppressionHistory: [{ action: 'suppress', source: 'keyword', reason: 'opt-out reply', actor: 'caller', at: T0 + 200 }],
        calls: [
          { id: ids.call, contactId: 'contact-1', occurredAt: T0, callStatus: 'voicemail', missed: true, decision: 'texted', decisionAt: T0 },
          { id: ids.answered, contactId: null, occurredAt: T0 + 10, callStatus: 'voicemail', missed: false, decision: 'ignored:answered', decisionAt: T0 + 10 },
        ],
        messages: [{
          id: ids.message, kind: 'textback', callId: ids.call, contactId: 'contact-1', body: 'Sorry we missed you, how can we help?', status: 'sent',
          provider: 'highlevel', providerMessageId: null, errorCode: null, errorMessage: null, segments: 1, createdAt: T0 + 1, sentAt: T0 + 2, updatedAt: T0 + 1,
        }],
        followUps: [{ callId: ids.call, state: 'pending', at: T0 + HOUR }],
        replies: [
          { id: ids.reply, contactId: 'contact-1', meaning: 'reply', receivedAt: T0 + 100 },
          { id: ids.stop, contactId: 'contact-1', meaning: 'opt-out', receivedAt: T0 + 200 },
        ],
        jobs: [
          { id: ids.jobs[0], kind: 'followup', status: 'pending', runAt: T0 + HOUR, createdAt: T0 + 3, finishedAt: null },
          { id: ids.jobs[1], kind: 'highlevel-event', status: 'done', runAt: T0 + 4, createdAt: T0 + 4, finishedAt: T0 + 5 },
          { id: ids.jobs[2], kind: 'delivery-check', status: 'done', runAt: T0 + 6, createdAt: T0 + 6, finishedAt: T0 + 7 },
          { id: ids.jobs[3], kind: 'highlevel-event', status: 'pending', runAt: T0 + 8, createdAt: T0 + 8, finishedAt: null },
        ],
        lookups: [{ table: 'location_line_types', locationId: LOC, phone: CALLER, lineType: 'mobile', source: 'lookup', checkedAt: T0 }],
      });
    });

    it('when nothing is held about the number, then the copy is empty and says it is not suppressed', async () => {
      const f = await open();
      await history(f);
      expect(await f.store.exportNumber(LOC, '+12125550100', T0)).toEqual({
        locationId: LOC, phone: '+12125550100', generatedAt: T0, suppression: { suppressed: false, source: null, since: null },
        suppressionHistory: [], calls: [], messages: [], followUps: [], replies: [], jobs: [], lookups: [],
      });
      expect(await f.store.suppressionOf(LOC, CALLER)).toEqual({ suppressed: true, source: 'keyword', since: T0 + 200 });
    });

    it('when the number is erased, then its records go, the suppression and its history stay, a pending inbound event stays, and nobody else\'s record is touched', async () => {
      const f = await open();
      const ids = await history(f);
      expect(await f.store.eraseNumber(LOC, CALLER)).toEqual({ calls: 2, messages: 1, replies: 2, jobs: 3, lookups: 1 });
      const after = await f.store.exportNumber(LOC, CALLER, T0);
      expect(after).toMatchObject({ calls: [], messages: [], followUps: [], replies: [], lookups: [], suppression: { suppressed: true, source: 'keyword' } });
      expect(after.suppressionHistory).toHaveLength(1);
      expect(after.jobs.map((job) => job.id)).toEqual([ids.jobs[3]]);
      const count = (sql: string, params: unknown[]) => countOf(f.rows, sql, params);
      expect(await count('SELECT 1 FROM calls WHERE phone = ?', [NEIGHBOUR])).toBe(1);
      expect(await count('SELECT 1 FROM calls WHERE location_id = ?', [OTHER])).toBe(1);
      expect(await count('SELECT 1 FROM messages WHERE location_id = ?', [OTHER])).toBe(1);
      expect(await count('SELECT 1 FROM replies WHERE location_id = ?', [OTHER])).toBe(1);
      expect(await count('SELECT 1 FROM jobs WHERE location_id = ? OR subject = ?', [OTHER, NEIGHBOUR])).toBe(2);
      expect(await count('SELECT 1 FROM jobs', [])).toBe(4);
      expect(await count('SELECT 1 FROM location_line_types', [])).toBe(2);
      expect(await f.store.eraseNumber(LOC, CALLER)).toEqual({ calls: 0, messages: 0, replies: 0, jobs: 0, lookups: 0 });
    });

    it('when no job kind is an inbound event, then every job about the number is erased', async () => {
      const f = await open([]);
      await history(f);
      expect(await f.store.eraseNumber(LOC, CALLER)).toMatchObject({ jobs: 4 });
    });

    it('when a delete fails half-way through an erasure, then nothing is erased', async () => {
      const f = await open();
      await history(f);
      const before = await f.store.exportNumber(LOC, CALLER, T0);
      await f.refuseDeletesFrom('replies');
      await expect((async () => f.store.eraseNumber(LOC, CALLER))()).rejects.toThrow();
      expect(await f.store.exportNumber(LOC, CALLER, T0)).toEqual(before);
    });

    it('when asked about a location, then it is known once installed or while it holds suppression history, and not otherwise', async () => {
      const f = await open();
      await seedLocation(f.rows, LOC, { status: 'uninstalled', uninstalledAt: T0 });
      await seedSuppressionChange(f.rows, { locationId: 'loc-purged', phone: CALLER, action: 'suppress', source: 'manual', at: T0 });
      expect(await f.store.knowsLocation(LOC)).toBe(true);
      expect(await f.store.knowsLocation('loc-purged')).toBe(true);
      expect(await f.store.knowsLocation('loc-never')).toBe(false);
    });
  });
}

const DAYS = (n: number) => n * 24 * HOUR;
