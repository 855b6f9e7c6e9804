// HighLevel events already accepted, by dedupe key (webhookId), on PostgreSQL: a redelivery within the keep period is
// stored once, on whichever instance it lands (see src/store/webhook-receipts.ts).
import { DAY } from '../../lib/clock.js';
import type { AsyncStore } from '../async-store.js';
import { WEBHOOK_RECEIPT_KEEP_DAYS, type WebhookReceipts } from '../webhook-receipts.js';
import type { Postgres } from './pool.js';
import { rememberKeys, type ReceiptLog, type ReceiptTable } from './receipt-keys.js';

const TABLE: ReceiptTable = { table: 'webhook_receipts', key: 'dedupe_key' };

/** Old keys are deleted this many per statement: each DELETE is short and holds its row locks briefly. */
const PRUNE_BATCH = 5_000;

export type PostgresWebhookReceipts = AsyncStore<WebhookReceipts> & ReceiptLog;

export function createPostgresWebhookReceipts(pg: Pick<Postgres, 'pool'>): PostgresWebhookReceipts {
  const db = pg.pool;
  return {
    async remember(key, at) {
      return (await db.query('INSERT INTO webhook_receipts (dedupe_key, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, at])).rowCount === 1;
    },
    table: TABLE,
    rememberAll: (keys, at, client = db) => rememberKeys(client, TABLE, keys, at),
    async prune(now, dryRun = false) {
      const before = now - WEBHOOK_RECEIPT_KEEP_DAYS * DAY;
      if (dryRun) return (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_receipts WHERE received_at < $1', [before])).rows[0].n;
      let total = 0;
      for (;;) {
        const { rowCount } = await db.query(`
          DELETE FROM webhook_receipts WHERE dedupe_key IN (
            SELECT dedupe_key FROM webhook_receipts WHERE received_at < $1 LIMIT $2)`, [before, PRUNE_BATCH]);
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < PRUNE_BATCH) return total;
      }
    },
  };
}
