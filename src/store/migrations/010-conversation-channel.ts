// Migration 10: Twilio texts as messages of the contact's HighLevel conversation (the app's custom conversation
// channel), and the ProviderOutboundMessage ids already accepted at the delivery URL.
export const sql = /* sql */ `
-- One row per text that goes into a HighLevel conversation: a text the app sent through Twilio (origin app), a text
-- a caller sent to the location's Twilio number (caller), or a message staff typed in the channel (staff, already in
-- HighLevel). HighLevel's add-message call has no idempotency key, so the row is written BEFORE the call and moves
-- pending → posting → posted; a call whose answer was lost leaves it 'unknown', and it is never made again.
-- No phone number and no words: those stay in the send ledger (messages) or were never kept (callers' texts).
CREATE TABLE conversation_messages (
  id              INTEGER PRIMARY KEY,
  location_id     TEXT NOT NULL,
  message_key     TEXT NOT NULL UNIQUE,   -- out:<Twilio SID>, in:<Twilio SID>, staff:<HighLevel messageId>
  origin          TEXT NOT NULL CHECK (origin IN ('app', 'caller', 'staff')),
  twilio_sid      TEXT,
  contact_id      TEXT,
  conversation_id TEXT,
  hl_message_id   TEXT,                   -- HighLevel's messageId once posted (given, for staff messages)
  state           TEXT NOT NULL CHECK (state IN ('pending', 'posting', 'posted', 'unknown', 'failed')),
  -- HighLevel's four statuses: the latest Twilio reported (mapped), and the last one HighLevel accepted from us.
  wanted_status   TEXT NOT NULL DEFAULT 'pending' CHECK (wanted_status IN ('pending', 'delivered', 'failed', 'read')),
  pushed_status   TEXT CHECK (pushed_status IN ('pending', 'delivered', 'failed', 'read')),
  error_code      TEXT,                   -- why it failed (refused staff message, failed post), shown in HighLevel
  error_message   TEXT,
  push_error      TEXT,                   -- the last status update HighLevel would not take, when it gave up
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX conversation_messages_sid ON conversation_messages (twilio_sid) WHERE twilio_sid IS NOT NULL;
CREATE INDEX conversation_messages_location ON conversation_messages (location_id, created_at);

-- ProviderOutboundMessage ids accepted at the delivery URL, kept for good: the delivery carries no timestamp, so a
-- replayed signed request could otherwise send a staff message again at any time. Only the id and a time.
CREATE TABLE provider_outbound_receipts (
  message_id  TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) STRICT;
`;
