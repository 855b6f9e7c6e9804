// The send ledger on PostgreSQL (messages table): the same contract as src/store/ledger.ts, for several instances.
// A reservation that re-checks the suppression list holds the number's lock (number-lock.ts), as every suppression
// change does: a STOP and a send to the same number are ordered, never both winning. It runs in one round trip, the
// function textback_reserve_send (migration 012-reserve-send.ts).
import type { Reservation, SendConsequences, SendLedger } from '../../workflow/ports/storage.js';
import type { AsyncStore } from '../async-store.js';
import { numberLockKey } from './number-lock.js';
import type { Postgres, Queryable } from './pool.js';
import { ENTRY_COLUMNS as ENTRY, toEntry, type EntryRow } from '../rows/ledger.js';
import { COLUMNS as JOB_COLUMNS, jobColumns } from './job-enqueue.js';

/** A row of textback_reserve_send: the entry's columns are null when the outcome is 'suppressed'. */
type ReservedRow = ({ outcome: 'reserved' | 'exists' } & EntryRow) | { outcome: 'suppressed' };

/**
 * How old a reservation still 'sending' must be before start-up recovery calls it interrupted. Sends run inside jobs
 * leased for 5 minutes (src/scheduler/worker.ts) and are reserved after the claim, so a reservation older than a
 * lease belongs to a job whose lease has expired (the job itself is then another instance's to take over); the rest
 * (a test text, a staff reply) settle within their provider's timeout. The extra minutes absorb clock skew between
 * instances. A live send marked too early would still be recorded sent or failed by its owner (those writes do not
 * look at the status), and never resent.
 */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

export interface PostgresSendLedgerOptions {
  /** Default INTERRUPTED_AFTER_MS; must exceed the worker's job lease. */
  interruptedAfterMs?: number;
  /** Each job kind's priority (the job registry's), for the jobs a send starts; default 20, the column's default. */
  priorityOf?: (kind: string) => number;
}

// A send's record, the jobs it starts and its call's decision in one statement: one round trip and one commit. A job
// whose dedupe key exists is left alone, as an enqueue would; no decision ($8 null) updates no call.
const SENT_AND_FOLLOWING = /* sql */ `
WITH sent AS (
  UPDATE messages SET status = $2, provider = $3, provider_message_id = $4, sent_at = $5, updated_at = $5 WHERE id = $1
  RETURNING id
), decided AS (
  UPDATE calls SET decision = $6::text, decision_at = $5,
    followup = CASE WHEN $7::text IS NULL THEN followup ELSE $7::text END,
    followup_at = CASE WHEN $7::text IS NULL THEN followup_at ELSE $5 END
  WHERE id = $8::bigint
  RETURNING id
), stored AS (
  INSERT INTO jobs (${JOB_COLUMNS})
  SELECT kind, location_id, subject, dedupe_key, payload, 'pending', run_at, max_attempts, $5, priority, run_at
  FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::int[], $16::int[])
    WITH ORDINALITY AS input (kind, location_id, subject, dedupe_key, payload, run_at, max_attempts, priority, ord)
  ORDER BY ord
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id
)
SELECT (SELECT COUNT(*) FROM sent) AS sent, (SELECT COUNT(*) FROM decided) AS decided, (SELECT COUNT(*) FROM stored) AS stored`;

type ReserveInput = Parameters<SendLedger['reserve']>[0];
export type PostgresSendLedger = AsyncStore<SendLedger & { markInterruptedUnknown(now: number): number }>;

