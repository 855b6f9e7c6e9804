// The activity log's rows (calls, replies, suppression changes) and how they merge into one page of items, newest
// first; shared by the SQLite and PostgreSQL activity logs.
import { maskPhones } from '../../lib/logger.js';

export type ActivityItem =
  | { type: 'call'; at: number; phone: string | null; callStatus: string; decision: string;
      textBack: { status: string; at: number; error: string | null } | null; followUp: { state: string; at: number | null } | null }
  | { type: 'reply'; at: number; phone: string; meaning: string }
  | { type: 'suppression'; at: number; phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null };

/** Where a page ends: items strictly older than this position come next. Ties on `at` break by type, then id. */
export interface ActivityPosition { at: number; rank: number; id: number }

export const RANK = { call: 3, reply: 2, suppression: 1 } as const;
export const START: ActivityPosition = { at: Number.MAX_SAFE_INTEGER, rank: 4, id: 0 };

export interface CallRow {
  id: number; at: number; phone: string | null; status: string; decision: string; followup: string | null; followupAt: number | null;
  tbStatus: string | null; tbAt: number | null; tbError: string | null; jobStatus: string | null; jobAt: number | null;
}
export type ReplyRow = { id: number; at: number; phone: string; meaning: string };
export type SuppressionRow = { id: number; at: number; phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null };

/** The first `limit` items of the three reads merged newest first, and where the next page starts (null at the end). */
export function mergeActivityPage(
  rows: { calls: CallRow[]; replies: ReplyRow[]; suppressions: SuppressionRow[] }, limit: number,
): { items: ActivityItem[]; next: ActivityPosition | null } {
  const merged: { position: ActivityPosition; item: ActivityItem }[] = [
    ...rows.calls.map((row) => ({ position: { at: row.at, rank: RANK.call, id: row.id }, item: toCall(row) })),
    ...rows.replies.map((row) => ({
      position: { at: row.at, rank: RANK.reply, id: row.id },
      item: { type: 'reply' as const, at: row.at, phone: row.phone, meaning: row.meaning },
    })),
    ...rows.suppressions.map((row) => ({
      position: { at: row.at, rank: RANK.suppression, id: row.id },
      item: { type: 'suppression' as const, at: row.at, phone: row.phone, action: row.action, source: row.source, reason: row.reason },
    })),
  ];
  merged.sort((a, b) => b.position.at - a.position.at || b.position.rank - a.position.rank || b.position.id - a.position.id);
  const pageItems = merged.slice(0, limit);
  const next = merged.length > limit ? pageItems[pageItems.length - 1].position : null;
  return { items: pageItems.map((entry) => entry.item), next };
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
