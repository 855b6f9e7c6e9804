// The foreign-install check's contract, for every engine: sandbox mode's public secret opens sessions only on a
// database whose every location, agency and token is one of the sandbox's own.
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { ForeignInstallCheck } from '../../src/store/foreign-installs.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, seedLocation, seedToken } from './seed-rows.js';

export type ForeignInstallCheckPort = AsyncStore<ForeignInstallCheck>;

const OWN = ['sandbox-location', 'sandbox-agency'];

export function describeForeignInstallCheckContract(engine: string, makeStore: (ownIds: readonly string[]) => Awaitable<StoreFixture<ForeignInstallCheckPort>>): void {
  describe(`foreign install check contract: ${engine}`, () => {
    let fixture: StoreFixture<ForeignInstallCheckPort> | undefined;
    afterEach(async () => { await fixture?.close(); });
    const open = async (ownIds: readonly string[] = OWN) => (fixture = await makeStore(ownIds));

    it('when the database is empty, or holds only the sandbox\'s own installs, then nothing is foreign', async () => {
      const { store, rows } = await open();
      expect(await store.hasForeignInstalls()).toBe(false);
      await seedLocation(rows, 'sandbox-location', { companyId: 'sandbox-agency' });
      await rows.insert('companies', { company_id: 'sandbox-agency', installed_at: T0 });
      await seedToken(rows, 'sandbox-location');
      await seedToken(rows, 'sandbox-agency', { ownerType: 'Company' });
      expect(await store.hasForeignInstalls()).toBe(false);
    });

    it('when another location is installed, then the database holds foreign installs', async () => {
      const { store, rows } = await open();
      await seedLocation(rows, 'real-location');
      expect(await store.hasForeignInstalls()).toBe(true);
    });

    it('when another agency is recorded, then the database holds foreign installs', async () => {
      const { store, rows } = await open();
      await rows.insert('companies', { company_id: 'real-agency', installed_at: T0 });
      expect(await store.hasForeignInstalls()).toBe(true);
    });

    it('when only a token of someone else is stored, then the database holds foreign installs', async () => {
      const { store, rows } = await open();
      await seedToken(rows, 'real-agency', { ownerType: 'Company' });
      expect(await store.hasForeignInstalls()).toBe(true);
    });

    it('when no own ids are given, then any install at all is foreign', async () => {
      const { store, rows } = await open([]);
      expect(await store.hasForeignInstalls()).toBe(false);
      await seedLocation(rows, 'sandbox-location');
      expect(await store.hasForeignInstalls()).toBe(true);
    });
  });
}
