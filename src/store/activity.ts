// The activity log of one location, newest first: missed calls (decision, text-back, follow-up), replies and
// suppression changes, merged from their tables and paged by an opaque (at, type, id) cursor.
import type { Db } from './db.js';
import { maskPhones } from '../lib/logger.js';

export type ActivityItem =
  | { type: 'call'; at: number; phone: string | null; callStatus: string; decision: string;
      textBack: { status: string; at: number; error: string | null } | null; followUp: { state: string; at: number | null } | null }
  | { type: 'reply'; at: number; phone: string; meaning: string }
  | { type: 'suppression'; at: number; phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null };

/** Where a page ends: items strictly older than this position come next. Ties on `at` break by type, then id. */
export interface ActivityPosition { at: number; rank: number; id: number }

const RANK = { call: 3, reply: 2, suppression: 1 } as const;
const START: ActivityPosition = { at: Number.MAX_SAFE_INTEGER, rank: 4, id: 0 };

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

interface CallRow {
  id: number; at: number; phone: string | null; status: string; decision: string; followup: string | null; followupAt: number | null;
  tbStatus: string | null; tbAt: number | null; tbError: string | null; jobStatus: string | null; jobAt: number | null;
}

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
      const merged: { position: ActivityPosition; item: ActivityItem }[] = [
        ...(calls.all(params) as CallRow[]).map((row) => ({ position: { at: row.at, rank: RANK.call, id: row.id }, item: toCall(row) })),
        ...(replies.all(params) as { id: number; at: number; phone: string; meaning: string }[]).map((row) => ({
          position: { at: row.at, rank: RANK.reply, id: row.id },
          item: { type: 'reply' as const, at: row.at, phone: row.phone, meaning: row.meaning },
        })),
        ...(suppressions.all(params) as { id: number; at: number; phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null }[]).map((row) => ({
          position: { at: row.at, rank: RANK.suppression, id: row.id },
          item: { type: 'suppression' as const, at: row.at, phone: row.phone, action: row.action, source: row.source, reason: row.reason },
        })),
      ];
      merged.sort((a, b) => b.position.at - a.position.at || b.position.rank - a.position.rank || b.position.id - a.position.id);
      const pageItems = merged.slice(0, options.limit);
      const next = merged.length > options.limit ? pageItems[pageItems.length - 1].position : null;
      return { items: pageItems.map((entry) => entry.item), next };
    },
  };
}
export type ActivityLog = ReturnType<typeof createActivityLog>;

function toCall(row: CallRow): ActivityItem {
  return {
    type: 'call', at: row.at, phone: row.phone, callStatus: row.status, decision: row.decision,
    textBack: row.tbStatus === null ? null : { status: row.tbStatus, at: row.tbAt!, error: row.tbError === null ? null : maskPhones(row.tbError) },
    followUp: followUpOf(row),
  };
}

/**
 * The call row says 'pending' from scheduling until the job runs; a reply, opt-out, answered call-back or uninstall
 * cancels the job without touching the call, so the job's own state (or its absence once pruned) tells the rest.
 */
function followUpOf(row: CallRow): { state: string; at: number | null } | null {
  if (row.followup === null) return null;
  if (row.followup !== 'pending') return { state: row.followup, at: row.followupAt };
  if (row.jobStatus === 'pending' || row.jobStatus === 'running') return { state: 'pending', at: row.followupAt };
  return { state: row.jobStatus === 'failed' ? 'failed' : 'cancelled', at: row.jobAt ?? row.followupAt };
}
