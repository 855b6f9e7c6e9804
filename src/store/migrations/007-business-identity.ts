// Migration 7: line-type facts kept per location (a location's Twilio lookups are its own), and the app-wide Twilio
// senders the operator assigned to a location. The shared `line_types` table of migration 3 is no longer read or
// written (migrations only add); the retention job empties it.
export const sql = /* sql */ `
-- What kind of line a number is, as one location learned it (its Twilio lookup, or an error from its sends).
CREATE TABLE location_line_types (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  line_type    TEXT NOT NULL,           -- mobile, landline, voip, other
  source       TEXT NOT NULL,           -- lookup, or error:<provider code>
  checked_at   INTEGER NOT NULL,
  PRIMARY KEY (location_id, phone)
) STRICT;
CREATE INDEX location_line_types_checked ON location_line_types (checked_at);

-- A sender of the app-wide Twilio account (TWILIO_ACCOUNT_SID) handed to one location by the operator
-- (npm run textback -- assign-sender). One location per sender: replies to it must be attributable.
CREATE TABLE app_senders (
  sender       TEXT PRIMARY KEY,        -- E.164 number, or a Messaging Service SID (MG…)
  location_id  TEXT NOT NULL,
  assigned_by  TEXT NOT NULL,           -- cli
  assigned_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX app_senders_location ON app_senders (location_id);
`;
