// The locations table's row and the LocationRecord it reads as, shared by the SQLite and PostgreSQL location stores.
import { LocationSettingsSchema, type LocationSettings } from '../../workflow/settings.js';
import type { InstalledLocation } from '../../workflow/ports/storage.js';

/** What the workflow sees of an installation, plus the bookkeeping only the store and the API need. */
export interface LocationRecord extends InstalledLocation {
  trial: unknown;
  installedAt: number;
  uninstalledAt: number | null;
}

export interface LocationRow {
  location_id: string; company_id: string | null; status: 'installed' | 'uninstalled'; name: string | null;
  time_zone: string | null; phone: string | null; settings: string; plan_id: string | null; trial: string | null;
  profile_synced_at: number | null; installed_at: number; uninstalled_at: number | null;
}

// Settings are read on every call and every HighLevel request; parsing the same JSON again is wasted work. The parsed
// settings are shared by every record read from the same JSON, frozen (deeply): changing a location's settings means
// writing new ones, and an attempt to change a shared copy in place throws instead of reaching the next reader.
const parsedSettings = new Map<string, LocationSettings>();
function readSettings(raw: string): LocationSettings {
  let settings = parsedSettings.get(raw);
  if (!settings) {
    // Parsing on read fills in defaults for settings added after this row was written.
    settings = deepFreeze(LocationSettingsSchema.parse(JSON.parse(raw)));
    if (parsedSettings.size >= 2_000) parsedSettings.delete(parsedSettings.keys().next().value!);
    parsedSettings.set(raw, settings);
  }
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const toLocationRecord = (row: LocationRow): LocationRecord => ({
  locationId: row.location_id,
  companyId: row.company_id,
  status: row.status,
  name: row.name,
  timeZone: row.time_zone,
  phone: row.phone,
  settings: readSettings(row.settings),
  planId: row.plan_id,
  trial: row.trial === null ? null : JSON.parse(row.trial),
  profileSyncedAt: row.profile_synced_at,
  installedAt: row.installed_at,
  uninstalledAt: row.uninstalled_at,
});
