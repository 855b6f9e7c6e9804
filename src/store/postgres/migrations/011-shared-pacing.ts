// PostgreSQL twin of SQLite migration 11 (src/store/migrations/011-shared-pacing.ts): HighLevel request slots shared by
// every instance (docs/decisions/0012).
export const sql = /* sql */ `
-- One row per location (or company): the expiry (epoch ms) of each request slot still counting against HighLevel's
-- 100 requests / 10 s, and the hold after a 429. reservation: the token of the last granted reservation.
CREATE TABLE pacing_slots (
  owner_id      TEXT PRIMARY KEY,
  expiries      BIGINT[] NOT NULL DEFAULT '{}',
  blocked_until BIGINT NOT NULL DEFAULT 0,
  reservation   TEXT,
  updated_at    BIGINT NOT NULL
);
`;
