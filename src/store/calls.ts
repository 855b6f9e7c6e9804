// Calls the app saw and what it decided for each (the activity log and statistics read from here).
import type { Db } from './db.js';
import type { CallLog, CallRecord } from '../workflow/ports/storage.js';
import { isFinalCallStatus, NON_FINAL_CALL_STATUSES } from '../workflow/call-status.js';

/** Non-final statuses as stored, including spellings rows written before statuses were normalised may carry. */
const WAITING_STATUSES = JSON.stringify([...NON_FINAL_CALL_STATUSES, 'in progress', 'in_progress', '']);

interface CallRow {
  id: number; location_id: string; call_key: string; contact_id: string | null; phone: string | null;
  status: string; missed: number; occurred_at: number; decision: string;
}

const toRecord = (row: CallRow): CallRecord => ({
  id: row.id, locationId: row.location_id, callKey: row.call_key, contactId: row.contact_id, phone: row.phone,
  status: row.status, missed: row.missed === 1, occurredAt: row.occurred_at, decision: row.decision,
});

export function createCallLog(db: Db): CallLog {
  const insert = db.prepare(`
    INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at)
    VALUES (@locationId, @callKey, @contactId, @phone, @status, @missed, @occurredAt, @decision, @now)
    ON CONFLICT (location_id, call_key) DO NOTHING
    RETURNING *`);
  // The first final sighting of a call seen before while it rang: the WHERE lets exactly one sighting through.
  const finalize = db.prepare(`
    UPDATE calls SET status = @status, missed = @missed, decision = @decision, decision_at = @now,
      contact_id = COALESCE(contact_id, @contactId), phone = COALESCE(phone, @phone)
    WHERE location_id = @locationId AND call_key = @callKey AND status IN (SELECT value FROM json_each(@waiting))
    RETURNING *`);
  const byKey = db.prepare('SELECT * FROM calls WHERE location_id = ? AND call_key = ?');
  const byId = db.prepare('SELECT * FROM calls WHERE id = ?');
  const decide = db.prepare('UPDATE calls SET decision = ?, decision_at = ? WHERE id = ?');
  const followUp = db.prepare('UPDATE calls SET followup = ?, followup_at = ? WHERE id = ?');
  const decideWithFollowUp = db.prepare('UPDATE calls SET decision = ?, decision_at = ?, followup = ?, followup_at = ? WHERE id = ?');
  const answered = db.prepare(`
    SELECT 1 FROM calls WHERE location_id = ? AND phone = ? AND occurred_at > ? AND missed = 0
      AND decision = 'ignored:answered' LIMIT 1`).pluck();

  return {
    record(input, now) {
      // Each statement is atomic and answers the row it wrote; the call is read only when neither wrote it.
      const params = { ...input, missed: input.missed ? 1 : 0, now };
      const written = (insert.get(params) as CallRow | undefined)
        ?? (isFinalCallStatus(input.status) ? finalize.get({ ...params, waiting: WAITING_STATUSES }) as CallRow | undefined : undefined);
      return { call: toRecord(written ?? byKey.get(input.locationId, input.callKey) as CallRow), isNew: written !== undefined };
    },
    get(callId) {
      const row = byId.get(callId) as CallRow | undefined;
      return row ? toRecord(row) : null;
    },
    decide(callId, decision, now, followUp) {
      if (followUp === undefined) decide.run(decision, now, callId);
      else decideWithFollowUp.run(decision, now, followUp, now, callId);
    },
    setFollowUp(callId, state, now) {
      followUp.run(state, now, callId);
    },
    answeredSince(locationId, phone, since) {
      return answered.get(locationId, phone, since) === 1;
    },
  };
}
