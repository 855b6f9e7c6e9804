// Migration 9: the webhookIds of HighLevel events already accepted, kept apart from the job queue so that pruning
// finished jobs, erasing a number or purging a location never lets a redelivery of the same event through again.
export const sql = /* sql */ `
-- One row per accepted event: 'webhook:' + its webhookId (or a hash of the body when it has none). No number, no
-- words, no location. HighLevel re-sends the same payload for up to about an hour; rows are kept 7 days.
CREATE TABLE webhook_receipts (
  dedupe_key  TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_receipts_received ON webhook_receipts (received_at);
`;
