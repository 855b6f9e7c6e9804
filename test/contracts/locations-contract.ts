// The location store's contract, for every engine: installs and re-installs (settings kept), uninstalls, the
// HighLevel profile and own numbers, settings read with defaults filled in, and the agency look-ups.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/async-store.js';
import type { LocationStore } from '../../src/store/locations.js';
import { defaultSettings, mergeSettings } from '../../src/workflow/settings.js';
import { seedLocation, type StoreFixture } from '../helpers/store-engines.js';

export type LocationStorePort = AsyncStore<LocationStore>;

const T0 = 1_700_000_000_000;

export function describeLocationStoreContract(engine: string, makeStore: () => Promise<StoreFixture<LocationStorePort>> | StoreFixture<LocationStorePort>): void {
  describe(`location store contract: ${engine}`, () => {
    let fixture: StoreFixture<LocationStorePort>;
    let locations: LocationStorePort;
    beforeEach(async () => {
      fixture = await makeStore();
      locations = fixture.store;
    });
    afterEach(async () => { await fixture.close(); });

    const install = (locationId: string, extra: Partial<Parameters<LocationStorePort['install']>[0]> = {}, now = T0) =>
      locations.install({ locationId, companyId: 'co-1', settings: defaultSettings(), ...extra }, now);

    it('when a location is installed, then it reads back installed with its settings, plan and trial, and no profile yet', async () => {
      const settings = mergeSettings(defaultSettings(), { cooldownHours: 6, followUp: { delayMinutes: 30 } });
      await install('loc-1', { settings, planId: 'plan-a', trial: { onTrial: true, days: 14 } });
      expect(await locations.get('loc-1')).toEqual({
        locationId: 'loc-1', companyId: 'co-1', status: 'installed', name: null, timeZone: null, phone: null, settings,
        planId: 'plan-a', trial: { onTrial: true, days: 14 }, profileSyncedAt: null, installedAt: T0, uninstalledAt: null,
      });
      expect(await locations.installState('loc-1')).toEqual({ status: 'installed', companyId: 'co-1' });
      expect(await locations.get('nobody')).toBeNull();
      expect(await locations.installState('nobody')).toBeNull();
    });

    it('when a row holds settings written before newer fields existed, then they read back with the defaults filled in', async () => {
      await seedLocation(fixture.rows, 'old', { settings: JSON.stringify({ cooldownHours: 3 }) });
      const location = await locations.get('old');
      expect(location?.settings).toEqual({ ...defaultSettings(), cooldownHours: 3 });
    });

    it('when a caller tries to change the settings it was given in place, then that throws and the next read is not affected', async () => {
      await install('loc-1');
      const first = await locations.get('loc-1');
      expect(() => { first!.settings.cooldownHours = 99; }).toThrow(TypeError);
      expect(() => { first!.settings.templates.textBackInHours = 'changed'; }).toThrow(TypeError);
      expect((await locations.get('loc-1'))!.settings).toEqual(defaultSettings());
    });

    it('when a known location is installed again, then its settings and install time are kept and missing fields keep their values', async () => {
      const settings = mergeSettings(defaultSettings(), { enabled: false });
      await install('loc-1', { settings, planId: 'plan-a', trial: { days: 7 } });
      await install('loc-1', { companyId: null, settings: defaultSettings() }, T0 + 1_000);
      expect(await locations.get('loc-1')).toMatchObject({ companyId: 'co-1', settings, planId: 'plan-a', trial: { days: 7 }, installedAt: T0 });
      await install('loc-1', { companyId: 'co-2', planId: 'plan-b', trial: { days: 1 } }, T0 + 2_000);
      expect(await locations.get('loc-1')).toMatchObject({ companyId: 'co-2', planId: 'plan-b', trial: { days: 1 }, installedAt: T0 });
    });

    it('when a location is uninstalled, then only the first uninstall counts, and a re-install starts a new install time', async () => {
      await install('loc-1');
      expect(await locations.uninstall('loc-1', T0 + 10)).toBe(true);
      expect(await locations.uninstall('loc-1', T0 + 20)).toBe(false);
      expect(await locations.uninstall('nobody', T0 + 20)).toBe(false);
      expect(await locations.get('loc-1')).toMatchObject({ status: 'uninstalled', uninstalledAt: T0 + 10 });
      expect(await locations.installState('loc-1')).toEqual({ status: 'uninstalled', companyId: 'co-1' });
      await install('loc-1', {}, T0 + 30);
      expect(await locations.get('loc-1')).toMatchObject({ status: 'installed', uninstalledAt: null, installedAt: T0 + 30 });
    });

    it('when the same location is installed many times at once, then it is one installed row', async () => {
      await Promise.all(Array.from({ length: 8 }, (_, i) => install('loc-1', { planId: `plan-${i}` }, T0 + i)));
      expect(await locations.installedIds()).toEqual(['loc-1']);
      expect((await locations.get('loc-1'))?.status).toBe('installed');
    });

    it('when a profile is saved, then name, time zone, phone and sync time are stored and the own numbers are replaced', async () => {
      await install('loc-1');
      await locations.saveProfile('loc-1', { name: 'Acme', timeZone: 'America/Chicago', phone: '+15550000001', numbers: ['+15550000001', '+15550000002', '+15550000002'] }, T0 + 5);
      expect(await locations.get('loc-1')).toMatchObject({ name: 'Acme', timeZone: 'America/Chicago', phone: '+15550000001', profileSyncedAt: T0 + 5 });
      expect([...await locations.numbers('loc-1')].sort()).toEqual(['+15550000001', '+15550000002']);
      await locations.saveProfile('loc-1', { name: 'Acme 2', timeZone: null, phone: null, numbers: ['+15550000003'] }, T0 + 6);
      expect(await locations.numbers('loc-1')).toEqual(['+15550000003']);
      await locations.saveProfile('loc-1', { name: 'Acme 2', timeZone: null, phone: null, numbers: [] }, T0 + 7);
      expect(await locations.numbers('loc-1')).toEqual([]);
      expect(await locations.numbers('nobody')).toEqual([]);
    });

    it('when a location is read with its numbers, then it is what get() and numbers() answer, the numbers in order', async () => {
      await install('loc-1', { planId: 'plan-a', trial: { days: 7 } });
      await install('loc-2');
      expect(await locations.getWithNumbers('loc-2')).toEqual({ ...await locations.get('loc-2'), numbers: [] });
      await locations.saveProfile('loc-1', { name: 'Acme', timeZone: 'America/Chicago', phone: '+15550000002', numbers: ['+15550000003', '+15550000001', '+15550000002', '+15550000001'] }, T0 + 5);
      await locations.saveProfile('loc-2', { name: null, timeZone: null, phone: null, numbers: ['+15550000009'] }, T0 + 5);
      const read = await locations.getWithNumbers('loc-1');
      expect(read).toEqual({ ...await locations.get('loc-1'), numbers: ['+15550000001', '+15550000002', '+15550000003'] });
      expect(read?.numbers).toEqual(await locations.numbers('loc-1'));
      await locations.uninstall('loc-1', T0 + 6);
      expect(await locations.getWithNumbers('loc-1')).toMatchObject({ status: 'uninstalled', numbers: ['+15550000001', '+15550000002', '+15550000003'] });
      expect(await locations.getWithNumbers('nobody')).toBeNull();
    });

    it('when two profiles of one location are saved at once, then its numbers are one of the two lists, never a mix', async () => {
      await install('loc-1');
      const lists = [['+15550000001', '+15550000002'], ['+15550000003', '+15550000004']];
      for (let round = 0; round < 10; round += 1) {
        await Promise.all(lists.map((numbers, i) => locations.saveProfile('loc-1', { name: `n${i}`, timeZone: null, phone: null, numbers }, T0 + round)));
        expect(lists).toContainEqual([...await locations.numbers('loc-1')].sort());
      }
    });

    it('when a number belongs to an installed location, then that location owns it; an uninstalled one owns nothing', async () => {
      await install('loc-1');
      await install('loc-2');
      await locations.saveProfile('loc-1', { name: null, timeZone: null, phone: null, numbers: ['+15550000001'] }, T0);
      await locations.saveProfile('loc-2', { name: null, timeZone: null, phone: null, numbers: ['+15550000002'] }, T0);
      expect(await locations.ownerOfNumber('+15550000001')).toBe('loc-1');
      expect(await locations.ownerOfNumber('+15559999999')).toBeNull();
      await locations.uninstall('loc-2', T0 + 1);
      expect(await locations.ownerOfNumber('+15550000002')).toBeNull();
    });

    it('when settings and plan are saved, then they read back', async () => {
      await install('loc-1');
      const settings = mergeSettings(defaultSettings(), { replyTag: 'x', provider: 'twilio' });
      await locations.saveSettings('loc-1', settings, T0 + 1);
      await locations.savePlan('loc-1', 'plan-z', T0 + 2);
      expect(await locations.get('loc-1')).toMatchObject({ settings, planId: 'plan-z' });
      await locations.savePlan('loc-1', null, T0 + 3);
      expect((await locations.get('loc-1'))?.planId).toBeNull();
    });

    it('when locations of several agencies are installed and some uninstalled, then the id look-ups list only installed ones', async () => {
      await install('loc-a1', { companyId: 'co-a' });
      await install('loc-a2', { companyId: 'co-a' });
      await install('loc-b1', { companyId: 'co-b' });
      await install('loc-none', { companyId: null });
      await locations.uninstall('loc-a2', T0 + 1);
      expect([...await locations.installedIds()].sort()).toEqual(['loc-a1', 'loc-b1', 'loc-none']);
      expect(await locations.installedIdsOfCompany('co-a')).toEqual(['loc-a1']);
      expect(await locations.installedIdsOfCompany('co-none')).toEqual([]);
    });

    it('when an agency lists its locations, then uninstalled ones are included, unnamed ones first, then by name (byte order) and id', async () => {
      for (const [id, name] of [['loc-3', 'Beta'], ['loc-2', 'alpha'], ['loc-1', null], ['loc-4', 'Beta']] as const) {
        await install(id, { companyId: 'co-a' });
        if (name) await locations.saveProfile(id, { name, timeZone: null, phone: null, numbers: [] }, T0);
      }
      await install('loc-other', { companyId: 'co-b' });
      await locations.uninstall('loc-4', T0 + 1);
      const listed = await locations.listByCompany('co-a');
      expect(listed.map((location) => location.locationId)).toEqual(['loc-1', 'loc-3', 'loc-4', 'loc-2']);
      expect(listed[2]).toMatchObject({ status: 'uninstalled', settings: defaultSettings() });
    });

    it('when an agency saves defaults, then they read back, survive its uninstall and re-install, and are null before', async () => {
      await locations.installCompany('co-1', 'Agency', T0);
      expect(await locations.agencyDefaults('co-1')).toBeNull();
      await locations.saveAgencyDefaults('co-1', { cooldownHours: 2, followUp: { enabled: false } });
      expect(await locations.agencyDefaults('co-1')).toEqual({ cooldownHours: 2, followUp: { enabled: false } });
      await locations.uninstallCompany('co-1', T0 + 1);
      await locations.installCompany('co-1', null, T0 + 2);
      expect(await locations.agencyDefaults('co-1')).toEqual({ cooldownHours: 2, followUp: { enabled: false } });
      expect(await locations.agencyDefaults('nobody')).toBeNull();
      const [company] = await fixture.rows.all<{ name: string; uninstalled_at: number | null }>(
        'SELECT name, uninstalled_at FROM companies WHERE company_id = ?', ['co-1']);
      expect(company).toEqual({ name: 'Agency', uninstalled_at: null });
    });
  });
}
