// The audit trail's contract, for every engine: entries with their detail (phone numbers masked), listed newest
// first per location, paged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { AuditStore } from '../../src/store/audit.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type AuditStorePort = AsyncStore<AuditStore>;

const T0 = 1_700_000_000_000;

export function describeAuditLogContract(engine: string, makeStore: () => Promise<StoreFixture<AuditStorePort>> | StoreFixture<AuditStorePort>): void {
  describe(`audit log contract: ${engine}`, () => {
    let fixture: StoreFixture<AuditStorePort>;
    let audit: AuditStorePort;
    beforeEach(async () => {
      fixture = await makeStore();
      audit = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    it('when an entry is recorded, then it lists with its detail and no full phone number is stored anywhere in it', async () => {
      await audit.record({ locationId: 'loc-1', actor: 'user-1', action: 'suppress', detail: { phone: '+15550001234', note: 'call +1 555 000 9876' } }, T0);
      const [entry] = await audit.list('loc-1');
      expect(entry).toMatchObject({ id: expect.any(Number), locationId: 'loc-1', actor: 'user-1', action: 'suppress', at: T0 });
      const stored = JSON.stringify(entry.detail) + JSON.stringify(await fixture.rows.all('SELECT detail FROM audit_log'));
      expect(stored).not.toContain('5550001234');
      expect(stored).not.toContain('555 000 9876');
      expect(Object.keys(entry.detail!)).toEqual(['phone', 'note']);
    });

    it('when entries have no detail or no location, then detail reads null and location-less entries list nowhere', async () => {
      await audit.record({ locationId: 'loc-1', actor: 'system', action: 'install' }, T0);
      await audit.record({ locationId: null, actor: 'cli', action: 'backup', detail: { file: 'x' } }, T0);
      expect(await audit.list('loc-1')).toEqual([{ id: expect.any(Number), locationId: 'loc-1', actor: 'system', action: 'install', detail: null, at: T0 }]);
      expect(await fixture.rows.all('SELECT action FROM audit_log WHERE location_id IS NULL')).toEqual([{ action: 'backup' }]);
    });

    it('when a location has many entries, then they list newest first (later writes first at the same time) and page by limit and offset', async () => {
      for (let i = 0; i < 5; i += 1) await audit.record({ locationId: 'loc-1', actor: 'a', action: `action-${i}` }, T0 + (i < 3 ? 0 : i));
      await audit.record({ locationId: 'loc-2', actor: 'a', action: 'elsewhere' }, T0 + 100);
      const actions = async (limit?: number, offset?: number) => (await audit.list('loc-1', limit, offset)).map((entry) => entry.action);
      expect(await actions()).toEqual(['action-4', 'action-3', 'action-2', 'action-1', 'action-0']);
      expect(await actions(2, 1)).toEqual(['action-3', 'action-2']);
      expect(await actions(10, 5)).toEqual([]);
    });
  });
}
