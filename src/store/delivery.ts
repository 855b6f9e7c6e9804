// Delivery status on the send ledger (messages table): found by the provider's message id, moved forward only.
import type { Db } from './db.js';
import type { LedgerStatus } from '../workflow/ports/storage.js';

export interface SentMessage {
  id: number;
  locationId: string;
  phone: string;
  provider: string;
  status: LedgerStatus;
  sentAt: number | null;
}

/** A delivery status the ledger records; the order is the order a text goes through. */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

// 'sending' is the ledger's own reservation state; 'unknown' means it may have gone out. Final states share a rank:
// the first final status reported wins, and nothing ever moves a text back to an earlier state.
const RANK_SQL = `CASE status WHEN 'sending' THEN 0 WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'unknown' THEN 2 ELSE 3 END`;
const RANK: Record<DeliveryStatus, number> = { queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

export const isFinalStatus = (status: string): boolean => status === 'delivered' || status === 'undelivered' || status === 'failed';

export type DeliveryLog = ReturnType<typeof createDeliveryLog>;

export function createDeliveryLog(db: Db) {
  const byProviderId = db.prepare(`
    SELECT id, location_id AS locationId, phone, provider, status, sent_at AS sentAt FROM messages
    WHERE provider_message_id = ? AND provider = ? ORDER BY id DESC LIMIT 1`);
  const advance = db.prepare(`
    UPDATE messages SET status = @status, error_code = COALESCE(@code, error_code), error_message = COALESCE(@message, error_message),
      updated_at = @now
    WHERE id = @id AND ${RANK_SQL} < @rank`);

  return {
    findByProviderMessageId(provider: string, providerMessageId: string): SentMessage | null {
      return (byProviderId.get(providerMessageId, provider) as SentMessage | undefined) ?? null;
    },
    /** Records a later status; false when the text is already at that stage or beyond (an out-of-order report). */
    advance(id: number, status: DeliveryStatus, error: { code: string | null; message: string | null }, now: number): boolean {
      return advance.run({ id, status, code: error.code, message: error.message, rank: RANK[status], now }).changes === 1;
    },
  };
}
