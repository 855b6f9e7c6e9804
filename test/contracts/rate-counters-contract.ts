// The shared rate limiter's contract, for every engine: a fixed window opened by a key's first hit, one count per
// (limiter name, key) however many limiter objects (instances) share the database, and rows that vanish once expired.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { SharedRateLimiter } from '../../src/store/rate-counters.js';
import { createManualClock, type Clock, type ManualClock } from '../../src/lib/clock.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type SharedRateLimiterPort = AsyncStore<SharedRateLimiter>;
export type LimiterOptions = { name: string; limit: number; windowMs: number; clock: Clock };
/** Builds a limiter on the fixture's database: each call is another instance's limiter. */
export type MakeLimiter = (options: LimiterOptions) => SharedRateLimiterPort;

const WINDOW = 10 * 60_000;

export function describeSharedRateLimiterContract(engine: string, makeStore: () => Awaitable<StoreFixture<MakeLimiter>>): void {
  describe(`shared rate limiter contract: ${engine}`, () => {
    let fixture: StoreFixture<MakeLimiter>;
    let clock: ManualClock;
    beforeEach(async () => {
      fixture = await makeStore();
      clock = createManualClock();
    });
    afterEach(async () => { await fixture.close(); });
    const limiter = (limit = 3, name = 'optout-client') => fixture.store({ name, limit, windowMs: WINDOW, clock });
    const takes = async (l: SharedRateLimiterPort, key: string, n: number) => {
      const out: boolean[] = [];
      for (let i = 0; i < n; i += 1) out.push(await l.take(key));
      return out;
    };

    it('when a key uses its limit, then further attempts are refused until the window that its first hit opened ends', async () => {
      const l = limiter();
      expect(await l.retryAfterMs('203.0.113.7')).toBe(0);
      expect(await takes(l, '203.0.113.7', 3)).toEqual([true, true, true]);
      expect(await l.retryAfterMs('203.0.113.7')).toBe(0);
      clock.advance(4 * 60_000);
      expect(await l.take('203.0.113.7')).toBe(false);
      expect(await l.retryAfterMs('203.0.113.7')).toBe(6 * 60_000);
      clock.advance(6 * 60_000 - 1);
      expect(await l.take('203.0.113.7')).toBe(false);
      expect(await l.retryAfterMs('203.0.113.7')).toBe(1);
      clock.advance(1);
      expect(await l.retryAfterMs('203.0.113.7')).toBe(0);
      expect(await takes(l, '203.0.113.7', 4)).toEqual([true, true, true, false]);
      expect(await l.retryAfterMs('203.0.113.7')).toBe(WINDOW);
    });

    it('when other keys or other limiter names are used, then each counts on its own', async () => {
      const client = limiter(1);
      const location = limiter(1, 'optout-location');
      expect(await client.take('a')).toBe(true);
      expect(await client.take('a')).toBe(false);
      expect(await client.take('b')).toBe(true);
      expect(await location.take('a')).toBe(true);
    });

    it('when two instances\' limiters of the same name count one key, then they share one limit', async () => {
      const first = limiter(3);
      const second = limiter(3);
      expect(await first.take('loc-1')).toBe(true);
      expect(await second.take('loc-1')).toBe(true);
      expect(await first.take('loc-1')).toBe(true);
      expect(await second.take('loc-1')).toBe(false);
      expect(await first.retryAfterMs('loc-1')).toBe(WINDOW);
    });

    it('when many attempts arrive at once from two instances, then exactly the limit is let through', async () => {
      const first = limiter(10);
      const second = limiter(10);
      const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? first : second).take('burst')));
      expect(outcomes.filter(Boolean)).toHaveLength(10);
    });

    it('when keys are counted, then they are stored hashed, and expired rows are swept by a later attempt a minute on', async () => {
      const l = limiter(3);
      await l.take('203.0.113.7');
      await l.take('198.51.100.2');
      const stored = await fixture.rows.all<{ bucket: string }>('SELECT bucket FROM rate_counters');
      expect(stored).toHaveLength(2);
      expect(JSON.stringify(stored)).not.toContain('203.0.113.7');
      expect(stored.every((row) => row.bucket.startsWith('optout-client:'))).toBe(true);
      clock.advance(WINDOW + 60_000);
      await l.take('192.0.2.1');
      expect(await fixture.rows.all('SELECT hits FROM rate_counters')).toEqual([{ hits: 1 }]);
    });
  });
}
