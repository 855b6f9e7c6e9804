// Migration 6: trust at the HTTP edges: shared rate-limit counters, first uses of HighLevel user contexts, and the
// Twilio message ids already processed (kept beyond erasure and retention, so a replayed signed text changes nothing).
export const sql = /* sql */ `
-- One row per rate-limit bucket (limiter name + a hash of the client address, location id…): every instance counts
-- in the same row. The window starts at the bucket's first hit; rows are pruned once expires_at has passed.
CREATE TABLE rate_counters (
  bucket            TEXT PRIMARY KEY,
  window_started_at INTEGER NOT NULL,
  hits              INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX rate_counters_expiry ON rate_counters (expires_at);

-- When each encrypted user context (keyed by the SHA-256 of the payload, never the payload) was first exchanged;
-- a context first used more than 12 hours ago opens no session.
CREATE TABLE user_context_uses (
  payload_hash  TEXT PRIMARY KEY,
  first_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX user_context_uses_first_used ON user_context_uses (first_used_at);

-- Twilio MessageSids of inbound texts already accepted. No number, no words, no location: kept for good.
CREATE TABLE twilio_processed_messages (
  message_sid TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) STRICT;
`;
