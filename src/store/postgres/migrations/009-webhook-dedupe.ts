// PostgreSQL twin of SQLite migration 9: the webhookIds of HighLevel events already accepted, kept apart from the job
// queue so that pruning jobs never lets a redelivery of the same event through again.
export const sql = /* sql */ `
CREATE TABLE webhook_receipts (
  dedupe_key  TEXT PRIMARY KEY,
  received_at BIGINT NOT NULL
);
CREATE INDEX webhook_receipts_received ON webhook_receipts (received_at);
`;
