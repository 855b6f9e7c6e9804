// What finding a sub-account's agency install needs to remember in the database (so every instance agrees): which
// locations no agency listed, until when; which installed locations still lack their agency; the agency once found.
import type { Db } from './db.js';
import { createRowsCache } from './rows-cache.js';

export type AgencyLookups = ReturnType<typeof createAgencyLookups>;

export function createAgencyLookups(db: Db) {
  const unclaimedUntil = db.prepare('SELECT retry_after FROM unclaimed_locations WHERE location_id = ?').pluck();
  // Asked for every event of a location the app does not know: answered from memory until the table changes.
  const unclaimed = createRowsCache<number | null>(db, ['unclaimed_locations']);
  const loadUnclaimed = (locationId: string) => (unclaimedUntil.get(locationId) as number | undefined) ?? null;
  const remember = db.prepare(`
    INSERT INTO unclaimed_locations (location_id, checked_at, retry_after) VALUES (@locationId, @now, @retryAfter)
    ON CONFLICT (location_id) DO UPDATE SET checked_at = excluded.checked_at, retry_after = excluded.retry_after`);
  const pruneExpired = db.prepare('DELETE FROM unclaimed_locations WHERE retry_after <= ?');
  const forget = db.prepare('DELETE FROM unclaimed_locations WHERE location_id = ?');
  const forgetAll = db.prepare('DELETE FROM unclaimed_locations');
  // Installed, no agency recorded and no token at all: nothing can mint or refresh a token for it.
  const stranded = db.prepare(`
    SELECT l.location_id FROM locations l LEFT JOIN tokens t ON t.owner_id = l.location_id
    WHERE l.status = 'installed' AND l.company_id IS NULL AND t.owner_id IS NULL ORDER BY l.installed_at`).pluck();
  const assignCompany = db.prepare(`UPDATE locations SET company_id = @companyId, updated_at = @now WHERE location_id = @locationId AND company_id IS NULL`);

  return {
    /** Whether "no agency lists it" was learned for this location and still holds at `now`. */
    isUnclaimed(locationId: string, now: number): boolean {
      const until = unclaimed.get(locationId, loadUnclaimed);
      return until !== null && until > now;
    },
    rememberUnclaimed(locationId: string, now: number, retryAfter: number): void {
      db.transaction(() => {
        pruneExpired.run(now);
        remember.run({ locationId, now, retryAfter });
      })();
    },
    /** An INSTALL for the location (or the agency found): whatever was remembered no longer holds. */
    forget(locationId: string): void {
      forget.run(locationId);
    },
    /** A new agency install may list any of them. */
    forgetAll(): void {
      forgetAll.run();
    },
    strandedLocationIds(): string[] {
      return stranded.all() as string[];
    },
    /** Records the agency found for an installed location that had none; a known company is never replaced. */
    assignCompany(locationId: string, companyId: string, now: number): void {
      assignCompany.run({ locationId, companyId, now });
    },
  };
}
