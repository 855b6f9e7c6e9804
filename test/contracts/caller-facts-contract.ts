// The caller-facts contract, for every engine: one read answers exactly what the ledger, suppression list, call log,
// reply log and location numbers answer one by one (src/workflow/deliver.ts relies on that), for every case below.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { CallerFacts, CallerFactsQuery, CallerFactsReader, CallLog, Installations, ReplyLog, SendLedger, Suppressions } from '../../src/workflow/ports/storage.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import type { LineTypeCache } from '../../src/store/line-types.js';
import { T0, seedCall, seedLocation, seedMessage, seedReply, seedSuppression } from './seed-rows.js';

export interface CallerFactsStores {
  facts: AsyncStore<CallerFactsReader>;
  ledger: AsyncStore<Pick<SendLedger, 'findByKey' | 'lastTextedAt' | 'hasTexted'>>;
  suppressions: AsyncStore<Pick<Suppressions, 'isSuppressed'>>;
  calls: AsyncStore<Pick<CallLog, 'answeredSince'>>;
  replies: AsyncStore<Pick<ReplyLog, 'repliedSince'>>;
  installations: AsyncStore<Pick<Installations, 'ownerOfNumber'>>;
  lineTypes: AsyncStore<Pick<LineTypeCache, 'get' | 'remember'>>;
}

