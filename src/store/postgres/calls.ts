// Calls the app saw and what it decided for each, on PostgreSQL: the same contract as src/store/calls.ts.
import type { CallLog, CallRecord } from '../../workflow/ports/storage.js';
import type { AsyncStore } from '../async-store.js';
import { isFinalCallStatus, NON_FINAL_CALL_STATUSES } from '../../workflow/call-status.js';
import type { Postgres } from './pool.js';

/** Non-final statuses as stored, including spellings rows written before statuses were normalised may carry. */
const WAITING_STATUSES = [...NON_FINAL_CALL_STATUSES, 'in progress', 'in_progress', ''];

interface CallRow {
  id: number; location_id: string; call_key: string; contact_id: string | null; phone: string | null;
  status: string; missed: number; occurred_at: number; decision: string;
}

const COLUMNS = 'id, location_id, call_key, contact_id, phone, status, missed, occurred_at, decision';

const toRecord = (row: CallRow): CallRecord => ({
  id: row.id, locationId: row.location_id, callKey: row.call_key, contactId: row.contact_id, phone: row.phone,
  status: row.status, missed: row.missed === 1, occurredAt: row.occurred_at, decision: row.decision,
});

export function createPostgresCallLog(pg: Pick<Postgres, 'pool'>): AsyncStore<CallLog> {
  const db = pg.pool;
  const one = async (text: string, values: unknown[]) => (await db.query<CallRow>(text, values)).rows[0];

  return {
    /**
     * No transaction needed: each step is one statement. Two sightings inserting the same call at once meet at the
     * unique key (the second waits, then does nothing); two final sightings meet at the row lock of the UPDATE, whose
     * WHERE is re-checked on the updated row, so exactly one of them finalises the call.
     */
    async record(input, now) {
      const missed = input.missed ? 1 : 0;
      const inserted = await one(`
        INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (location_id, call_key) DO NOTHING RETURNING ${COLUMNS}`,
      [input.locationId, input.callKey, input.contactId, input.phone, input.status, missed, input.occurredAt, input.decision, now]);
      if (inserted) return { call: toRecord(inserted), isNew: true };
      if (isFinalCallStatus(input.status)) {
        // The first final sighting of a call seen before while it rang: the WHERE lets exactly one sighting through.
        const finalized = await one(`
          UPDATE calls SET status = $3, missed = $4, decision = $5, decision_at = $6,
            contact_id = COALESCE(contact_id, $7), phone = COALESCE(phone, $8)
          WHERE location_id = $1 AND call_key = $2 AND status = ANY($9::text[]) RETURNING ${COLUMNS}`,
        [input.locationId, input.callKey, input.status, missed, input.decision, now, input.contactId, input.phone, WAITING_STATUSES]);
        if (finalized) return { call: toRecord(finalized), isNew: true };
      }
      const existing = await one(`SELECT ${COLUMNS} FROM calls WHERE location_id = $1 AND call_key = $2`, [input.locationId, input.callKey]);
      return { call: toRecord(existing!), isNew: false };
    },
    async get(callId) {
      const row = await one(`SELECT ${COLUMNS} FROM calls WHERE id = $1`, [callId]);
      return row ? toRecord(row) : null;
    },
    async decide(callId, decision, now, followUp) {
      if (followUp === undefined) await db.query('UPDATE calls SET decision = $2, decision_at = $3 WHERE id = $1', [callId, decision, now]);
      else await db.query('UPDATE calls SET decision = $2, decision_at = $3, followup = $4, followup_at = $3 WHERE id = $1', [callId, decision, now, followUp]);
    },
    async setFollowUp(callId, state, now) {
      await db.query('UPDATE calls SET followup = $2, followup_at = $3 WHERE id = $1', [callId, state, now]);
    },
    async answeredSince(locationId, phone, since) {
      const { rows } = await db.query(`
        SELECT 1 FROM calls WHERE location_id = $1 AND phone = $2 AND occurred_at > $3 AND missed = 0
          AND decision = 'ignored:answered' LIMIT 1`, [locationId, phone, since]);
      return rows.length > 0;
    },
  };
}
