// Remembering event ids on PostgreSQL (webhook_receipts, provider_outbound_receipts): many in one statement, on the
// pool or on the client of the caller's transaction (the inbox commits receipts and jobs together).
import type { Queryable } from './pool.js';

/** A receipts table: its name and its key column. */
export interface ReceiptTable { table: string; key: string }

export interface ReceiptLog {
  /** Where the keys are kept (the inbox writes receipts and jobs in one statement). */
  table: ReceiptTable;
  /**
   * Remembers the keys; for each, true the first time it is seen (a key repeated within `keys` counts once, first).
   * `db`: the client of a transaction to commit with (default: the store's pool, committed at once).
   */
  rememberAll(keys: readonly string[], at: number, db?: Queryable): Promise<boolean[]>;
}

/**
 * Inserts in key order: two transactions remembering overlapping keys take their index locks in the same order, so
 * one waits for the other (and then sees its keys as already seen) instead of deadlocking.
 */
export async function rememberKeys(db: Queryable, into: ReceiptTable, keys: readonly string[], at: number): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const distinct = [...new Set(keys)];
  const { rows } = await db.query<{ key: string }>(`
    INSERT INTO ${into.table} (${into.key}, received_at)
    SELECT key, $2 FROM unnest($1::text[]) AS input (key) ORDER BY key
    ON CONFLICT DO NOTHING
    RETURNING ${into.key} AS key`, [distinct, at]);
  const fresh = new Set(rows.map((row) => row.key));
  return keys.map((key) => fresh.delete(key));
}
