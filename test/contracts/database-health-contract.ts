// The database health contract, for every engine: the readiness probe's ping answers while the database does and
// fails once it cannot, and the operator's check says 'ok' on a sound database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { DatabaseHealth } from '../../src/store/database-health.js';
import type { StoreFixture } from '../helpers/store-engines.js';

export type DatabaseHealthPort = AsyncStore<DatabaseHealth>;

/** `close` must take the store's database away (idempotently): the ping is then expected to fail. */
export function describeDatabaseHealthContract(engine: string, makeStore: () => Awaitable<StoreFixture<DatabaseHealthPort>>): void {
  describe(`database health contract: ${engine}`, () => {
    let fixture: StoreFixture<DatabaseHealthPort>;
    beforeEach(async () => { fixture = await makeStore(); });
    afterEach(async () => { await fixture.close(); });

    it('when the database answers, then the ping succeeds and the check says ok', async () => {
      await expect((async () => fixture.store.ping())()).resolves.toBeUndefined();
      expect(await fixture.store.quickCheck()).toBe('ok');
    });

    it('when the database has been closed, then the ping fails', async () => {
      await fixture.close();
      await expect((async () => fixture.store.ping())()).rejects.toThrow();
    });
  });
}
