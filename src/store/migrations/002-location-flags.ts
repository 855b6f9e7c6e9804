// Migration 2: facts the app notices about a location by itself (HighLevel's own text-back also answering), and a
// time-ordered index on suppression changes for the activity log and statistics.
export const sql = /* sql */ `
CREATE TABLE location_flags (
  location_id   TEXT NOT NULL,
  flag          TEXT NOT NULL,          -- e.g. native-textback
  first_seen_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  hits          INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (location_id, flag)
) STRICT;

CREATE INDEX suppression_history_location_time ON suppression_history (location_id, at);
`;
