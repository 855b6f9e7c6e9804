// Installed locations (sub-accounts) and agencies on PostgreSQL: the same contract as src/store/locations.ts.
import type { AsyncStore } from '../async-store.js';
import type { LocationStore } from '../locations.js';
import { toLocationRecord, type LocationRecord, type LocationRow } from '../rows/locations.js';
import { transaction, type Postgres } from './pool.js';

const COLUMNS = 'location_id, company_id, status, name, time_zone, phone, settings, plan_id, trial, profile_synced_at, installed_at, uninstalled_at';

export function createPostgresLocationStore(pg: Pick<Postgres, 'pool'>): AsyncStore<LocationStore> {
  const db = pg.pool;
  const ids = async (text: string, values: unknown[] = []) =>
    (await db.query<{ location_id: string }>(text, values)).rows.map((row) => row.location_id);

  const store: AsyncStore<LocationStore> = {
    async get(locationId) {
      const { rows } = await db.query<LocationRow>(`SELECT ${COLUMNS} FROM locations WHERE location_id = $1`, [locationId]);
      return rows[0] ? toLocationRecord(rows[0]) : null;
    },
    // One statement: the numbers ride along as an array, in numbers()'s order.
    async getWithNumbers(locationId) {
      const { rows } = await db.query<LocationRow & { numbers: string[] }>(`
        SELECT ${COLUMNS}, ARRAY(SELECT n.phone FROM location_numbers n WHERE n.location_id = l.location_id ORDER BY n.phone) AS numbers
        FROM locations l WHERE l.location_id = $1`, [locationId]);
      return rows[0] ? { ...toLocationRecord(rows[0]), numbers: rows[0].numbers } : null;
    },
    async installState(locationId) {
      const { rows } = await db.query<Pick<LocationRecord, 'status' | 'companyId'>>(
        'SELECT status, company_id AS "companyId" FROM locations WHERE location_id = $1', [locationId]);
      return rows[0] ?? null;
    },
    // One statement: two INSTALLs of the same location at once both end in one installed row.
    async install(input, now) {
      const trial = input.trial === undefined || input.trial === null ? null : JSON.stringify(input.trial);
      await db.query(`
        INSERT INTO locations AS l (location_id, company_id, status, settings, plan_id, trial, installed_at, updated_at)
        VALUES ($1, $2, 'installed', $3, $4, $5, $6, $6)
        ON CONFLICT (location_id) DO UPDATE SET status = 'installed', uninstalled_at = NULL,
          company_id = COALESCE(EXCLUDED.company_id, l.company_id), plan_id = COALESCE(EXCLUDED.plan_id, l.plan_id),
          trial = COALESCE(EXCLUDED.trial, l.trial),
          installed_at = CASE WHEN l.status = 'uninstalled' THEN EXCLUDED.installed_at ELSE l.installed_at END,
          updated_at = EXCLUDED.updated_at`,
      [input.locationId, input.companyId, JSON.stringify(input.settings), input.planId ?? null, trial, now]);
    },
    async uninstall(locationId, now) {
      const result = await db.query(`
        UPDATE locations SET status = 'uninstalled', uninstalled_at = $2, updated_at = $2
        WHERE location_id = $1 AND status = 'installed'`, [locationId, now]);
      return result.rowCount === 1;
    },
    // The UPDATE locks the location's row first: two profile saves of one location run one after the other, so the
    // numbers are one save's list, never a mix.
    async saveProfile(locationId, input, now) {
      await transaction(db, async (client) => {
        await client.query(`
          UPDATE locations SET name = $2, time_zone = $3, phone = $4, profile_synced_at = $5, updated_at = $5
          WHERE location_id = $1`, [locationId, input.name, input.timeZone, input.phone, now]);
        await client.query('DELETE FROM location_numbers WHERE location_id = $1', [locationId]);
        if (input.numbers.length > 0) {
          await client.query(`
            INSERT INTO location_numbers (location_id, phone) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
          [locationId, input.numbers]);
        }
      });
    },
    async saveSettings(locationId, value, now) {
      await db.query('UPDATE locations SET settings = $2, updated_at = $3 WHERE location_id = $1', [locationId, JSON.stringify(value), now]);
    },
    async savePlan(locationId, planId, now) {
      await db.query('UPDATE locations SET plan_id = $2, updated_at = $3 WHERE location_id = $1', [locationId, planId, now]);
    },
    async numbers(locationId) {
      const { rows } = await db.query<{ phone: string }>('SELECT phone FROM location_numbers WHERE location_id = $1 ORDER BY phone', [locationId]);
      return rows.map((row) => row.phone);
    },
    async ownerOfNumber(phone) {
      const found = await ids(`
        SELECT n.location_id FROM location_numbers n JOIN locations l USING (location_id)
        WHERE n.phone = $1 AND l.status = 'installed' LIMIT 1`, [phone]);
      return found[0] ?? null;
    },
    installedIdsOfCompany: (companyId) =>
      ids(`SELECT location_id FROM locations WHERE status = 'installed' AND company_id = $1 ORDER BY location_id`, [companyId]),
    installedIds: () => ids(`SELECT location_id FROM locations WHERE status = 'installed' ORDER BY location_id`),
    // SQLite's order: NULL names first, then by bytes (COLLATE "C"), whatever the database's own collation.
    async listByCompany(companyId) {
      const { rows } = await db.query<LocationRow>(`
        SELECT ${COLUMNS} FROM locations WHERE company_id = $1
        ORDER BY name COLLATE "C" NULLS FIRST, location_id COLLATE "C"`, [companyId]);
      return rows.map(toLocationRecord);
    },
    async installCompany(companyId, name, now) {
      await db.query(`
        INSERT INTO companies AS c (company_id, name, installed_at) VALUES ($1, $2, $3)
        ON CONFLICT (company_id) DO UPDATE SET uninstalled_at = NULL, name = COALESCE(EXCLUDED.name, c.name)`,
      [companyId, name, now]);
    },
    async uninstallCompany(companyId, now) {
      await db.query('UPDATE companies SET uninstalled_at = $2 WHERE company_id = $1', [companyId, now]);
    },
    async agencyDefaults(companyId) {
      const { rows } = await db.query<{ agency_defaults: string | null }>('SELECT agency_defaults FROM companies WHERE company_id = $1', [companyId]);
      const raw = rows[0]?.agency_defaults;
      return raw ? JSON.parse(raw) : null;
    },
    async saveAgencyDefaults(companyId, patch) {
      await db.query('UPDATE companies SET agency_defaults = $2 WHERE company_id = $1', [companyId, JSON.stringify(patch)]);
    },
  };
  return store;
}
