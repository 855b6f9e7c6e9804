// PostgreSQL twin of SQLite migration 5: every source holding a suppressed number, the caller's last opt-in, the SMS
// DND the app itself set in HighLevel, and the answer a caller's text is still owed.
export const sql = /* sql */ `
-- Every source holding a suppressed number. The number stays in suppressions while at least one source holds it.
CREATE TABLE suppression_sources (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  source       TEXT NOT NULL CHECK (source IN ('keyword', 'link', 'provider', 'web', 'dnd', 'manual')),
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (location_id, phone, source)
);
-- Numbers suppressed before this migration keep their one source.
INSERT INTO suppression_sources (location_id, phone, source, created_at)
  SELECT location_id, phone, source, created_at FROM suppressions
  WHERE source IN ('keyword', 'link', 'provider', 'web', 'dnd', 'manual');

-- When the caller last opted back in, by the time of their text: a HighLevel DND update older than it is ignored.
CREATE TABLE opt_ins (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  opted_in_at  BIGINT NOT NULL,
  PRIMARY KEY (location_id, phone)
);

-- SMS DND the app set in HighLevel itself (on STOP): only this DND is lifted again on START.
CREATE TABLE app_dnd (
  location_id  TEXT NOT NULL,
  contact_id   TEXT NOT NULL,
  phone        TEXT NOT NULL,
  set_at       BIGINT NOT NULL,
  PRIMARY KEY (location_id, contact_id)
);
CREATE INDEX app_dnd_phone ON app_dnd (location_id, phone);

-- The answer a caller's text is owed: 'pending' until the text's rule has run, then the kind of answer still owed,
-- then 'done'. Rows from before this migration were handled.
ALTER TABLE replies ADD COLUMN answer TEXT NOT NULL DEFAULT 'done';
`;
