// Delivery status on the send ledger (messages table) on PostgreSQL: found by the provider's message id, moved forward
// only (see src/store/delivery.ts for the order).
import type { AsyncStore } from '../async-store.js';
import type { DeliveryLog, DeliveryStatus, SentMessage } from '../delivery.js';
import type { Postgres } from './pool.js';

const RANK_SQL = `CASE status WHEN 'sending' THEN 0 WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'unknown' THEN 2 ELSE 3 END`;
const RANK: Record<DeliveryStatus, number> = { queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

export type PostgresDeliveryLog = AsyncStore<DeliveryLog>;

export function createPostgresDeliveryLog(pg: Pick<Postgres, 'pool'>): PostgresDeliveryLog {
  const db = pg.pool;
  return {
    async findByProviderMessageId(provider, providerMessageId) {
      const { rows } = await db.query<SentMessage>(`
        SELECT id, location_id AS "locationId", phone, provider, status, sent_at AS "sentAt" FROM messages
        WHERE provider_message_id = $1 AND provider = $2 ORDER BY id DESC LIMIT 1`, [providerMessageId, provider]);
      return rows[0] ?? null;
    },
    async advance(id, status, error, now) {
      // One statement, no explicit lock: two status callbacks racing on one text serialise on the row lock, and the
      // second re-checks the rank against the first one's committed status, so the ledger never moves back.
      const result = await db.query(`
        UPDATE messages SET status = $2, error_code = COALESCE($3, error_code), error_message = COALESCE($4, error_message), updated_at = $6
        WHERE id = $1 AND ${RANK_SQL} < $5`, [id, status, error.code, error.message, RANK[status], now]);
      return result.rowCount === 1;
    },
  };
}
