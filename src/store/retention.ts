// The retention rules on the database: message, call and reply records expire after RETENTION_MONTHS; a location that
// uninstalled loses everything UNINSTALL_PURGE_DAYS later except its suppression list; finished jobs go after 7 days,
// and so do accepted webhookIds (whatever the jobs' setting: HighLevel's redeliveries must stay duplicates).
import type { Db } from './db.js';
import { DAY } from '../lib/clock.js';
import { createWebhookReceipts } from './webhook-receipts.js';

export interface RetentionPolicy {
  retentionMonths: number;
  uninstallPurgeDays: number;
  finishedJobsKeepDays: number;
}

export interface RetentionReport {
  dryRun: boolean;
  cutoffs: { recordsBefore: number; uninstalledBefore: number; finishedJobsBefore: number };
  /** Records older than the retention period (all locations), and cached line-type lookups older than 180 days. */
  expired: { messages: number; calls: number; replies: number; lookups: number };
  /** Locations (and agencies) whose uninstall is older than the purge delay: every row of theirs but suppressions. */
  purged: { locations: string[]; companies: string[]; rows: Record<string, number> };
  jobsPruned: number;
  /** HighLevel webhookIds older than WEBHOOK_RECEIPT_KEEP_DAYS (whatever finishedJobsKeepDays says). */
  receiptsPruned: number;
}

/** Kept when a location is purged, so nobody it was told to stop texting is ever texted again. */
export const KEPT_AFTER_PURGE = ['suppressions', 'suppression_history', 'suppression_sources', 'opt_ins', 'app_dnd'];

// Expiring records and the time each one is aged by. Messages go first: they point at calls.
const EXPIRING = [
  { table: 'messages', at: 'created_at' },
  { table: 'calls', at: 'occurred_at' },
  { table: 'replies', at: 'received_at' },
] as const;

/** The line-type cache (migration 7, per location) is trusted for 180 days; older facts are dropped here. */
export const LOOKUP_MAX_AGE_DAYS = 180;

/** `months` calendar months before `at` (UTC), clamped to the month's last day (31 March − 1 month = 28/29 February). */
export function monthsBefore(at: number, months: number): number {
  const date = new Date(at);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return target.getTime();
}

export function retentionCutoffs(policy: RetentionPolicy, now: number): RetentionReport['cutoffs'] {
  return {
    recordsBefore: monthsBefore(now, policy.retentionMonths),
    uninstalledBefore: now - policy.uninstallPurgeDays * DAY,
    finishedJobsBefore: now - policy.finishedJobsKeepDays * DAY,
  };
}

export type Retention = ReturnType<typeof createRetention>;

export function createRetention(db: Db, queue: { prune(before: number): number }, options: { batchSize?: number; pause?: () => Promise<void> } = {}) {
  const batchSize = options.batchSize ?? 5_000;
  // Large purges run in batches and give the event loop back in between, so webhooks keep being acknowledged.
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const countPrunable = db.prepare(`SELECT COUNT(*) FROM jobs WHERE status IN ('done', 'failed', 'cancelled') AND finished_at < ?`).pluck();
  const dueLocations = db.prepare(`SELECT location_id FROM locations WHERE status = 'uninstalled' AND uninstalled_at < ? ORDER BY uninstalled_at`).pluck();
  const dueCompanies = db.prepare(`SELECT company_id FROM companies WHERE uninstalled_at IS NOT NULL AND uninstalled_at < ? ORDER BY uninstalled_at`).pluck();
  const deleteCompany = db.prepare('DELETE FROM companies WHERE company_id = ?');
  const deleteToken = db.prepare('DELETE FROM tokens WHERE owner_id = ?');
  const countToken = db.prepare('SELECT COUNT(*) FROM tokens WHERE owner_id = ?').pluck();
  const receipts = createWebhookReceipts(db);

  const hasTable = (name: string) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(name) === 1;

  async function expire(table: string, at: string, before: number, dryRun: boolean): Promise<number> {
    if (dryRun) return db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${at} < ?`).pluck().get(before) as number;
    const batch = db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${at} < ? LIMIT ?)`);
    let total = 0;
    for (;;) {
      const removed = batch.run(before, batchSize).changes;
      total += removed;
      if (removed < batchSize) return total;
      await pause();
    }
  }

  /** Every table with a location_id column (this migration's and later ones'), minus the kept ones; `locations` last. */
  function locationTables(): string[] {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    const keyed = tables.filter((name) => !KEPT_AFTER_PURGE.includes(name) && name !== 'locations'
      && (db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').pluck().get(name, 'location_id') === 1));
    // Children before parents: the send ledger points at calls.
    keyed.sort((a, b) => (a === 'messages' ? -1 : b === 'messages' ? 1 : 0));
    return [...keyed, 'locations'];
  }

  function purgeLocation(locationId: string, dryRun: boolean, rows: Record<string, number>): void {
    const run = () => {
      for (const table of locationTables()) {
        const sql = dryRun ? `SELECT COUNT(*) FROM ${table} WHERE location_id = ?` : `DELETE FROM ${table} WHERE location_id = ?`;
        const n = dryRun ? db.prepare(sql).pluck().get(locationId) as number : db.prepare(sql).run(locationId).changes;
        rows[table] = (rows[table] ?? 0) + n;
      }
      // Tokens are deleted at uninstall already; this catches one a crash left behind.
      rows.tokens = (rows.tokens ?? 0) + (dryRun ? countToken.get(locationId) as number : deleteToken.run(locationId).changes);
    };
    if (dryRun) run();
    else db.transaction(run).immediate();
  }

  return {
    async run(policy: RetentionPolicy, now: number, options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
      const dryRun = options.dryRun ?? false;
      const cutoffs = retentionCutoffs(policy, now);
      const expired = { messages: 0, calls: 0, replies: 0, lookups: 0 };
      for (const { table, at } of EXPIRING) expired[table] = await expire(table, at, cutoffs.recordsBefore, dryRun);
      if (hasTable('location_line_types')) expired.lookups = await expire('location_line_types', 'checked_at', now - LOOKUP_MAX_AGE_DAYS * DAY, dryRun);
      // Migration 3's shared cache is read by nothing since migration 7 and belongs to no location: it goes whole.
      if (hasTable('line_types')) expired.lookups += await expire('line_types', 'checked_at', Number.MAX_SAFE_INTEGER, dryRun);

      const rows: Record<string, number> = {};
      const locations = dueLocations.all(cutoffs.uninstalledBefore) as string[];
      for (const locationId of locations) {
        purgeLocation(locationId, dryRun, rows);
        await pause();
      }
      const companies = dueCompanies.all(cutoffs.uninstalledBefore) as string[];
      if (!dryRun) {
        db.transaction(() => {
          for (const companyId of companies) { deleteCompany.run(companyId); deleteToken.run(companyId); }
        }).immediate();
      }

      const jobsPruned = dryRun ? countPrunable.get(cutoffs.finishedJobsBefore) as number : queue.prune(cutoffs.finishedJobsBefore);
      const receiptsPruned = receipts.prune(now, dryRun);
      return { dryRun, cutoffs, expired, purged: { locations, companies, rows }, jobsPruned, receiptsPruned };
    },
  };
}
