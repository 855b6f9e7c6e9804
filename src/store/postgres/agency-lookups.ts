// What finding a sub-account's agency install remembers, on PostgreSQL (see src/store/agency-lookups.ts): locations no
// agency listed and until when, installed locations still lacking their agency, the agency once found.
import type { AsyncStore } from '../async-store.js';
import type { AgencyLookups } from '../agency-lookups.js';
import { transaction, type Postgres } from './pool.js';

export type PostgresAgencyLookups = AsyncStore<AgencyLookups>;

export function createPostgresAgencyLookups(pg: Pick<Postgres, 'pool'>): PostgresAgencyLookups {
  const db = pg.pool;
  return {
    async isUnclaimed(locationId, now) {
      const { rows } = await db.query<{ retry_after: number }>('SELECT retry_after FROM unclaimed_locations WHERE location_id = $1', [locationId]);
      return rows[0] !== undefined && rows[0].retry_after > now;
    },
    async rememberUnclaimed(locationId, now, retryAfter) {
      // Two statements in one transaction, as on SQLite; no lock needed: the upsert is atomic on its own, and a prune
      // racing another instance's only deletes rows that expired for both.
      await transaction(db, async (client) => {
        await client.query('DELETE FROM unclaimed_locations WHERE retry_after <= $1', [now]);
        await client.query(`
          INSERT INTO unclaimed_locations (location_id, checked_at, retry_after) VALUES ($1, $2, $3)
          ON CONFLICT (location_id) DO UPDATE SET checked_at = EXCLUDED.checked_at, retry_after = EXCLUDED.retry_after`,
        [locationId, now, retryAfter]);
      });
    },
    async forget(locationId) {
      await db.query('DELETE FROM unclaimed_locations WHERE location_id = $1', [locationId]);
    },
    async forgetAll() {
      await db.query('DELETE FROM unclaimed_locations');
    },
    async strandedLocationIds() {
      // Installed, no agency recorded and no token at all: nothing can mint or refresh a token for it.
      const { rows } = await db.query<{ location_id: string }>(`
        SELECT l.location_id FROM locations l LEFT JOIN tokens t ON t.owner_id = l.location_id
        WHERE l.status = 'installed' AND l.company_id IS NULL AND t.owner_id IS NULL ORDER BY l.installed_at`);
      return rows.map((row) => row.location_id);
    },
    async assignCompany(locationId, companyId, now) {
      // A single conditional UPDATE: of two instances finding an agency at once, the first commit wins and the second,
      // re-checking `company_id IS NULL` on the committed row, changes nothing.
      await db.query('UPDATE locations SET company_id = $2, updated_at = $3 WHERE location_id = $1 AND company_id IS NULL', [locationId, companyId, now]);
    },
  };
}
