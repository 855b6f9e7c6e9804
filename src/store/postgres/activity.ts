// The activity log of one location on PostgreSQL: the twin of src/store/activity.ts (calls, replies and suppression
// changes merged newest first, paged by the same opaque (at, type, id) cursor).
import type { AsyncStore } from '../async-store.js';
import type { ActivityItem, ActivityLog, ActivityPosition } from '../activity.js';
import { RANK, START, mergeActivityPage, type CallRow, type ReplyRow, type SuppressionRow } from '../rows/activity.js';
import type { Postgres } from './pool.js';

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
      return mergeActivityPage({ calls: calls.rows, replies: replies.rows, suppressions: suppressions.rows }, options.limit);
    },
  } satisfies AsyncStore<ActivityLog>;
}
