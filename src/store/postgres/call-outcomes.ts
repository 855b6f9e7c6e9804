// What became of a call and the replies after it, on PostgreSQL: the twin of src/store/call-outcomes.ts (read-only,
// for the sandbox page).
import type { AsyncStore } from '../async-store.js';
import type { CallOutcomes, CallSighting } from '../call-outcomes.js';
import type { Postgres } from './pool.js';

export type PostgresCallOutcomes = ReturnType<typeof createPostgresCallOutcomes>;

export function createPostgresCallOutcomes(pg: Pick<Postgres, 'pool'>) {
  const db = pg.pool;
  const first = async <R extends object>(text: string, values: unknown[]): Promise<R | null> =>
    ((await db.query(text, values)).rows[0] as R | undefined) ?? null;
  const exists = async (text: string, values: unknown[]): Promise<boolean> => ((await db.query(text, values)).rowCount ?? 0) > 0;

  return {
    call: (locationId: string, callKey: string) => first<CallSighting>(`
      SELECT decision, followup AS "followUp", occurred_at AS "occurredAt", phone FROM calls WHERE location_id = $1 AND call_key = $2`,
    [locationId, callKey]),
    /** The job with this dedupe key, whatever its state (finished jobs stay until retention prunes them). */
    job: (dedupeKey: string) => first<{ status: string; runAt: number }>('SELECT status, run_at AS "runAt" FROM jobs WHERE dedupe_key = $1', [dedupeKey]),
    replyMeaning: async (locationId: string, replyKey: string) =>
      (await first<{ meaning: string }>('SELECT meaning FROM replies WHERE location_id = $1 AND reply_key = $2', [locationId, replyKey]))?.meaning ?? null,
    /** A text from the caller that was a reply (not STOP, HELP or START) received at or after `since`. */
    repliedSince: (locationId: string, phone: string, since: number) => exists(`
      SELECT 1 FROM replies WHERE location_id = $1 AND phone = $2 AND received_at >= $3 AND meaning = 'reply' LIMIT 1`, [locationId, phone, since]),
    /** A call from the number, answered, after `since`. */
    answeredSince: (locationId: string, phone: string, since: number) => exists(`
      SELECT 1 FROM calls WHERE location_id = $1 AND phone = $2 AND occurred_at > $3 AND decision = 'ignored:answered' LIMIT 1`, [locationId, phone, since]),
  } satisfies AsyncStore<CallOutcomes>;
}
