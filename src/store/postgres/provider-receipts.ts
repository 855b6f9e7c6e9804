// ProviderOutboundMessage ids already accepted at the delivery URL, on PostgreSQL, kept for good (see
// src/store/provider-receipts.ts): shaped like the webhook receipts, so the inbox can commit either with its jobs.
import type { AsyncStore } from '../async-store.js';
import type { ProviderReceipts } from '../provider-receipts.js';
import type { Postgres } from './pool.js';
import { rememberKeys, type ReceiptLog, type ReceiptTable } from './receipt-keys.js';

const TABLE: ReceiptTable = { table: 'provider_outbound_receipts', key: 'message_id' };

export type PostgresProviderReceipts = AsyncStore<ProviderReceipts> & ReceiptLog;

export function createPostgresProviderReceipts(pg: Pick<Postgres, 'pool'>): PostgresProviderReceipts {
  const db = pg.pool;
  return {
    async remember(messageId, at) {
      return (await db.query('INSERT INTO provider_outbound_receipts (message_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [messageId, at])).rowCount === 1;
    },
    table: TABLE,
    rememberAll: (keys, at, client = db) => rememberKeys(client, TABLE, keys, at),
  };
}
