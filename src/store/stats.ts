// Statistics of one location over time buckets (days in its time zone, or any range): missed calls, text-backs,
// replies to them, follow-ups, opt-outs and failed texts. Each query range-scans a (location_id, time) index.
import type { Db } from './db.js';
import { DAY } from '../lib/clock.js';

export interface Counts { missedCalls: number; texted: number; replied: number; followUpsSent: number; optOuts: number; failures: number }

/** A text-back counts as replied to when the caller wrote back (anything but an opt-out) within this time. */
export const REPLY_WINDOW_MS = 7 * DAY;
// The provider took the text; 'undelivered' was sent and then lost by the carrier, so it is also a failure.
const ACCEPTED = `('sent', 'queued', 'delivered', 'undelivered')`;
const FAILED = `('failed', 'undelivered')`;

const zero = (): Counts => ({ missedCalls: 0, texted: 0, replied: 0, followUpsSent: 0, optOuts: 0, failures: 0 });

export function createStats(db: Db) {
  const missed = db.prepare(`
    SELECT occurred_at FROM calls WHERE location_id = ? AND occurred_at >= ? AND occurred_at < ? AND missed = 1`).pluck();
  const texts = db.prepare(`
    SELECT m.created_at AS at, m.kind, m.status IN ${ACCEPTED} AS accepted, m.status IN ${FAILED} AS failed,
      CASE WHEN m.kind = 'textback' AND m.status IN ${ACCEPTED} THEN EXISTS (
        SELECT 1 FROM replies r WHERE r.location_id = m.location_id AND r.phone = m.phone
          AND r.received_at >= m.created_at AND r.received_at < m.created_at + ${REPLY_WINDOW_MS} AND r.meaning <> 'opt-out'
      ) ELSE 0 END AS replied
    FROM messages m WHERE m.location_id = ? AND m.created_at >= ? AND m.created_at < ? AND m.kind IN ('textback', 'followup')`);
  // Numbers staff added by hand are not the caller's choice: only caller, carrier and HighLevel opt-outs count.
  const optOuts = db.prepare(`
    SELECT at FROM suppression_history WHERE location_id = ? AND at >= ? AND at < ? AND action = 'suppress' AND source <> 'manual'`).pluck();

  /** Counts per bucket: bucket i holds [edges[i], edges[i+1]). */
  function buckets(locationId: string, edges: number[]): Counts[] {
    const { out, bucketOf } = emptyBuckets(edges);
    if (out.length === 0) return out;
    const from = edges[0];
    const to = edges[edges.length - 1];
    for (const at of missed.all(locationId, from, to) as number[]) bucketOf(at).missedCalls += 1;
    for (const row of texts.all(locationId, from, to) as { at: number; kind: string; accepted: number; failed: number; replied: number }[]) {
      const counts = bucketOf(row.at);
      if (row.failed) counts.failures += 1;
      if (!row.accepted) continue;
      if (row.kind === 'followup') counts.followUpsSent += 1;
      else {
        counts.texted += 1;
        counts.replied += row.replied;
      }
    }
    for (const at of optOuts.all(locationId, from, to) as number[]) bucketOf(at).optOuts += 1;
    return out;
  }

  return {
    buckets,
    totals: (locationId: string, from: number, to: number): Counts => buckets(locationId, [from, to])[0],
  };
}
export type StatsStore = ReturnType<typeof createStats>;

/** Sums buckets, with the reply rate (replied text-backs per text-back, 0 when none went out). */
/** Zeroed counts per bucket (bucket i holds [edges[i], edges[i+1])) and the bucket a time falls in (binary search). */
export function emptyBuckets(edges: number[]): { out: Counts[]; bucketOf(at: number): Counts } {
  const out = edges.slice(1).map(zero);
  const bucketOf = (at: number): Counts => {
    let low = 0;
    let high = out.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (edges[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return out[low];
  };
  return { out, bucketOf };
}

export function sumCounts(days: Counts[]): Counts & { replyRate: number } {
  const total = zero();
  for (const day of days) for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += day[key];
  return { ...total, replyRate: total.texted === 0 ? 0 : Math.round((total.replied / total.texted) * 1000) / 1000 };
}
