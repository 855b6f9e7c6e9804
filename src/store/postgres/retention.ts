// The retention rules on PostgreSQL: the twin of src/store/retention.ts (same policy, cutoffs and report). Every delete
// runs in bounded batches, each its own short transaction, so no statement holds many row locks or a long snapshot
// while the other instances keep taking webhooks; a run stopped half-way is finished by the next one.
import type { AsyncStore } from '../async-store.js';
import { KEPT_AFTER_PURGE, LOOKUP_MAX_AGE_DAYS, retentionCutoffs, type Retention, type RetentionPolicy, type RetentionReport } from '../retention.js';
import { WEBHOOK_RECEIPT_KEEP_DAYS } from '../webhook-receipts.js';
import { DAY } from '../../lib/clock.js';
import { transaction, type Postgres, type Queryable } from './pool.js';

export interface PostgresRetentionOptions {
  /** Rows one delete removes at most (default 5,000). */
  batchSize?: number;
}

// Expiring records, the time each is aged by and its key. Messages go first: they point at calls.
const EXPIRING = [
  { table: 'messages', at: 'created_at', key: 'id' },
  { table: 'calls', at: 'occurred_at', key: 'id' },
  { table: 'replies', at: 'received_at', key: 'id' },
] as const;
const FINISHED_JOBS = `status IN ('done', 'failed', 'cancelled') AND finished_at < $1`;
// The location's uninstall is still the one that made it due: an INSTALL in between (it updates this row) stops the purge.
const LOCK_DUE_LOCATION = `SELECT 1 FROM locations WHERE location_id = $1 AND status = 'uninstalled' AND uninstalled_at < $2 FOR UPDATE`;

/**
 * Finished jobs are pruned here, in batches, rather than through the queue's one-statement prune: a week of jobs can be
 * millions of rows. (The SQLite factory's `queue` argument has no counterpart.)
 */
export type PostgresRetention = ReturnType<typeof createPostgresRetention>;

