// The app-wide senders contract (test/contracts/app-senders-contract.ts) on PostgreSQL, plus two instances assigning
// one sender at once.
import { describe, expect, it } from 'vitest';
import { createPostgresAppSenders } from '../../../src/store/postgres/app-senders.js';
import { describeAppSendersContract } from '../../contracts/app-senders-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { seedLocation, usePostgresEngine } from '../../helpers/store-engines.js';

describe.runIf(hasPostgres)('PostgreSQL app senders', () => {
  const engine = usePostgresEngine();

  describeAppSendersContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresAppSenders(pg), rows, close() {} };
  });

  it('when two instances assign the same senders to different locations at once, then each sender goes to exactly one', async () => {
    const { pg, rows } = await engine.fresh();
    await seedLocation(rows, 'loc-a');
    await seedLocation(rows, 'loc-b');
    const first = createPostgresAppSenders(pg);
    const second = createPostgresAppSenders(engine.open());
    const senders = Array.from({ length: 30 }, (_, i) => `+1555000${String(i).padStart(4, '0')}`);
    const outcomes = await Promise.all(senders.flatMap((sender) => [first.assign(sender, 'loc-a', 'cli', 1), second.assign(sender, 'loc-b', 'cli', 1)]));
    for (let i = 0; i < senders.length; i += 1) {
      const pair = [outcomes[2 * i], outcomes[2 * i + 1]];
      expect(pair.filter((o) => o.outcome === 'assigned')).toHaveLength(1);
      expect(pair.filter((o) => o.outcome === 'taken')).toHaveLength(1);
    }
  });
});
