// ProviderOutboundMessage ids already accepted at the delivery URL, kept for good (never pruned, never erased): the
// delivery has no timestamp or webhookId, so its messageId is all that stops a redelivery or a replay sending twice.
import type { Db } from './db.js';

export type ProviderReceipts = ReturnType<typeof createProviderReceipts>;

export function createProviderReceipts(db: Db) {
  const remember = db.prepare(`INSERT INTO provider_outbound_receipts (message_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  return {
    /** True the first time a messageId is seen, false ever after. Shaped like the webhook receipts (for the inbox). */
    remember: (messageId: string, at: number): boolean => remember.run(messageId, at).changes === 1,
  };
}