export function createPostgresSendLedger(pg: Pick<Postgres, 'pool'>, options: PostgresSendLedgerOptions = {}): PostgresSendLedger {
  const db = pg.pool;
  const interruptedAfterMs = options.interruptedAfterMs ?? INTERRUPTED_AFTER_MS;
  const priorityOf = options.priorityOf ?? (() => 20);
  const sentStatus = (status: string) => (status === 'delivered' ? 'delivered' : 'sent');

  async function markSentAndFollowing(id: number, receipt: Parameters<SendLedger['markSent']>[1], now: number, follows: SendConsequences): Promise<void> {
    await db.query(SENT_AND_FOLLOWING, [
      id, sentStatus(receipt.status), receipt.provider, receipt.providerMessageId, now,
      follows.decision?.decision ?? null, follows.decision?.followUp ?? null, follows.decision?.callId ?? null,
      ...jobColumns(follows.jobs ?? [], priorityOf),
    ]);
  }

  const findByKey = async (client: Queryable, sendKey: string) =>
    (await client.query<EntryRow>(`SELECT ${ENTRY} FROM messages WHERE send_key = $1`, [sendKey])).rows[0];

  /**
   * Without the suppression check (a kind that reaches suppressed numbers, e.g. the opt-out confirmation: nothing to
   * order against a STOP): inserts the reservation unless the key exists (ON CONFLICT: a concurrent reserve of the
   * same key waits for the first to commit, then does nothing), else reads the existing entry. Undefined only when a
   * conflicting entry was released in between: the caller tries again.
   */
  async function attempt(client: Queryable, input: ReserveInput, now: number): Promise<Reservation | undefined> {
    const { rows } = await client.query<EntryRow>(`
      INSERT INTO messages (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, segments, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'sending', $8, $9, $10, $10)
      ON CONFLICT (send_key) DO NOTHING RETURNING ${ENTRY}`,
    [input.locationId, input.sendKey, input.kind, input.callId, input.contactId, input.phone, input.body,
      input.provider, input.segments, now]);
    if (rows[0]) return { outcome: 'reserved', entry: toEntry(rows[0]) };
    const existing = await findByKey(client, input.sendKey);
    return existing ? { outcome: 'exists', entry: toEntry(existing) } : undefined;
  }

  /**
   * With the check, one statement (autocommit): the function takes the number's lock, then inserts unless the key
   * exists or the number is suppressed, in a later statement whose snapshot sees any suppression committed before the
   * lock was granted; a suppression not yet committed waits for this statement's commit. An existing entry wins over
   * a suppression, as on SQLite. No row: a conflicting entry was released in between (undefined: try again).
   */
  async function reserveChecked(input: ReserveInput, now: number): Promise<Reservation | undefined> {
    const { rows: [row] } = await db.query<ReservedRow>(`
      SELECT outcome, ${ENTRY} FROM textback_reserve_send($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [numberLockKey(input.locationId, input.phone), input.locationId, input.sendKey, input.kind, input.callId,
      input.contactId, input.phone, input.body, input.provider, input.segments, now]);
    if (!row) return undefined;
    return row.outcome === 'suppressed' ? { outcome: 'suppressed' } : { outcome: row.outcome, entry: toEntry(row) };
  }

  const reserveOnce = (input: ReserveInput, now: number) => (input.checkSuppression ? reserveChecked(input, now) : attempt(db, input, now));

  return {
    async reserve(input, now) {
      for (;;) {
        const reservation = await reserveOnce(input, now);
        if (reservation) return reservation;
      }
    },
    async findByKey(sendKey) {
      const row = await findByKey(db, sendKey);
      return row ? toEntry(row) : null;
    },
    async markSent(id, receipt, now, follows) {
      if (follows && (follows.jobs?.length || follows.decision)) return markSentAndFollowing(id, receipt, now, follows);
      await db.query(`
        UPDATE messages SET status = $2, provider = $3, provider_message_id = $4, sent_at = $5, updated_at = $5 WHERE id = $1`,
      [id, sentStatus(receipt.status), receipt.provider, receipt.providerMessageId, now]);
    },
    async markFailed(id, code, message, now) {
      await db.query(`UPDATE messages SET status = 'failed', error_code = $2, error_message = $3, updated_at = $4 WHERE id = $1`, [id, code, message, now]);
    },
    async markUnknown(id, message, now) {
      await db.query(`UPDATE messages SET status = 'unknown', error_message = $2, updated_at = $3 WHERE id = $1 AND status = 'sending'`, [id, message, now]);
    },
    async release(id) {
      await db.query(`DELETE FROM messages WHERE id = $1 AND status = 'sending'`, [id]);
    },
    async lastTextedAt(locationId, phone) {
      const { rows } = await db.query<{ at: number | null }>(`
        SELECT MAX(created_at) AS at FROM messages
        WHERE location_id = $1 AND phone = $2 AND kind IN ('textback', 'followup') AND status <> 'failed'`, [locationId, phone]);
      return rows[0].at;
    },
    async hasTexted(locationId, phone) {
      const { rows } = await db.query(`SELECT 1 FROM messages WHERE location_id = $1 AND phone = $2 AND status <> 'failed' LIMIT 1`, [locationId, phone]);
      return rows.length > 0;
    },
    async lastSentOfKind(locationId, phone, kind) {
      const { rows } = await db.query<{ at: number | null }>(`
        SELECT MAX(created_at) AS at FROM messages WHERE location_id = $1 AND phone = $2 AND kind = $3 AND status <> 'failed'`,
      [locationId, phone, kind]);
      return rows[0].at;
    },
    /**
     * At start-up: reservations an instance that died left behind may have been sent; they are marked, never resent.
     * Other instances keep running, so only reservations older than `interruptedAfterMs` (see INTERRUPTED_AFTER_MS)
     * are touched: a live instance's send in flight is left to it.
     */
    async markInterruptedUnknown(now) {
      const result = await db.query(`
        UPDATE messages SET status = 'unknown', error_message = 'interrupted between reserve and send; never resent', updated_at = $1
        WHERE status = 'sending' AND created_at < $2`, [now, now - interruptedAfterMs]);
      return result.rowCount ?? 0;
    },
  };
}
