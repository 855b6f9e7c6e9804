// The agency look-ups' contract, for every engine: "no agency lists this location" remembered until it should be
// asked again, locations stranded without any way to get a token, and the agency once found, never replaced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { AgencyLookups } from '../../src/store/agency-lookups.js';
import { seedLocation, type StoreFixture } from '../helpers/store-engines.js';

export type AgencyLookupsPort = AsyncStore<AgencyLookups>;

const T0 = 1_700_000_000_000;

export function describeAgencyLookupsContract(engine: string, makeStore: () => Promise<StoreFixture<AgencyLookupsPort>> | StoreFixture<AgencyLookupsPort>): void {
  describe(`agency look-ups contract: ${engine}`, () => {
    let fixture: StoreFixture<AgencyLookupsPort>;
    let lookups: AgencyLookupsPort;
    beforeEach(async () => { fixture = await makeStore(); lookups = fixture.store; });
    afterEach(async () => { await fixture.close(); });

    it('when a location is remembered as unclaimed, then it is until its retry time, not after', async () => {
      expect(await lookups.isUnclaimed('loc-a', T0)).toBe(false);
      await lookups.rememberUnclaimed('loc-a', T0, T0 + 100);
      expect(await lookups.isUnclaimed('loc-a', T0 + 99)).toBe(true);
      expect(await lookups.isUnclaimed('loc-a', T0 + 100)).toBe(false);
    });

    it('when remembered again, then the newer retry time holds, and expired entries of other locations are pruned', async () => {
      await lookups.rememberUnclaimed('loc-a', T0, T0 + 100);
      await lookups.rememberUnclaimed('loc-b', T0, T0 + 10);
      await lookups.rememberUnclaimed('loc-a', T0 + 50, T0 + 500);
      expect(await lookups.isUnclaimed('loc-a', T0 + 400)).toBe(true);
      expect(await fixture.rows.all('SELECT location_id, checked_at FROM unclaimed_locations ORDER BY location_id'))
        .toEqual([{ location_id: 'loc-a', checked_at: T0 + 50 }]);
    });

    it('when a location, or all of them, are forgotten, then none is unclaimed any more', async () => {
      await lookups.rememberUnclaimed('loc-a', T0, T0 + 100);
      await lookups.rememberUnclaimed('loc-b', T0, T0 + 100);
      await lookups.rememberUnclaimed('loc-c', T0, T0 + 100);
      await lookups.forget('loc-a');
      expect(await lookups.isUnclaimed('loc-a', T0)).toBe(false);
      expect(await lookups.isUnclaimed('loc-b', T0)).toBe(true);
      await lookups.forgetAll();
      expect(await lookups.isUnclaimed('loc-b', T0)).toBe(false);
      expect(await lookups.isUnclaimed('loc-c', T0)).toBe(false);
    });

    it('when installed locations have neither an agency nor a token, then they are stranded, oldest install first', async () => {
      await seedLocation(fixture.rows, 'stranded-2', { installed_at: T0 + 2 });
      await seedLocation(fixture.rows, 'stranded-1', { installed_at: T0 + 1 });
      await seedLocation(fixture.rows, 'has-agency', { company_id: 'company-1' });
      await seedLocation(fixture.rows, 'has-token');
      await seedLocation(fixture.rows, 'gone', { status: 'uninstalled' });
      await fixture.rows.insert('tokens', {
        owner_id: 'has-token', owner_type: 'Location', access_token: 'sealed', expires_at: T0, needs_reconnect: 0, updated_at: T0,
      });
      expect(await lookups.strandedLocationIds()).toEqual(['stranded-1', 'stranded-2']);
    });

    it('when the agency is found, then it is recorded, and a known agency is never replaced', async () => {
      await seedLocation(fixture.rows, 'loc-a');
      await lookups.assignCompany('loc-a', 'company-1', T0 + 1);
      await lookups.assignCompany('loc-a', 'company-2', T0 + 2);
      expect(await fixture.rows.all('SELECT company_id, updated_at FROM locations WHERE location_id = ?', ['loc-a']))
        .toEqual([{ company_id: 'company-1', updated_at: T0 + 1 }]);
      expect(await lookups.strandedLocationIds()).toEqual([]);
    });
  });
}
