// Statistics of one location over time buckets on PostgreSQL: the twin of src/store/stats.ts (missed calls,
// text-backs, replies to them, follow-ups, opt-outs and failed texts), each query a range scan of a (location_id,
// time) index.
import type { AsyncStore } from '../async-store.js';
import { emptyBuckets, REPLY_WINDOW_MS, type Counts, type StatsStore } from '../stats.js';
import type { Postgres } from './pool.js';

// The provider took the text; 'undelivered' was sent and then lost by the carrier, so it is also a failure.
const ACCEPTED = `('sent', 'queued', 'delivered', 'undelivered')`;
const FAILED = `('failed', 'undelivered')`;

const MISSED = `SELECT occurred_at AS at FROM calls WHERE location_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND missed = 1`;
const TEXTS = `
  SELECT m.created_at AS at, m.kind, m.status IN ${ACCEPTED} AS accepted, m.status IN ${FAILED} AS failed,
    (m.kind = 'textback' AND m.status IN ${ACCEPTED} AND EXISTS (
      SELECT 1 FROM replies r WHERE r.location_id = m.location_id AND r.phone = m.phone
        AND r.received_at >= m.created_at AND r.received_at < m.created_at + ${REPLY_WINDOW_MS} AND r.meaning <> 'opt-out'
    )) AS replied
  FROM messages m WHERE m.location_id = $1 AND m.created_at >= $2 AND m.created_at < $3 AND m.kind IN ('textback', 'followup')`;
// Numbers staff added by hand are not the caller's choice: only caller, carrier and HighLevel opt-outs count.
const OPT_OUTS = `
  SELECT at FROM suppression_history WHERE location_id = $1 AND at >= $2 AND at < $3 AND action = 'suppress' AND source <> 'manual'`;

export type PostgresStats = ReturnType<typeof createPostgresStats>;

export function createPostgresStats(pg: Pick<Postgres, 'pool'>) {
  const db = pg.pool;

  /** Counts per bucket: bucket i holds [edges[i], edges[i+1]). */
  async function buckets(locationId: string, edges: number[]): Promise<Counts[]> {
    const { out, bucketOf } = emptyBuckets(edges);
    if (out.length === 0) return out;
    const values = [locationId, edges[0], edges[edges.length - 1]];
    const [missed, texts, optOuts] = await Promise.all([
      db.query<{ at: number }>(MISSED, values),
      db.query<{ at: number; kind: string; accepted: boolean; failed: boolean; replied: boolean }>(TEXTS, values),
      db.query<{ at: number }>(OPT_OUTS, values),
    ]);
    for (const { at } of missed.rows) bucketOf(at).missedCalls += 1;
    for (const row of texts.rows) {
      const counts = bucketOf(row.at);
      if (row.failed) counts.failures += 1;
      if (!row.accepted) continue;
      if (row.kind === 'followup') counts.followUpsSent += 1;
      else {
        counts.texted += 1;
        if (row.replied) counts.replied += 1;
      }
    }
    for (const { at } of optOuts.rows) bucketOf(at).optOuts += 1;
    return out;
  }

  return {
    buckets,
    totals: async (locationId: string, from: number, to: number): Promise<Counts> => (await buckets(locationId, [from, to]))[0],
  } satisfies AsyncStore<StatsStore>;
}
