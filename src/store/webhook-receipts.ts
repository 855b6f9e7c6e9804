// HighLevel events already accepted, by dedupe key (webhookId): a redelivery within the keep period is stored once,
// however the job that carried the first delivery has since been pruned or erased. Only the key and a time are kept.
import type { Db } from './db.js';
import { DAY } from '../lib/clock.js';

/** HighLevel redelivers for about an hour (six tries ~10 min apart); a week leaves room for clock skew and replays. */
export const WEBHOOK_RECEIPT_KEEP_DAYS = 7;

export type WebhookReceipts = ReturnType<typeof createWebhookReceipts>;

export function createWebhookReceipts(db: Db) {
  const remember = db.prepare(`INSERT INTO webhook_receipts (dedupe_key, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  const countOld = db.prepare(`SELECT COUNT(*) FROM webhook_receipts WHERE received_at < ?`).pluck();
  const prune = db.prepare(`DELETE FROM webhook_receipts WHERE received_at < ?`);
  return {
    /** True the first time a key is seen (within the keep period), false for a repeat. */
    remember: (key: string, at: number): boolean => remember.run(key, at).changes === 1,
    /** Forgets keys older than WEBHOOK_RECEIPT_KEEP_DAYS before `now`; a dry run only counts them. */
    prune(now: number, dryRun = false): number {
      const before = now - WEBHOOK_RECEIPT_KEEP_DAYS * DAY;
      return dryRun ? countOld.get(before) as number : prune.run(before).changes;
    },
  };
}