export function createPostgresRetention(pg: Pick<Postgres, 'pool'>, options: PostgresRetentionOptions = {}) {
  const db = pg.pool;
  const batchSize = options.batchSize ?? 5_000;
  const count = async (q: Queryable, text: string, values: unknown[]) => (await q.query(text, values)).rowCount ?? 0;
  const countWhere = async (table: string, where: string, values: unknown[]) =>
    (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, values)).rows[0].n;

  /** Deletes `table`'s rows matching `where`, `batchSize` at a time, until none is left; a dry run counts them. */
  async function deleteInBatches(table: string, key: string, where: string, values: unknown[], dryRun: boolean): Promise<number> {
    if (dryRun) return countWhere(table, where, values);
    let total = 0;
    for (;;) {
      const removed = await count(db, `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${batchSize})`, values);
      total += removed;
      if (removed === 0) return total;
    }
  }

  async function hasTable(name: string): Promise<boolean> {
    return (await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name])).rows[0].found;
  }

  /** Every table with a location_id column (this migration's and later ones'), minus the kept ones; `locations` last. */
  async function locationTables(): Promise<string[]> {
    const { rows } = await db.query<{ name: string }>(`
      SELECT c.table_name AS name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() AND c.column_name = 'location_id' ORDER BY c.table_name`);
    const keyed = rows.map((row) => row.name).filter((name) => !KEPT_AFTER_PURGE.includes(name) && name !== 'locations');
    // Children before parents: the send ledger points at calls.
    keyed.sort((a, b) => (a === 'messages' ? -1 : b === 'messages' ? 1 : 0));
    return [...keyed, 'locations'];
  }

  /**
   * Deletes one location's rows table by table, a batch per transaction, each batch first locking the location's row
   * (FOR UPDATE) and re-checking that it is still due: a re-install waits at most one batch, and the purge stops then.
   * The ctids are locked by the batch's own sub-select, so none changes before the delete finds it. True when purged.
   */
  async function purgeLocation(locationId: string, uninstalledBefore: number, dryRun: boolean, rows: Record<string, number>): Promise<boolean> {
    const tables = await locationTables();
    if (dryRun) {
      for (const table of tables) rows[table] = (rows[table] ?? 0) + await countWhere(table, 'location_id = $1', [locationId]);
      rows.tokens = (rows.tokens ?? 0) + await countWhere('tokens', 'owner_id = $1', [locationId]);
      return true;
    }
    const due = [locationId, uninstalledBefore];
    for (const table of tables.slice(0, -1)) {
      for (;;) {
        const removed = await transaction(db, async (client) => {
          if ((await client.query(LOCK_DUE_LOCATION, due)).rowCount === 0) return null;
          return count(client, `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM ${table} WHERE location_id = $1 LIMIT ${batchSize} FOR UPDATE))`, [locationId]);
        });
        if (removed === null) return false;
        rows[table] = (rows[table] ?? 0) + removed;
        if (removed === 0) break;
      }
    }
    return transaction(db, async (client) => {
      if ((await client.query(LOCK_DUE_LOCATION, due)).rowCount === 0) return false;
      // Tokens are deleted at uninstall already; this catches one a crash left behind.
      rows.tokens = (rows.tokens ?? 0) + await count(client, 'DELETE FROM tokens WHERE owner_id = $1', [locationId]);
      rows.locations = (rows.locations ?? 0) + await count(client, 'DELETE FROM locations WHERE location_id = $1', [locationId]);
      return true;
    });
  }

  /** The agency's row and its Company token, in one transaction, unless an INSTALL cleared its uninstall meanwhile. */
  async function purgeCompany(companyId: string, uninstalledBefore: number): Promise<void> {
    await transaction(db, async (client) => {
      const deleted = await count(client, 'DELETE FROM companies WHERE company_id = $1 AND uninstalled_at IS NOT NULL AND uninstalled_at < $2', [companyId, uninstalledBefore]);
      if (deleted > 0) await client.query('DELETE FROM tokens WHERE owner_id = $1', [companyId]);
    });
  }

  return {
    async run(policy: RetentionPolicy, now: number, runOptions: { dryRun?: boolean } = {}): Promise<RetentionReport> {
      const dryRun = runOptions.dryRun ?? false;
      const cutoffs = retentionCutoffs(policy, now);
      const expired = { messages: 0, calls: 0, replies: 0, lookups: 0 };
      for (const { table, at, key } of EXPIRING) expired[table] = await deleteInBatches(table, key, `${at} < $1`, [cutoffs.recordsBefore], dryRun);
      if (await hasTable('location_line_types')) {
        expired.lookups = await deleteInBatches('location_line_types', 'location_id, phone', 'checked_at < $1', [now - LOOKUP_MAX_AGE_DAYS * DAY], dryRun);
      }
      // Migration 3's shared cache is read by nothing since migration 7 and belongs to no location: it goes whole.
      if (await hasTable('line_types')) expired.lookups += await deleteInBatches('line_types', 'phone', 'checked_at < $1', [Number.MAX_SAFE_INTEGER], dryRun);

      const rows: Record<string, number> = {};
      const due = await db.query<{ id: string }>(`
        SELECT location_id AS id FROM locations WHERE status = 'uninstalled' AND uninstalled_at < $1 ORDER BY uninstalled_at`, [cutoffs.uninstalledBefore]);
      const locations: string[] = [];
      for (const { id } of due.rows) if (await purgeLocation(id, cutoffs.uninstalledBefore, dryRun, rows)) locations.push(id);
      const dueCompanies = await db.query<{ id: string }>(`
        SELECT company_id AS id FROM companies WHERE uninstalled_at IS NOT NULL AND uninstalled_at < $1 ORDER BY uninstalled_at`, [cutoffs.uninstalledBefore]);
      const companies = dueCompanies.rows.map((row) => row.id);
      if (!dryRun) for (const companyId of companies) await purgeCompany(companyId, cutoffs.uninstalledBefore);

      const jobsPruned = await deleteInBatches('jobs', 'id', FINISHED_JOBS, [cutoffs.finishedJobsBefore], dryRun);
      const receiptsPruned = await deleteInBatches('webhook_receipts', 'dedupe_key', 'received_at < $1', [now - WEBHOOK_RECEIPT_KEEP_DAYS * DAY], dryRun);
      return { dryRun, cutoffs, expired, purged: { locations, companies, rows }, jobsPruned, receiptsPruned };
    },
  } satisfies AsyncStore<Retention>;
}
