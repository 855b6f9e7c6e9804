// Migration 5: whose opt-out it is (every source holding a suppressed number), the caller's last opt-in, the SMS DND
// the app itself set in HighLevel, and the answer a caller's text is still owed (a retried job answers it).
export const sql = /* sql */ `
-- Every source holding a suppressed number (keyword, link, provider, web, dnd, manual). The number stays in
-- suppressions while at least one source holds it; who may lift depends on the sources (src/workflow/opt-out-ownership.ts).
CREATE TABLE suppression_sources (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  source       TEXT NOT NULL CHECK (source IN ('keyword', 'link', 'provider', 'web', 'dnd', 'manual')),
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (location_id, phone, source)
) STRICT;
-- Numbers suppressed before this migration keep their one source.
INSERT INTO suppression_sources (location_id, phone, source, created_at)
  SELECT location_id, phone, source, created_at FROM suppressions
  WHERE source IN ('keyword', 'link', 'provider', 'web', 'dnd', 'manual');

-- When the caller last opted back in (START, UNSTOP, YES while suppressed), by the time of their text: a HighLevel
-- DND update older than it is a late delivery and is ignored.
CREATE TABLE opt_ins (
  location_id  TEXT NOT NULL,
  phone        TEXT NOT NULL,
  opted_in_at  INTEGER NOT NULL,
  PRIMARY KEY (location_id, phone)
) STRICT;

-- SMS DND the app set in HighLevel itself (on STOP): only this DND is lifted again on START, never DND staff set.
CREATE TABLE app_dnd (
  location_id  TEXT NOT NULL,
  contact_id   TEXT NOT NULL,
  phone        TEXT NOT NULL,
  set_at       INTEGER NOT NULL,
  PRIMARY KEY (location_id, contact_id)
) STRICT;
CREATE INDEX app_dnd_phone ON app_dnd (location_id, phone);

-- The answer a caller's text is owed: 'pending' until the text's rule has run, then the kind of answer still owed
-- (help, opt-out-confirmation, opt-in-confirmation), then 'done'. Rows from before this migration were handled.
ALTER TABLE replies ADD COLUMN answer TEXT NOT NULL DEFAULT 'done';
`;
