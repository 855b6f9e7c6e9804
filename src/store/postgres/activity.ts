// The activity log of one location on PostgreSQL: the twin of src/store/activity.ts (calls, replies and suppression
// changes merged newest first, paged by the same opaque (at, type, id) cursor).
import type { AsyncStore } from '../async-store.js';
import type { ActivityItem, ActivityLog, ActivityPosition } from '../activity.js';
import { maskPhones } from '../../lib/logger.js';
import type { Postgres } from './pool.js';

const RANK = { call: 3, reply: 2, suppression: 1 } as const;
const START: ActivityPosition = { at: Number.MAX_SAFE_INTEGER, rank: 4, id: 0 };

// Parameters of every query: $1 location, $2 at, $3 rank, $4 id, $5 limit. `t <= $2` lets each query range-scan its
// (location_id, time) index; the rest orders ties like the merge does.
const after = (time: string, id: string, rank: number) =>
  `${time} <= $2::bigint AND (${time} < $2::bigint OR $3::integer > ${rank} OR ($3::integer = ${rank} AND ${id} < $4::bigint))`;

// The text-back's send key and the follow-up job's dedupe key are both derived from the call (unique indexes).
const CALLS = `
  SELECT c.id, c.occurred_at AS at, c.phone, c.status, c.decision, c.followup, c.followup_at AS "followupAt",
    m.status AS "tbStatus", COALESCE(m.sent_at, m.created_at) AS "tbAt", COALESCE(m.error_code, m.error_message) AS "tbError",
    j.status AS "jobStatus", j.finished_at AS "jobAt"
  FROM calls c
  LEFT JOIN messages m ON m.send_key = 'textback:' || c.location_id || ':' || c.call_key
  LEFT JOIN jobs j ON j.dedupe_key = 'followup:' || c.location_id || ':' || c.call_key
  WHERE c.location_id = $1 AND c.missed = 1 AND ${after('c.occurred_at', 'c.id', RANK.call)}
  ORDER BY c.occurred_at DESC, c.id DESC LIMIT $5`;
const REPLIES = `
  SELECT id, received_at AS at, phone, meaning FROM replies
  WHERE location_id = $1 AND ${after('received_at', 'id', RANK.reply)}
  ORDER BY received_at DESC, id DESC LIMIT $5`;
const SUPPRESSIONS = `
  SELECT id, at, phone, action, source, reason FROM suppression_history
  WHERE location_id = $1 AND ${after('at', 'id', RANK.suppression)}
  ORDER BY at DESC, id DESC LIMIT $5`;

interface CallRow {
  id: number; at: number; phone: string | null; status: string; decision: string; followup: string | null; followupAt: number | null;
  tbStatus: string | null; tbAt: number | null; tbError: string | null; jobStatus: string | null; jobAt: number | null;
}
type ReplyRow = { id: number; at: number; phone: string; meaning: string };
type SuppressionRow = { id: number; at: number; phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null };

export type PostgresActivityLog = ReturnType<typeof createPostgresActivityLog>;

export function createPostgresActivityLog(pg: Pick<Postgres, 'pool'>) {
  const db = pg.pool;
  return {
    /** Up to `limit` items older than `before` (from the newest when null), and where the next page starts. */
    async page(locationId: string, options: { limit: number; before: ActivityPosition | null }): Promise<{ items: ActivityItem[]; next: ActivityPosition | null }> {
      const from = options.before ?? START;
      const values = [locationId, from.at, from.rank, from.id, options.limit + 1];
      // Three independent reads side by side; a row committed between them lands on this page or the next, never twice.
      const [calls, replies, suppressions] = await Promise.all([
        db.query<CallRow>(CALLS, values), db.query<ReplyRow>(REPLIES, values), db.query<SuppressionRow>(SUPPRESSIONS, values),
      ]);
      const merged: { position: ActivityPosition; item: ActivityItem }[] = [
        ...calls.rows.map((row) => ({ position: { at: row.at, rank: RANK.call, id: row.id }, item: toCall(row) })),
        ...replies.rows.map((row) => ({
          position: { at: row.at, rank: RANK.reply, id: row.id },
          item: { type: 'reply' as const, at: row.at, phone: row.phone, meaning: row.meaning },
        })),
        ...suppressions.rows.map((row) => ({
          position: { at: row.at, rank: RANK.suppression, id: row.id },
          item: { type: 'suppression' as const, at: row.at, phone: row.phone, action: row.action, source: row.source, reason: row.reason },
        })),
      ];
      merged.sort((a, b) => b.position.at - a.position.at || b.position.rank - a.position.rank || b.position.id - a.position.id);
      const pageItems = merged.slice(0, options.limit);
      const next = merged.length > options.limit ? pageItems[pageItems.length - 1].position : null;
      return { items: pageItems.map((entry) => entry.item), next };
    },
  } satisfies AsyncStore<ActivityLog>;
}

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
