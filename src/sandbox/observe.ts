// Read-only look at what the app recorded, for the sandbox page: each call's decision and follow-up, each reply's
// meaning, opt-outs and the demo location's settings. Never writes; the workflow does not know it is observed.
import type { Db } from '../store/db.js';
import { createLocationStore, type LocationRecord } from '../store/locations.js';
import { createSuppressions } from '../store/suppressions.js';
import { JOB } from '../workflow/deps.js';

export interface CallOutcome {
  decision: string;
  /** calls.followup: pending, deferred:<iso>, sent, cancelled:<why>, skipped:<why>, failed:<why>; null when none. */
  followUp: string | null;
  /** The follow-up job, which a reply or an answered call-back cancels without touching calls.followup. */
  followUpJob: { status: string; runAt: number } | null;
}

export function createObserver(db: Db, locationId: string) {
  const locations = createLocationStore(db);
  const suppressions = createSuppressions(db);
  const callRow = db.prepare('SELECT decision, followup, occurred_at, phone FROM calls WHERE location_id = ? AND call_key = ?');
  const jobRow = db.prepare('SELECT status, run_at FROM jobs WHERE dedupe_key = ?');
  const replyMeaning = db.prepare('SELECT meaning FROM replies WHERE location_id = ? AND reply_key = ?').pluck();
  const repliedSince = db.prepare(`SELECT 1 FROM replies WHERE location_id = ? AND phone = ? AND received_at >= ? AND meaning = 'reply' LIMIT 1`).pluck();
  const answeredSince = db.prepare(`SELECT 1 FROM calls WHERE location_id = ? AND phone = ? AND occurred_at > ? AND decision = 'ignored:answered' LIMIT 1`).pluck();

  return {
    location: (): LocationRecord | null => locations.get(locationId),
    isSuppressed: (phone: string): boolean => suppressions.isSuppressed(locationId, phone),
    call(callKey: string): CallOutcome | null {
      const row = callRow.get(locationId, callKey) as { decision: string; followup: string | null } | undefined;
      if (!row) return null;
      const job = jobRow.get(`${JOB.followUp}:${locationId}:${callKey}`) as { status: string; run_at: number } | undefined;
      return { decision: row.decision, followUp: row.followup, followUpJob: job ? { status: job.status, runAt: job.run_at } : null };
    },
    /** Why a follow-up job was cancelled, from what happened after the call. */
    cancellationReason(callKey: string): 'opted-out' | 'replied' | 'answered-call-back' | null {
      const row = callRow.get(locationId, callKey) as { occurred_at: number; phone: string | null } | undefined;
      if (!row?.phone) return null;
      if (suppressions.isSuppressed(locationId, row.phone)) return 'opted-out';
      if (repliedSince.get(locationId, row.phone, row.occurred_at) === 1) return 'replied';
      if (answeredSince.get(locationId, row.phone, row.occurred_at) === 1) return 'answered-call-back';
      return null;
    },
    replyMeaning: (replyKey: string): string | null => (replyMeaning.get(locationId, replyKey) as string | undefined) ?? null,
  };
}
export type Observer = ReturnType<typeof createObserver>;
