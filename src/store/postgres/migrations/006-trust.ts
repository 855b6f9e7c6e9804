// PostgreSQL twin of SQLite migration 6: shared rate-limit counters, first uses of HighLevel user contexts, and the
// Twilio message ids already processed. On PostgreSQL these rows are what every instance shares.
export const sql = /* sql */ `
-- One row per rate-limit bucket: every instance counts in the same row; pruned once expires_at has passed.
CREATE TABLE rate_counters (
  bucket            TEXT PRIMARY KEY,
  window_started_at BIGINT NOT NULL,
  hits              INTEGER NOT NULL,
  expires_at        BIGINT NOT NULL
);
CREATE INDEX rate_counters_expiry ON rate_counters (expires_at);

-- When each encrypted user context (keyed by the SHA-256 of the payload, never the payload) was first exchanged.
CREATE TABLE user_context_uses (
  payload_hash  TEXT PRIMARY KEY,
  first_used_at BIGINT NOT NULL
);
CREATE INDEX user_context_uses_first_used ON user_context_uses (first_used_at);

-- Twilio MessageSids of inbound texts already accepted. No number, no words, no location: kept for good.
CREATE TABLE twilio_processed_messages (
  message_sid TEXT PRIMARY KEY,
  received_at BIGINT NOT NULL
);
`;
