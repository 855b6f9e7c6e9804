// Migration 1: installations, tokens, settings, calls, the send ledger, suppressions, the job queue, the audit log.
export const sql = /* sql */ `
CREATE TABLE companies (
  company_id     TEXT PRIMARY KEY,
  name           TEXT,
  installed_at   INTEGER NOT NULL,
  uninstalled_at INTEGER,
  agency_defaults TEXT            -- JSON settings patch new locations of this agency inherit
) STRICT;

CREATE TABLE locations (
  location_id    TEXT PRIMARY KEY,
  company_id     TEXT,
  status         TEXT NOT NULL CHECK (status IN ('installed', 'uninstalled')),
  name           TEXT,
  time_zone      TEXT,
  phone          TEXT,
  settings       TEXT NOT NULL,   -- JSON, LocationSettingsSchema
  plan_id        TEXT,
  trial          TEXT,            -- JSON as HighLevel sent it
  profile_synced_at INTEGER,
  installed_at   INTEGER NOT NULL,
  uninstalled_at INTEGER,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX locations_company ON locations (company_id);

-- A location's own sending numbers: never text them (loops between locations using the app).
CREATE TABLE location_numbers (
  location_id TEXT NOT NULL REFERENCES locations (location_id) ON DELETE CASCADE,
  phone       TEXT NOT NULL,
  PRIMARY KEY (location_id, phone)
) STRICT;
CREATE INDEX location_numbers_phone ON location_numbers (phone);

-- OAuth tokens, sealed with AES-256-GCM. owner_id is a locationId or companyId.
CREATE TABLE tokens (
  owner_id       TEXT PRIMARY KEY,
  owner_type     TEXT NOT NULL CHECK (owner_type IN ('Location', 'Company')),
  company_id     TEXT,
  access_token   TEXT NOT NULL,
  refresh_token  TEXT,            -- NULL for location tokens minted from a Company token
  expires_at     INTEGER NOT NULL,
  scope          TEXT,
  user_id        TEXT,
  needs_reconnect INTEGER NOT NULL DEFAULT 0,
  reconnect_reason TEXT,
  updated_at     INTEGER NOT NULL
) STRICT;

-- One row per inbound call event the app saw, with what it decided.
CREATE TABLE calls (
  id           INTEGER PRIMARY KEY,
  location_id  TEXT NOT NULL,
  call_key     TEXT NOT NULL,     -- HighLevel messageId of the call (the same call under many webhookIds)
  contact_id   TEXT,
  phone        TEXT,
  status       TEXT NOT NULL,     -- the call status HighLevel reported
  missed       INTEGER NOT NULL,
  occurred_at  INTEGER NOT NULL,
  decision     TEXT NOT NULL,     -- e.g. texted, deferred, skipped:suppressed, ignored:answered
  decision_at  INTEGER NOT NULL,
  followup     TEXT,              -- pending, sent, cancelled:<why>, skipped:<why>, failed:<why>
  followup_at  INTEGER,
  UNIQUE (location_id, call_key)
) STRICT;
CREATE INDEX calls_location_time ON calls (location_id, occurred_at);
CREATE INDEX calls_location_phone ON calls (location_id, phone, occurred_at);

-- The send ledger: a row is reserved BEFORE the provider is called, so a crash can never cause a second send.
CREATE TABLE messages (
  id           INTEGER PRIMARY KEY,
  location_id  TEXT NOT NULL,
  send_key     TEXT NOT NULL UNIQUE,  -- e.g. textback:<location>:<call>, followup:<location>:<call>
  kind         TEXT NOT NULL,         -- textback, followup, help, opt-out-confirmation, opt-in-confirmation, test
  call_id      INTEGER REFERENCES calls (id) ON DELETE SET NULL,
  contact_id   TEXT,
  phone        TEXT NOT NULL,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL,         -- sending, sent, failed, unknown, then delivery: queued, delivered, undelivered
  provider     TEXT NOT NULL,
  provider_message_id TEXT,
  error_code   TEXT,
  error_message TEXT,
  segments     INTEGER,
  created_at   INTEGER NOT NULL,
  sent_at      INTEGER,
  updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_location_phone ON messages (location_id, phone, created_at);
CREATE INDEX messages_location_time ON messages (location_id, created_at);
CREATE INDEX messages_sending ON messages (status) WHERE status = 'sending';
CREATE INDEX messages_provider_id ON messages (provider_message_id) WHERE provider_message_id IS NOT NULL;

-- Inbound texts from callers: only what they meant, never their words.
CREATE TABLE replies (
  id           INTEGER PRIMARY KEY,
  location_id  TEXT NOT NULL,
  reply_key    TEXT NOT NULL,
  contact_id   TEXT,
  phone        TEXT NOT NULL,
  meaning      TEXT NOT NULL,         -- opt-out, help, opt-in, reply
  received_at  INTEGER NOT NULL,
  UNIQUE (location_id, reply_key)
) STRICT;
CREATE INDEX replies_location_time ON replies (location_id, received_at);
CREATE INDEX replies_location_phone ON replies (location_id, phone, received_at);

-- Numbers that must never be texted by a location. Kept indefinitely, even after uninstall.
CREATE TABLE suppressions (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  source       TEXT NOT NULL,         -- keyword, manual, dnd, provider, web
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (location_id, phone)
) STRICT;

CREATE TABLE suppression_history (
  id           INTEGER PRIMARY KEY,
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  action       TEXT NOT NULL CHECK (action IN ('suppress', 'lift')),
  source       TEXT NOT NULL,
  reason       TEXT,
  actor        TEXT,
  at           INTEGER NOT NULL
) STRICT;
CREATE INDEX suppression_history_number ON suppression_history (location_id, phone, at);

-- The durable job queue: webhook events, follow-ups, catch-up scans, housekeeping.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  location_id  TEXT,
  subject      TEXT,                  -- the phone number or contact a job concerns (serialisation, cancellation)
  dedupe_key   TEXT UNIQUE,
  payload      TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  run_at       INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 8,
  lease_until  INTEGER,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER
) STRICT;
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';
CREATE INDEX jobs_subject ON jobs (location_id, subject, kind) WHERE status = 'pending';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('done', 'failed', 'cancelled');

CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  location_id  TEXT,
  actor        TEXT NOT NULL,         -- user id, 'highlevel', 'system', 'cli'
  action       TEXT NOT NULL,
  detail       TEXT,                  -- JSON, never message bodies or full phone numbers
  at           INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_location ON audit_log (location_id, at);
`;
