// PostgreSQL twin of SQLite migration 7: line-type facts kept per location, and the app-wide Twilio senders the
// operator assigned to a location. line_types (migration 3) is no longer read or written; migrations only add.
export const sql = /* sql */ `
CREATE TABLE location_line_types (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  line_type    TEXT NOT NULL,           -- mobile, landline, voip, other
  source       TEXT NOT NULL,           -- lookup, or error:<provider code>
  checked_at   BIGINT NOT NULL,
  PRIMARY KEY (location_id, phone)
);
CREATE INDEX location_line_types_checked ON location_line_types (checked_at);

-- A sender of the app-wide Twilio account handed to one location by the operator. One location per sender.
CREATE TABLE app_senders (
  sender       TEXT PRIMARY KEY,        -- E.164 number, or a Messaging Service SID (MG…)
  location_id  TEXT NOT NULL,
  assigned_by  TEXT NOT NULL,           -- cli
  assigned_at  BIGINT NOT NULL
);
CREATE INDEX app_senders_location ON app_senders (location_id);
`;
