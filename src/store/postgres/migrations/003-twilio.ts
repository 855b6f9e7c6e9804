// PostgreSQL twin of SQLite migration 3: a location's own Twilio account (secrets sealed) and the per-number line-type
// cache.
export const sql = /* sql */ `
-- credentials is AES-256-GCM sealed JSON bound to the location id; only the last four characters of the SIDs are
-- kept in clear, for display.
CREATE TABLE twilio_accounts (
  location_id           TEXT PRIMARY KEY REFERENCES locations (location_id) ON DELETE CASCADE,
  use_app_account       INTEGER NOT NULL CHECK (use_app_account IN (0, 1)),  -- 1: the app-wide TWILIO_* account
  credentials           TEXT,            -- NULL when use_app_account = 1
  account_sid_last4     TEXT,
  api_key_sid_last4     TEXT,
  has_auth_token        INTEGER NOT NULL DEFAULT 0,
  messaging_service_sid TEXT,            -- exactly one of messaging_service_sid / from_number
  from_number           TEXT,
  verified_at           BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  CHECK ((messaging_service_sid IS NULL) <> (from_number IS NULL))
);
CREATE INDEX twilio_accounts_from_number ON twilio_accounts (from_number) WHERE from_number IS NOT NULL;
CREATE INDEX twilio_accounts_service ON twilio_accounts (messaging_service_sid) WHERE messaging_service_sid IS NOT NULL;

-- What kind of line a number is, from a Twilio Lookup or learned from a provider error; trusted for 180 days.
CREATE TABLE line_types (
  phone        TEXT PRIMARY KEY,
  line_type    TEXT NOT NULL,           -- mobile, landline, voip, other
  source       TEXT NOT NULL,           -- lookup, or error:<provider code>
  checked_at   BIGINT NOT NULL
);
CREATE INDEX line_types_checked ON line_types (checked_at);
`;
