// The shared pacing slots' contract, for every engine: all-or-nothing reservations within a budget of live slots,
// slots that stop counting at their expiry, a refusal that names when the slots will fit, and a 429's hold.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Awaitable } from '../../src/store/async-store.js';
import type { PacingSlots } from '../../src/store/pacing-slots.js';

const WINDOW = 10_000;

export function describePacingSlotsContract(engine: string, makeSlots: () => Awaitable<PacingSlots>): void {
  describe(`pacing slots contract: ${engine}`, () => {
    let slots: PacingSlots;
    beforeEach(async () => { slots = await makeSlots(); });
    const reserve = (owner: string, count: number, now: number, max = 5, expiresAt = now + WINDOW) =>
      Promise.resolve(slots.reserve(owner, { count, now, expiresAt, max }));

    it('when reservations fit the budget, then each is granted; the one that would pass it is refused with the time it fits', async () => {
      expect(await reserve('loc', 2, 0)).toEqual({ granted: true });
      expect(await reserve('loc', 2, 100)).toEqual({ granted: true });
      expect(await reserve('loc', 2, 200)).toEqual({ granted: false, retryAt: WINDOW });
      expect(await reserve('loc', 1, 200)).toEqual({ granted: true });
      expect(await reserve('loc', 1, 300)).toEqual({ granted: false, retryAt: WINDOW });
    });

    it('when a reservation is refused, then it took nothing: a smaller one still fits', async () => {
      expect(await reserve('loc', 4, 0)).toEqual({ granted: true });
      expect(await reserve('loc', 3, 1)).toEqual({ granted: false, retryAt: WINDOW });
      expect(await reserve('loc', 1, 2)).toEqual({ granted: true });
    });

    it('when slots reach their expiry, then they stop counting and the window has room again', async () => {
      expect(await reserve('loc', 5, 0)).toEqual({ granted: true });
      expect(await reserve('loc', 5, WINDOW - 1)).toEqual({ granted: false, retryAt: WINDOW });
      expect(await reserve('loc', 5, WINDOW)).toEqual({ granted: true });
    });

    it('when slots expire at different times, then a refusal names the expiry that makes room for all it asked', async () => {
      await reserve('loc', 1, 0, 5, 1_000);
      await reserve('loc', 1, 0, 5, 3_000);
      await reserve('loc', 3, 0, 5, 2_000);
      expect(await reserve('loc', 2, 10)).toEqual({ granted: false, retryAt: 2_000 });
      expect(await reserve('loc', 1, 10)).toEqual({ granted: false, retryAt: 1_000 });
    });

    it('when owners differ, then each has its own budget', async () => {
      expect(await reserve('loc-a', 5, 0)).toEqual({ granted: true });
      expect(await reserve('loc-b', 5, 0)).toEqual({ granted: true });
      expect(await reserve('loc-a', 1, 0)).toMatchObject({ granted: false });
    });

    it('when an owner is held after a 429, then nothing is granted before the hold ends, and a shorter hold never shortens it', async () => {
      await slots.block('loc', 5_000);
      await slots.block('loc', 2_000);
      expect(await reserve('loc', 1, 100)).toEqual({ granted: false, retryAt: 5_000 });
      expect(await reserve('loc', 1, 5_000)).toEqual({ granted: true });
      expect(await reserve('other', 1, 100)).toEqual({ granted: true });
    });
  });
}
