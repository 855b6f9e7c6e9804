// The line-type cache's contract, for every engine: what one location learned about a number, trusted for 180 days,
// never seen by another location.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import { LINE_TYPE_MAX_AGE_MS, type LineTypeCache } from '../../src/store/line-types.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type LineTypeCachePort = AsyncStore<LineTypeCache>;

const T0 = 1_700_000_000_000;

export function describeLineTypeCacheContract(engine: string, makeStore: () => Promise<StoreFixture<LineTypeCachePort>> | StoreFixture<LineTypeCachePort>): void {
  describe(`line type cache contract: ${engine}`, () => {
    let fixture: StoreFixture<LineTypeCachePort>;
    let cache: LineTypeCachePort;
    beforeEach(async () => { fixture = await makeStore(); cache = fixture.store; });
    afterEach(async () => { await fixture.close(); });

    it('when a location learns a line type, then it reads it back, and another location knows nothing of it', async () => {
      await cache.remember('loc-a', '+15550001111', 'landline', 'lookup', T0);
      expect(await cache.get('loc-a', '+15550001111', T0 + 1)).toEqual({ lineType: 'landline', source: 'lookup', checkedAt: T0 });
      expect(await cache.get('loc-b', '+15550001111', T0 + 1)).toBeNull();
      expect(await cache.get('loc-a', '+15550002222', T0 + 1)).toBeNull();
    });

    it('when the fact is 180 days old, then it is no longer trusted', async () => {
      await cache.remember('loc-a', '+15550001111', 'mobile', 'lookup', T0);
      expect(await cache.get('loc-a', '+15550001111', T0 + LINE_TYPE_MAX_AGE_MS - 1)).not.toBeNull();
      expect(await cache.get('loc-a', '+15550001111', T0 + LINE_TYPE_MAX_AGE_MS)).toBeNull();
    });

    it('when the number is learned again, then the newer fact replaces the older', async () => {
      await cache.remember('loc-a', '+15550001111', 'mobile', 'lookup', T0);
      await cache.remember('loc-a', '+15550001111', 'landline', 'error:30006', T0 + 10);
      expect(await cache.get('loc-a', '+15550001111', T0 + 11)).toEqual({ lineType: 'landline', source: 'error:30006', checkedAt: T0 + 10 });
    });

    it('when a location forgets a number, then only its own fact goes', async () => {
      await cache.remember('loc-a', '+15550001111', 'mobile', 'lookup', T0);
      await cache.remember('loc-b', '+15550001111', 'voip', 'lookup', T0);
      await cache.forget('loc-a', '+15550001111');
      expect(await cache.get('loc-a', '+15550001111', T0)).toBeNull();
      expect(await cache.get('loc-b', '+15550001111', T0)).toMatchObject({ lineType: 'voip' });
    });

    it('when pruned, then facts too old to trust are deleted and counted; younger ones stay', async () => {
      await cache.remember('loc-a', '+15550001111', 'mobile', 'lookup', T0);
      await cache.remember('loc-a', '+15550002222', 'other', 'lookup', T0 + 1);
      await cache.remember('loc-b', '+15550003333', 'mobile', 'lookup', T0 + 100);
      expect(await cache.prune(T0 + LINE_TYPE_MAX_AGE_MS + 2)).toBe(2);
      expect(await cache.prune(T0 + LINE_TYPE_MAX_AGE_MS + 2)).toBe(0);
      expect(await fixture.rows.all('SELECT phone FROM location_line_types')).toEqual([{ phone: '+15550003333' }]);
    });
  });
}
