// What kind of line each number is (mobile, landline, …), from a Twilio Lookup or a provider error, kept 180 days.
import type { Db } from './db.js';
import { DAY } from '../lib/clock.js';

export type LineType = 'mobile' | 'landline' | 'voip' | 'other';

/** After this a number is looked up again: numbers get ported and reassigned. */
export const LINE_TYPE_MAX_AGE_MS = 180 * DAY;

export interface LineTypeFact { lineType: LineType; source: string; checkedAt: number }

export type LineTypeCache = ReturnType<typeof createLineTypeCache>;

export function createLineTypeCache(db: Db) {
  const select = db.prepare('SELECT line_type AS lineType, source, checked_at AS checkedAt FROM line_types WHERE phone = ?');
  const upsert = db.prepare(`
    INSERT INTO line_types (phone, line_type, source, checked_at) VALUES (@phone, @lineType, @source, @now)
    ON CONFLICT (phone) DO UPDATE SET line_type = excluded.line_type, source = excluded.source, checked_at = excluded.checked_at`);
  const prune = db.prepare('DELETE FROM line_types WHERE checked_at < ?');
  const forget = db.prepare('DELETE FROM line_types WHERE phone = ?');

  return {
    /** The fact about this number if it is younger than 180 days. */
    get(phone: string, now: number): LineTypeFact | null {
      const fact = select.get(phone) as LineTypeFact | undefined;
      return fact && now - fact.checkedAt < LINE_TYPE_MAX_AGE_MS ? fact : null;
    },
    /** `source`: 'lookup', or 'error:<code>' for a type learned from a provider's error. */
    remember(phone: string, lineType: LineType, source: string, now: number): void {
      upsert.run({ phone, lineType, source, now });
    },
    forget(phone: string): void {
      forget.run(phone);
    },
    /** Drops facts too old to be trusted; returns how many. */
    prune(now: number): number {
      return prune.run(now - LINE_TYPE_MAX_AGE_MS).changes;
    },
  };
}
