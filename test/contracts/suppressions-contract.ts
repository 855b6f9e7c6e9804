// The suppression list's contract, for every engine: every source holding a number, the history of each change,
// lifting some or all sources, opt-ins, the SMS DND the app set, and the page the embedded app lists.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { SuppressionStore } from '../../src/store/suppressions.js';
import type { SuppressionSource } from '../../src/workflow/ports/storage.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type SuppressionStorePort = AsyncStore<SuppressionStore>;

const T0 = 1_700_000_000_000;
const PHONE = '+15550001111';

export function describeSuppressionsContract(engine: string, makeStore: () => Promise<StoreFixture<SuppressionStorePort>> | StoreFixture<SuppressionStorePort>): void {
  describe(`suppression list contract: ${engine}`, () => {
    let fixture: StoreFixture<SuppressionStorePort>;
    let list: SuppressionStorePort;
    beforeEach(async () => {
      fixture = await makeStore();
      list = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    const suppress = (source: SuppressionSource, now: number, phone = PHONE, extra: { reason?: string; actor?: string } = {}) =>
      list.suppress({ locationId: 'loc-1', phone, source, actor: extra.actor ?? 'caller', reason: extra.reason }, now);

    it('when a number is suppressed, then it is held by that source, the first suppression says so, and each new source is history', async () => {
      expect(await list.isSuppressed('loc-1', PHONE)).toBe(false);
      expect(await list.holdsOf('loc-1', PHONE)).toEqual([]);
      expect(await suppress('keyword', T0, PHONE, { reason: 'STOP' })).toBe(true);
      expect(await suppress('manual', T0 + 10, PHONE, { actor: 'user-1' })).toBe(false);
      expect(await suppress('keyword', T0 + 20)).toBe(false);
      expect(await list.isSuppressed('loc-1', PHONE)).toBe(true);
      expect(await list.isSuppressed('loc-2', PHONE)).toBe(false);
      expect(await list.holdsOf('loc-1', PHONE)).toEqual([{ source: 'keyword', since: T0 }, { source: 'manual', since: T0 + 10 }]);
      expect(await list.history('loc-1', PHONE)).toEqual([
        { phone: PHONE, action: 'suppress', source: 'keyword', reason: 'STOP', actor: 'caller', at: T0 },
        { phone: PHONE, action: 'suppress', source: 'manual', reason: null, actor: 'user-1', at: T0 + 10 },
      ]);
    });

    it('when sources with the same start are listed, then they come in a fixed order (by time, then source name)', async () => {
      for (const source of ['web', 'dnd', 'link'] as const) await suppress(source, T0);
      expect((await list.holdsOf('loc-1', PHONE)).map((hold) => hold.source)).toEqual(['dnd', 'link', 'web']);
    });

    it('when some sources are lifted, then the number stays suppressed by the others, under the oldest remaining one', async () => {
      await suppress('keyword', T0);
      await suppress('dnd', T0 + 10);
      await suppress('manual', T0 + 20);
      expect(await list.lift({ locationId: 'loc-1', phone: PHONE, sources: ['keyword', 'web'], actor: 'user-1', reason: 'asked' }, T0 + 30)).toBe(false);
      expect(await list.isSuppressed('loc-1', PHONE)).toBe(true);
      expect((await list.holdsOf('loc-1', PHONE)).map((hold) => hold.source)).toEqual(['dnd', 'manual']);
      expect((await list.list('loc-1', { limit: 10, offset: 0 })).items[0].source).toBe('dnd');
      expect((await list.history('loc-1', PHONE)).at(-1)).toEqual({ phone: PHONE, action: 'lift', source: 'keyword', reason: 'asked', actor: 'user-1', at: T0 + 30 });
      // Lifting a source that does not hold the number changes nothing.
      const before = await list.history('loc-1', PHONE);
      expect(await list.lift({ locationId: 'loc-1', phone: PHONE, sources: ['link'], actor: 'user-1' }, T0 + 40)).toBe(false);
      expect(await list.history('loc-1', PHONE)).toEqual(before);
    });

    it('when every source is lifted, then the number is no longer suppressed and each lifted source is history, in hold order', async () => {
      await suppress('manual', T0 + 10);
      await suppress('keyword', T0);
      expect(await list.lift({ locationId: 'loc-1', phone: PHONE, actor: 'cli' }, T0 + 30)).toBe(true);
      expect(await list.isSuppressed('loc-1', PHONE)).toBe(false);
      expect(await list.holdsOf('loc-1', PHONE)).toEqual([]);
      expect((await list.history('loc-1', PHONE)).slice(2).map((change) => [change.action, change.source])).toEqual([['lift', 'keyword'], ['lift', 'manual']]);
      expect(await list.lift({ locationId: 'loc-1', phone: PHONE, actor: 'cli' }, T0 + 40)).toBe(false);
      expect(await suppress('web', T0 + 50)).toBe(true);
    });

    it('when a number was suppressed before sources were recorded, then lifting it lifts its one recorded source', async () => {
      await fixture.rows.insert('suppressions', { location_id: 'loc-1', phone: PHONE, source: 'manual', created_at: T0 });
      expect(await list.lift({ locationId: 'loc-1', phone: PHONE, sources: ['keyword'], actor: 'cli' }, T0 + 5)).toBe(false);
      expect(await list.isSuppressed('loc-1', PHONE)).toBe(true);
      expect(await list.lift({ locationId: 'loc-1', phone: PHONE, sources: ['manual'], actor: 'cli' }, T0 + 10)).toBe(true);
      expect(await list.history('loc-1', PHONE)).toEqual([{ phone: PHONE, action: 'lift', source: 'manual', reason: null, actor: 'cli', at: T0 + 10 }]);
    });

    it('when several sources suppress a number at once, then exactly one call reports it newly suppressed and every source holds it', async () => {
      const sources = ['keyword', 'link', 'provider', 'web', 'dnd', 'manual'] as const;
      const results = await Promise.all(sources.map((source) => suppress(source, T0)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await list.holdsOf('loc-1', PHONE)).toHaveLength(6);
      expect(await list.history('loc-1', PHONE)).toHaveLength(6);
    });

    it('when suppressions and lifts of a number interleave, then the number is suppressed exactly when a source still holds it', async () => {
      const sources = ['keyword', 'manual', 'dnd'] as const;
      for (let round = 0; round < 10; round += 1) {
        await Promise.all([
          ...sources.map((source) => suppress(source, T0 + round)),
          list.lift({ locationId: 'loc-1', phone: PHONE, sources: ['manual'], actor: 'user-1' }, T0 + round),
          list.lift({ locationId: 'loc-1', phone: PHONE, actor: 'cli' }, T0 + round),
        ]);
        const holds = await list.holdsOf('loc-1', PHONE);
        expect(await list.isSuppressed('loc-1', PHONE)).toBe(holds.length > 0);
      }
    });

    it('when a caller opts in, then the latest opt-in time is kept whatever order they arrive in', async () => {
      expect(await list.lastOptInAt('loc-1', PHONE)).toBeNull();
      await list.noteOptIn('loc-1', PHONE, T0 + 20);
      await list.noteOptIn('loc-1', PHONE, T0 + 10);
      expect(await list.lastOptInAt('loc-1', PHONE)).toBe(T0 + 20);
      await list.noteOptIn('loc-1', PHONE, T0 + 30);
      expect(await list.lastOptInAt('loc-1', PHONE)).toBe(T0 + 30);
      expect(await list.lastOptInAt('loc-2', PHONE)).toBeNull();
    });

    it('when the app sets DND on contacts, then they are listed by number oldest first, a contact follows its new number, and forgetting removes it', async () => {
      await list.noteAppDnd({ locationId: 'loc-1', contactId: 'c-2', phone: PHONE }, T0 + 20);
      await list.noteAppDnd({ locationId: 'loc-1', contactId: 'c-1', phone: PHONE }, T0 + 10);
      await list.noteAppDnd({ locationId: 'loc-1', contactId: 'c-3', phone: '+15550002222' }, T0);
      expect(await list.appDndContacts('loc-1', PHONE)).toEqual(['c-1', 'c-2']);
      await list.noteAppDnd({ locationId: 'loc-1', contactId: 'c-1', phone: '+15550002222' }, T0 + 30);
      expect(await list.appDndContacts('loc-1', PHONE)).toEqual(['c-2']);
      expect(await list.appDndContacts('loc-1', '+15550002222')).toEqual(['c-3', 'c-1']);
      await list.forgetAppDnd('loc-1', 'c-2');
      expect(await list.appDndContacts('loc-1', PHONE)).toEqual([]);
      expect(await list.appDndContacts('loc-2', '+15550002222')).toEqual([]);
    });

    it('when the list is paged and searched, then it is newest first with each number\'s sources, and the total counts every match', async () => {
      await list.suppress({ locationId: 'loc-1', phone: '+15550000001', source: 'keyword', actor: 'caller' }, T0 + 1);
      await list.suppress({ locationId: 'loc-1', phone: '+15550000001', source: 'manual', actor: 'user' }, T0 + 5);
      await list.suppress({ locationId: 'loc-1', phone: '+15550000002', source: 'web', actor: 'caller' }, T0 + 2);
      await list.suppress({ locationId: 'loc-1', phone: '+15559990003', source: 'dnd', actor: 'highlevel' }, T0 + 3);
      await list.suppress({ locationId: 'loc-2', phone: '+15550000004', source: 'manual', actor: 'user' }, T0 + 4);
      const first = await list.list('loc-1', { limit: 2, offset: 0 });
      expect(first).toEqual({
        total: 3,
        items: [
          { phone: '+15559990003', source: 'dnd', createdAt: T0 + 3, sources: [{ source: 'dnd', since: T0 + 3 }] },
          { phone: '+15550000002', source: 'web', createdAt: T0 + 2, sources: [{ source: 'web', since: T0 + 2 }] },
        ],
      });
      expect(await list.list('loc-1', { limit: 2, offset: 2 })).toEqual({
        total: 3,
        items: [{ phone: '+15550000001', source: 'keyword', createdAt: T0 + 1, sources: [{ source: 'keyword', since: T0 + 1 }, { source: 'manual', since: T0 + 5 }] }],
      });
      const searched = await list.list('loc-1', { search: '(555) 000-', limit: 10, offset: 0 });
      expect(searched.total).toBe(2);
      expect(searched.items.map((item) => item.phone)).toEqual(['+15550000002', '+15550000001']);
      expect(await list.list('loc-1', { search: '---', limit: 10, offset: 0 })).toMatchObject({ total: 3 });
      expect(await list.list('loc-3', { limit: 10, offset: 0 })).toEqual({ items: [], total: 0 });
    });
  });
}
