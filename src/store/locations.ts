// Installed locations (sub-accounts) and agencies: install state, HighLevel profile, own numbers, settings.
import type { Db } from './db.js';
import type { LocationSettings } from '../workflow/settings.js';
import { toLocationRecord, type LocationRecord, type LocationRow } from './rows/locations.js';
import { createRowsCache } from './rows-cache.js';

export type { LocationRecord };

export type LocationStore = ReturnType<typeof createLocationStore>;

export function createLocationStore(db: Db) {
  const select = db.prepare('SELECT * FROM locations WHERE location_id = ?');
  const selectState = db.prepare('SELECT status, company_id AS companyId FROM locations WHERE location_id = ?');
  const install = db.prepare(`
    INSERT INTO locations (location_id, company_id, status, settings, plan_id, trial, installed_at, updated_at)
    VALUES (@locationId, @companyId, 'installed', @settings, @planId, @trial, @now, @now)
    ON CONFLICT (location_id) DO UPDATE SET status = 'installed', uninstalled_at = NULL,
      company_id = COALESCE(excluded.company_id, company_id), plan_id = COALESCE(excluded.plan_id, plan_id),
      trial = COALESCE(excluded.trial, trial),
      installed_at = CASE WHEN status = 'uninstalled' THEN excluded.installed_at ELSE installed_at END,
      updated_at = excluded.updated_at`);
  const uninstall = db.prepare(`UPDATE locations SET status = 'uninstalled', uninstalled_at = @now, updated_at = @now WHERE location_id = @locationId AND status = 'installed'`);
  const profile = db.prepare(`UPDATE locations SET name = @name, time_zone = @timeZone, phone = @phone, profile_synced_at = @now, updated_at = @now WHERE location_id = @locationId`);
  const settings = db.prepare(`UPDATE locations SET settings = @settings, updated_at = @now WHERE location_id = @locationId`);
  const plan = db.prepare(`UPDATE locations SET plan_id = @planId, updated_at = @now WHERE location_id = @locationId`);
  const clearNumbers = db.prepare('DELETE FROM location_numbers WHERE location_id = ?');
  const addNumber = db.prepare('INSERT OR IGNORE INTO location_numbers (location_id, phone) VALUES (?, ?)');
  const numbersOf = db.prepare('SELECT phone FROM location_numbers WHERE location_id = ?').pluck();
  const numbersInOrder = db.prepare('SELECT phone FROM location_numbers WHERE location_id = ? ORDER BY phone').pluck();
  const ownerOfNumber = db.prepare(`
    SELECT n.location_id FROM location_numbers n JOIN locations l USING (location_id)
    WHERE n.phone = ? AND l.status = 'installed' LIMIT 1`).pluck();
  const installed = db.prepare(`SELECT location_id FROM locations WHERE status = 'installed'`).pluck();
  const installedOfCompany = db.prepare(`SELECT location_id FROM locations WHERE status = 'installed' AND company_id = ?`).pluck();
  const byCompany = db.prepare('SELECT * FROM locations WHERE company_id = ? ORDER BY name, location_id');
  const upsertCompany = db.prepare(`
    INSERT INTO companies (company_id, name, installed_at) VALUES (@companyId, @name, @now)
    ON CONFLICT (company_id) DO UPDATE SET uninstalled_at = NULL, name = COALESCE(excluded.name, name)`);
  const companyDefaults = db.prepare('SELECT agency_defaults FROM companies WHERE company_id = ?').pluck();
  const setCompanyDefaults = db.prepare('UPDATE companies SET agency_defaults = ? WHERE company_id = ?');
  const uninstallCompany = db.prepare('UPDATE companies SET uninstalled_at = ? WHERE company_id = ?');

  // The rows as stored: records are built afresh from them on every read (their settings, parsed once per JSON, are
  // shared and frozen: rows/locations.ts).
  const cached = createRowsCache<{ row: LocationRow; numbers: string[] } | null>(db, ['locations', 'location_numbers']);
  const loadRows = (locationId: string) => {
    const row = select.get(locationId) as LocationRow | undefined;
    return row ? { row, numbers: numbersInOrder.all(locationId) as string[] } : null;
  };

  return {
    get(locationId: string): LocationRecord | null {
      const row = select.get(locationId) as LocationRow | undefined;
      return row ? toLocationRecord(row) : null;
    },
    /**
     * The location with its own numbers (in byte order), as get() and numbers() would answer: what every decision
     * about a location loads (src/workflow/location-context.ts). PostgreSQL answers it in one statement.
     */
    getWithNumbers(locationId: string): (LocationRecord & { numbers: string[] }) | null {
      const rows = cached.get(locationId, loadRows);
      return rows ? { ...toLocationRecord(rows.row), numbers: [...rows.numbers] } : null;
    },
    /** Install state only (no settings parsed): what each HighLevel request checks before using a token. */
    installState(locationId: string): Pick<LocationRecord, 'status' | 'companyId'> | null {
      return (selectState.get(locationId) as Pick<LocationRecord, 'status' | 'companyId'> | undefined) ?? null;
    },
    /** Creates the location with the given settings, or marks a known one installed again (its settings are kept). */
    install(input: { locationId: string; companyId: string | null; settings: LocationSettings; planId?: string | null; trial?: unknown }, now: number): void {
      install.run({
        locationId: input.locationId, companyId: input.companyId, settings: JSON.stringify(input.settings),
        planId: input.planId ?? null, trial: input.trial === undefined || input.trial === null ? null : JSON.stringify(input.trial), now,
      });
    },
    uninstall(locationId: string, now: number): boolean {
      return uninstall.run({ locationId, now }).changes === 1;
    },
    saveProfile(locationId: string, input: { name: string | null; timeZone: string | null; phone: string | null; numbers: string[] }, now: number): void {
      db.transaction(() => {
        profile.run({ locationId, name: input.name, timeZone: input.timeZone, phone: input.phone, now });
        clearNumbers.run(locationId);
        for (const number of input.numbers) addNumber.run(locationId, number);
      })();
    },
    saveSettings(locationId: string, value: LocationSettings, now: number): void {
      settings.run({ locationId, settings: JSON.stringify(value), now });
    },
    savePlan(locationId: string, planId: string | null, now: number): void {
      plan.run({ locationId, planId, now });
    },
    numbers(locationId: string): string[] {
      return numbersOf.all(locationId) as string[];
    },
    /** The installed location that owns this number, if any: texting it would start a loop between locations. */
    ownerOfNumber(phone: string): string | null {
      return (ownerOfNumber.get(phone) as string | undefined) ?? null;
    },
    installedIdsOfCompany(companyId: string): string[] {
      return installedOfCompany.all(companyId) as string[];
    },
    installedIds(): string[] {
      return installed.all() as string[];
    },
    listByCompany(companyId: string): LocationRecord[] {
      return (byCompany.all(companyId) as LocationRow[]).map(toLocationRecord);
    },
    installCompany(companyId: string, name: string | null, now: number): void {
      upsertCompany.run({ companyId, name, now });
    },
    uninstallCompany(companyId: string, now: number): void {
      uninstallCompany.run(now, companyId);
    },
    agencyDefaults(companyId: string): unknown {
      const raw = companyDefaults.get(companyId) as string | null | undefined;
      return raw ? JSON.parse(raw) : null;
    },
    saveAgencyDefaults(companyId: string, patch: unknown): void {
      setCompanyDefaults.run(JSON.stringify(patch), companyId);
    },
  };
}
