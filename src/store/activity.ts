// The activity log of one location, newest first: missed calls (decision, text-back, follow-up), replies and
// suppression changes, merged from their tables and paged by an opaque (at, type, id) cursor.
import type { Db } from './db.js';
import {
  RANK, START, mergeActivityPage, type ActivityItem, type ActivityPosition, type CallRow, type ReplyRow, type SuppressionRow,
} from './rows/activity.js';

export type { ActivityItem, ActivityPosition };

export function encodeCursor(position: ActivityPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.rank, position.id])).toString('base64url');
}

/** Null for anything that is not a cursor this API handed out. */
export function decodeCursor(cursor: string): ActivityPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3 || !value.every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
    const [at, rank, id] = value as number[];
    return rank >= 1 && rank <= 4 ? { at, rank, id } : null;
  } catch {
    return null;
  }
}

// `t <= @at` lets each query range-scan its (location_id, time) index; the rest orders ties like the merge does.
const after = (time: string, id: string, rank: number) =>
  `${time} <= @at AND (${time} < @at OR @rank > ${rank} OR (@rank = ${rank} AND ${id} < @id))`;

export function createActivityLog(db: Db) {
  // The text-back's send key and the follow-up job's dedupe key are both derived from the call (unique indexes).
  const calls = db.prepare(`
    SELECT c.id, c.occurred_at AS at, c.phone, c.status, c.decision, c.followup, c.followup_at AS followupAt,
      m.status AS tbStatus, COALESCE(m.sent_at, m.created_at) AS tbAt, COALESCE(m.error_code, m.error_message) AS tbError,
      j.status AS jobStatus, j.finished_at AS jobAt
    FROM calls c
    LEFT JOIN messages m ON m.send_key = 'textback:' || c.location_id || ':' || c.call_key
    LEFT JOIN jobs j ON j.dedupe_key = 'followup:' || c.location_id || ':' || c.call_key
    WHERE c.location_id = @locationId AND c.missed = 1 AND ${after('c.occurred_at', 'c.id', RANK.call)}
    ORDER BY c.occurred_at DESC, c.id DESC LIMIT @limit`);
  const replies = db.prepare(`
    SELECT id, received_at AS at, phone, meaning FROM replies
    WHERE location_id = @locationId AND ${after('received_at', 'id', RANK.reply)}
    ORDER BY received_at DESC, id DESC LIMIT @limit`);
  const suppressions = db.prepare(`
    SELECT id, at, phone, action, source, reason FROM suppression_history
    WHERE location_id = @locationId AND ${after('at', 'id', RANK.suppression)}
    ORDER BY at DESC, id DESC LIMIT @limit`);

  return {
    /** Up to `limit` items older than `before` (from the newest when null), and where the next page starts. */
    page(locationId: string, options: { limit: number; before: ActivityPosition | null }): { items: ActivityItem[]; next: ActivityPosition | null } {
      const params = { locationId, limit: options.limit + 1, ...(options.before ?? START) };
      return mergeActivityPage({
        calls: calls.all(params) as CallRow[],
        replies: replies.all(params) as ReplyRow[],
        suppressions: suppressions.all(params) as SuppressionRow[],
      }, options.limit);
    },
  };
}
export type ActivityLog = ReturnType<typeof createActivityLog>;
