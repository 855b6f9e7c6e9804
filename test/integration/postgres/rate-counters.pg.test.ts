// The shared rate limiter contract (test/contracts/rate-counters-contract.ts) on PostgreSQL, and one limit held by
// three instances (pools) taking from the same buckets at the same moment.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/lib/clock.js';
import { createPostgresSharedRateLimiter } from '../../../src/store/postgres/rate-counters.js';
import { describeSharedRateLimiterContract } from '../../contracts/rate-counters-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL shared rate limiter', () => {
  const engine = usePostgresEngine();
  describeSharedRateLimiterContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: (options) => createPostgresSharedRateLimiter(pg, options), rows, close() {} };
  });

  it('when three instances take from the same keys at once, then each key lets exactly its limit through', async () => {
    await engine.fresh();
    const clock = createManualClock();
    const instances = [engine.pg(), engine.open(), engine.open()].map((pool) =>
      createPostgresSharedRateLimiter(pool, { name: 'optout-location', limit: 7, windowMs: 60_000, clock }));
    const keys = ['loc-1', 'loc-2', 'loc-3', 'loc-4'];
    const outcomes = await Promise.all(keys.flatMap((key) =>
      Array.from({ length: 24 }, (_, i) => instances[i % 3].take(key).then((taken) => ({ key, taken })))));
    for (const key of keys) expect(outcomes.filter((o) => o.key === key && o.taken), key).toHaveLength(7);
  });
});
