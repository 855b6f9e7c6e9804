// What became of a call and the replies after it, read back for the sandbox page: the call's decision and follow-up
// state, its follow-up job, and what the caller did since. Read-only; the workflow's own ports never need these.
import type { Db } from './db.js';

export interface CallSighting {
  decision: string;
  /** calls.followup: pending, deferred:<iso>, sent, cancelled:<why>, skipped:<why>, failed:<why>; null when none. */
  followUp: string | null;
  occurredAt: number;
  phone: string | null;
}

export type CallOutcomes = ReturnType<typeof createCallOutcomes>;

export function createCallOutcomes(db: Db) {
  const call = db.prepare('SELECT decision, followup AS followUp, occurred_at AS occurredAt, phone FROM calls WHERE location_id = ? AND call_key = ?');
  const job = db.prepare('SELECT status, run_at AS runAt FROM jobs WHERE dedupe_key = ?');
  const meaning = db.prepare('SELECT meaning FROM replies WHERE location_id = ? AND reply_key = ?').pluck();
  const replied = db.prepare(`SELECT 1 FROM replies WHERE location_id = ? AND phone = ? AND received_at >= ? AND meaning = 'reply' LIMIT 1`).pluck();
  const answered = db.prepare(`SELECT 1 FROM calls WHERE location_id = ? AND phone = ? AND occurred_at > ? AND decision = 'ignored:answered' LIMIT 1`).pluck();

  return {
    call: (locationId: string, callKey: string): CallSighting | null => (call.get(locationId, callKey) as CallSighting | undefined) ?? null,
    /** The job with this dedupe key, whatever its state (finished jobs stay until retention prunes them). */
    job: (dedupeKey: string): { status: string; runAt: number } | null => (job.get(dedupeKey) as { status: string; runAt: number } | undefined) ?? null,
    replyMeaning: (locationId: string, replyKey: string): string | null => (meaning.get(locationId, replyKey) as string | undefined) ?? null,
    /** A text from the caller that was a reply (not STOP, HELP or START) received at or after `since`. */
    repliedSince: (locationId: string, phone: string, since: number): boolean => replied.get(locationId, phone, since) === 1,
    /** A call from the number, answered, after `since`. */
    answeredSince: (locationId: string, phone: string, since: number): boolean => answered.get(locationId, phone, since) === 1,
  };
}
