// The pacing slots contract (test/contracts/pacing-slots-contract.ts) on PostgreSQL, and three instances (pools)
// reserving for one location at the same moments: no 10 s window ever holds more than the budget.
import { describe, expect, it } from 'vitest';
import { createPostgresPacingSlots } from '../../../src/store/postgres/pacing-slots.js';
import { describePacingSlotsContract } from '../../contracts/pacing-slots-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

const MAX = 90;
const WINDOW = 10_000;

describe.runIf(hasPostgres)('PostgreSQL pacing slots', () => {
  const engine = usePostgresEngine();
  describePacingSlotsContract('PostgreSQL', async () => createPostgresPacingSlots((await engine.fresh()).pg));

  it('when three instances reserve for one location at once, then no 10 s window holds more than the budget', async () => {
    await engine.fresh();
    const instances = [engine.pg(), engine.open(), engine.open()].map((pool) => createPostgresPacingSlots(pool));
    const granted: { at: number; count: number }[] = [];
    let refused = 0;
    // Every 250 ms of a 30 s burst, each instance asks for four reservations of 1–3 slots, all at the same moment.
    for (let now = 0; now < 30_000; now += 250) {
      const asks = instances.flatMap((slots, i) => Array.from({ length: 4 }, (_, k) => {
        const count = 1 + ((now / 250 + i + k) % 3);
        return Promise.resolve(slots.reserve('loc-burst', { count, now, expiresAt: now + WINDOW, max: MAX })).then((reservation) => {
          if (reservation.granted) granted.push({ at: now, count });
          else {
            refused += 1;
            expect(reservation.retryAt).toBeGreaterThan(now);
          }
        });
      }));
      await Promise.all(asks);
    }
    let busiest = 0;
    for (const { at } of granted) {
      const inWindow = granted.filter((g) => g.at > at - WINDOW && g.at <= at).reduce((sum, g) => sum + g.count, 0);
      busiest = Math.max(busiest, inWindow);
    }
    expect(busiest).toBeLessThanOrEqual(MAX);
    // The budget was reached (the burst was big enough to test it), and refused reservations took nothing.
    expect(busiest).toBeGreaterThanOrEqual(MAX - 2);
    expect(refused).toBeGreaterThan(0);
    const total = granted.reduce((sum, g) => sum + g.count, 0);
    expect(total).toBeLessThanOrEqual(MAX * 3);
  });

  it('when a 429 hold and reservations race from three instances, then the hold is kept at its latest end', async () => {
    await engine.fresh();
    const instances = [engine.pg(), engine.open(), engine.open()].map((pool) => createPostgresPacingSlots(pool));
    await Promise.all([
      instances[0].block('loc', 7_000),
      instances[1].reserve('loc', { count: 1, now: 0, expiresAt: WINDOW, max: MAX }),
      instances[2].block('loc', 4_000),
    ]);
    expect(await instances[1].reserve('loc', { count: 1, now: 100, expiresAt: 100 + WINDOW, max: MAX })).toEqual({ granted: false, retryAt: 7_000 });
  });
});