const CALLER = '+15550001111';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function describeCallerFactsContract(engine: string, makeStores: () => Promise<StoreFixture<CallerFactsStores>> | StoreFixture<CallerFactsStores>): void {
  describe(`caller facts contract: ${engine}`, () => {
    let fixture: StoreFixture<CallerFactsStores>;
    let stores: CallerFactsStores;
    beforeEach(async () => {
      fixture = await makeStores();
      stores = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    /** The same questions asked one by one, as deliver() asked them before the facts were read together. */
    async function oneByOne(query: CallerFactsQuery): Promise<CallerFacts> {
      const { locationId, phone } = query;
      return {
        prior: await stores.ledger.findByKey(query.sendKey),
        ownerOfNumber: await stores.installations.ownerOfNumber(phone),
        suppressed: await stores.suppressions.isSuppressed(locationId, phone),
        answeredSince: await stores.calls.answeredSince(locationId, phone, query.answeredAfter),
        repliedSince: query.repliedSince === null ? false : await stores.replies.repliedSince(locationId, phone, query.repliedSince),
        lastTextedAt: await stores.ledger.lastTextedAt(locationId, phone),
        hasTexted: await stores.ledger.hasTexted(locationId, phone),
        knownLineType: (await stores.lineTypes.get(locationId, phone, query.now))?.lineType ?? null,
      };
    }

    const query = (extra: Partial<CallerFactsQuery> = {}): CallerFactsQuery => ({
      locationId: 'loc-1', phone: CALLER, sendKey: 'textback:loc-1:call-9', answeredAfter: T0, repliedSince: null, now: T0 + HOUR, ...extra,
    });

    it('when nothing is known about the caller, then every fact is empty', async () => {
      await seedLocation(fixture.rows, 'loc-1');
      expect(await stores.facts.recall(query())).toEqual({
        prior: null, ownerOfNumber: null, suppressed: false, answeredSince: false, repliedSince: false, lastTextedAt: null, hasTexted: false,
        knownLineType: null,
      });
    });

    it('when the location learned the line type, then it is known for 180 days and then not; another location\'s is never', async () => {
      await seedLocation(fixture.rows, 'loc-1');
      await seedLocation(fixture.rows, 'loc-2');
      await stores.lineTypes.remember('loc-1', CALLER, 'landline', 'lookup', T0);
      await stores.lineTypes.remember('loc-2', '+15550002222', 'mobile', 'lookup', T0);
      for (const asked of [query(), query({ now: T0 + 180 * DAY - 1 }), query({ now: T0 + 180 * DAY }), query({ locationId: 'loc-2' }), query({ phone: '+15550002222' })]) {
        expect(await stores.facts.recall(asked)).toEqual(await oneByOne(asked));
      }
      expect((await stores.facts.recall(query())).knownLineType).toBe('landline');
      expect((await stores.facts.recall(query({ now: T0 + 180 * DAY - 1 }))).knownLineType).toBe('landline');
      expect((await stores.facts.recall(query({ now: T0 + 180 * DAY }))).knownLineType).toBeNull();
      expect((await stores.facts.recall(query({ locationId: 'loc-2' }))).knownLineType).toBeNull();
    });

    it('when the caller has history everywhere, then each fact is what its own store answers', async () => {
      await seedLocation(fixture.rows, 'loc-1');
      await seedLocation(fixture.rows, 'loc-2');
      await fixture.rows.insert('location_numbers', { location_id: 'loc-2', phone: CALLER });
      const callId = await seedCall(fixture.rows, { locationId: 'loc-1', callKey: 'call-9', phone: CALLER, at: T0 });
      await seedCall(fixture.rows, { locationId: 'loc-1', callKey: 'call-10', phone: CALLER, at: T0 + MINUTE, missed: false, status: 'completed', decision: 'ignored:answered' });
      await seedMessage(fixture.rows, { locationId: 'loc-1', sendKey: 'textback:loc-1:call-9', phone: CALLER, createdAt: T0 + 2 * MINUTE, status: 'sending', callId });
      await seedMessage(fixture.rows, { locationId: 'loc-1', sendKey: 'followup:loc-1:call-1', kind: 'followup', phone: CALLER, createdAt: T0 - 60 * MINUTE, status: 'sent', sentAt: T0 - 60 * MINUTE });
      await seedReply(fixture.rows, { locationId: 'loc-1', replyKey: 'sms-1', phone: CALLER, meaning: 'reply', at: T0 + 3 * MINUTE });
      await seedSuppression(fixture.rows, { locationId: 'loc-1', phone: CALLER, source: 'keyword', at: T0 + 4 * MINUTE });

      const asked = query({ repliedSince: T0 + 3 * MINUTE });
      const facts = await stores.facts.recall(asked);
      expect(facts).toEqual(await oneByOne(asked));
      expect(facts).toMatchObject({
        prior: { sendKey: 'textback:loc-1:call-9', kind: 'textback', status: 'sending', phone: CALLER, createdAt: T0 + 2 * MINUTE, sentAt: null },
        ownerOfNumber: 'loc-2', suppressed: true, answeredSince: true, repliedSince: true, lastTextedAt: T0 + 2 * MINUTE, hasTexted: true,
        knownLineType: null,
      });
    });

    it('when the history lies on the far side of each boundary, then the facts agree with the stores one by one', async () => {
      await seedLocation(fixture.rows, 'loc-1');
      await seedLocation(fixture.rows, 'loc-2', { status: 'uninstalled' });
      // The number belongs to a location that uninstalled: nobody owns it.
      await fixture.rows.insert('location_numbers', { location_id: 'loc-2', phone: CALLER });
      // Answered exactly at the boundary (not after it), a missed call after it, a suppression at another location.
      await seedCall(fixture.rows, { locationId: 'loc-1', callKey: 'call-a', phone: CALLER, at: T0, missed: false, status: 'completed', decision: 'ignored:answered' });
      await seedCall(fixture.rows, { locationId: 'loc-1', callKey: 'call-b', phone: CALLER, at: T0 + MINUTE });
      await seedSuppression(fixture.rows, { locationId: 'loc-2', phone: CALLER, source: 'keyword', at: T0 });
      // A failed text counts for nothing; a HELP answer counts as texted but not as a text-back.
      await seedMessage(fixture.rows, { locationId: 'loc-1', sendKey: 'textback:loc-1:old', phone: CALLER, createdAt: T0 - MINUTE, status: 'failed' });
      await seedMessage(fixture.rows, { locationId: 'loc-1', sendKey: 'help:loc-1:x', kind: 'help', phone: CALLER, createdAt: T0 - 2 * MINUTE, status: 'sent' });
      // A reply just before the time asked about.
      await seedReply(fixture.rows, { locationId: 'loc-1', replyKey: 'sms-1', phone: CALLER, meaning: 'reply', at: T0 + 4 * MINUTE - 1 });

      for (const asked of [query({ repliedSince: T0 + 4 * MINUTE }), query({ repliedSince: T0 + 4 * MINUTE - 1 }), query({ answeredAfter: T0 - 1 }), query({ locationId: 'loc-2' })]) {
        expect(await stores.facts.recall(asked)).toEqual(await oneByOne(asked));
      }
      expect(await stores.facts.recall(query({ repliedSince: T0 + 4 * MINUTE }))).toEqual({
        prior: null, ownerOfNumber: null, suppressed: false, answeredSince: false, repliedSince: false, lastTextedAt: null, hasTexted: true,
        knownLineType: null,
      });
      expect((await stores.facts.recall(query({ answeredAfter: T0 - 1 }))).answeredSince).toBe(true);
      expect((await stores.facts.recall(query({ locationId: 'loc-2' }))).suppressed).toBe(true);
    });
  });
}
