// The user context uses contract (test/contracts/user-context-uses-contract.ts) on PostgreSQL, and the first use of a
// context decided once when several instances (pools) see it at the same moment.
import { describe, expect, it } from 'vitest';
import { createPostgresUserContextUses } from '../../../src/store/postgres/user-context-uses.js';
import { describeUserContextUsesContract } from '../../contracts/user-context-uses-contract.js';
import { T0 } from '../../contracts/seed-rows.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL user context uses', () => {
  const engine = usePostgresEngine();
  describeUserContextUsesContract('PostgreSQL', async (options) => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresUserContextUses(pg, options), rows, close() {} };
  });

  it('when three instances see the same new contexts at once, then each context has one first use that all of them answer', async () => {
    const { pg, rows } = await engine.fresh();
    const instances = [pg, engine.open(), engine.open()].map((pool) => createPostgresUserContextUses(pool));
    const contexts = Array.from({ length: 20 }, (_, i) => Buffer.from(`context-${i}`).toString('base64'));
    const answers = await Promise.all(contexts.map((payload) =>
      Promise.all(instances.map((instance, i) => instance.firstUse(payload, T0 + i)))));
    for (const perContext of answers) expect(new Set(perContext).size).toBe(1);
    expect(await rows.all('SELECT COUNT(*) AS n FROM user_context_uses')).toEqual([{ n: 20 }]);
  });
});
