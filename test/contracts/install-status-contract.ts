// The install status contract, for every engine: a location's connection to HighLevel (its own token, else its
// agency's), whether an agency has the app installed, and the companies row agency defaults live on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore, Awaitable } from '../../src/store/async-store.js';
import type { InstallStatus } from '../../src/store/install-status.js';
import type { StoreFixture } from '../helpers/store-engines.js';
import { T0, seedToken } from './seed-rows.js';

export type InstallStatusPort = AsyncStore<InstallStatus>;

export function describeInstallStatusContract(engine: string, makeStore: () => Awaitable<StoreFixture<InstallStatusPort>>): void {
  describe(`install status contract: ${engine}`, () => {
    let fixture: StoreFixture<InstallStatusPort>;
    let status: InstallStatusPort;
    beforeEach(async () => {
      fixture = await makeStore();
      status = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    it('when the location has its own usable token, then it is connected, whatever its agency\'s token says', async () => {
      await seedToken(fixture.rows, 'loc-1');
      await seedToken(fixture.rows, 'company-1', { ownerType: 'Company', needsReconnect: true, reason: 'agency revoked' });
      expect(await status.connection('loc-1', 'company-1')).toEqual({ needsReconnect: false, reconnectReason: null });
    });

    it('when the location\'s own token is marked for reconnection, then that and its reason are answered', async () => {
      await seedToken(fixture.rows, 'loc-1', { needsReconnect: true, reason: 'refresh token revoked' });
      expect(await status.connection('loc-1', null)).toEqual({ needsReconnect: true, reconnectReason: 'refresh token revoked' });
    });

    it('when the location has no token of its own, then its agency\'s Company token decides', async () => {
      await seedToken(fixture.rows, 'company-1', { ownerType: 'Company' });
      await seedToken(fixture.rows, 'company-2', { ownerType: 'Company', needsReconnect: true, reason: 'agency revoked' });
      expect(await status.connection('loc-1', 'company-1')).toEqual({ needsReconnect: false, reconnectReason: null });
      expect(await status.connection('loc-1', 'company-2')).toEqual({ needsReconnect: true, reconnectReason: 'agency revoked' });
    });

    it('when neither the location nor its agency has a token, then it needs connecting, with the reason why', async () => {
      const expected = { needsReconnect: true, reconnectReason: 'No HighLevel authorisation is stored for this location.' };
      expect(await status.connection('loc-1', 'company-1')).toEqual(expected);
      expect(await status.connection('loc-1', null)).toEqual(expected);
    });

    it('when an agency has a Company token and no uninstall since, then it is installed; an uninstall, a Location token or none is not', async () => {
      await seedToken(fixture.rows, 'company-1', { ownerType: 'Company' });
      await seedToken(fixture.rows, 'company-2', { ownerType: 'Company' });
      await fixture.rows.insert('companies', { company_id: 'company-2', installed_at: T0 - 10, uninstalled_at: T0 });
      await fixture.rows.insert('companies', { company_id: 'company-1', installed_at: T0 - 10, uninstalled_at: null });
      await seedToken(fixture.rows, 'company-3');
      expect(await status.companyInstalled('company-1')).toBe(true);
      expect(await status.companyInstalled('company-2')).toBe(false);
      expect(await status.companyInstalled('company-3')).toBe(false);
      expect(await status.companyInstalled('company-4')).toBe(false);
    });

    it('when the companies row is ensured, then it is created once and an existing row is left as it was', async () => {
      await status.ensureCompany('company-1', T0);
      await status.ensureCompany('company-1', T0 + 5);
      await fixture.rows.insert('companies', { company_id: 'company-2', name: 'Agency Two', installed_at: T0 - 10, uninstalled_at: T0 - 5 });
      await status.ensureCompany('company-2', T0 + 5);
      expect(await fixture.rows.all('SELECT company_id, name, installed_at, uninstalled_at FROM companies ORDER BY company_id')).toEqual([
        { company_id: 'company-1', name: null, installed_at: T0, uninstalled_at: null },
        { company_id: 'company-2', name: 'Agency Two', installed_at: T0 - 10, uninstalled_at: T0 - 5 },
      ]);
    });
  });
}
