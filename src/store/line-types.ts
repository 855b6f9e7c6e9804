// What kind of line each number is (mobile, landline, …) as one location learned it (its Twilio Lookup or a provider
// error), kept 180 days. Facts are per location: one tenant's lookups are never seen, exported or erased by another.
import type { Db } from './db.js';
import { DAY } from '../lib/clock.js';

export type LineType = 'mobile' | 'landline' | 'voip' | 'other';

/** After this a number is looked up again: numbers get ported and reassigned. */
export const LINE_TYPE_MAX_AGE_MS = 180 * DAY;

export interface LineTypeFact { lineType: LineType; source: string; checkedAt: number }

export type LineTypeCache = ReturnType<typeof createLineTypeCache>;

export function createLineTypeCache(db: Db) {
  const select = db.prepare(`
    SELECT line_type AS lineType, source, checked_at AS checkedAt FROM location_line_types WHERE location_id = ? AND phone = ?`);
  const upsert = db.prepare(`
    INSERT INTO location_line_types (location_id, phone, line_type, source, checked_at) VALUES (@locationId, @phone, @lineType, @source, @now)
    ON CONFLICT (location_id, phone) DO UPDATE SET line_type = excluded.line_type, source = excluded.source, checked_at = excluded.checked_at`);
  const prune = db.prepare('DELETE FROM location_line_types WHERE checked_at < ?');
  const forget = db.prepare('DELETE FROM location_line_types WHERE location_id = ? AND phone = ?');

  return {
    /** What this location knows about the number, if it is younger than 180 days. */
    get(locationId: string, phone: string, now: number): LineTypeFact | null {
      const fact = select.get(locationId, phone) as LineTypeFact | undefined;
      return fact && now - fact.checkedAt < LINE_TYPE_MAX_AGE_MS ? fact : null;
    },
    /** `source`: 'lookup', or 'error:<code>' for a type learned from a provider's error. */
    remember(locationId: string, phone: string, lineType: LineType, source: string, now: number): void {
      upsert.run({ locationId, phone, lineType, source, now });
    },
    forget(locationId: string, phone: string): void {
      forget.run(locationId, phone);
    },
    /** Drops facts too old to be trusted; returns how many. */
    prune(now: number): number {
      return prune.run(now - LINE_TYPE_MAX_AGE_MS).changes;
    },
  };
}
