// PostgreSQL twin of SQLite migration 2: facts the app notices about a location by itself, and a time-ordered index
// on suppression changes.
export const sql = /* sql */ `
CREATE TABLE location_flags (
  location_id   TEXT NOT NULL,
  flag          TEXT NOT NULL,          -- e.g. native-textback
  first_seen_at BIGINT NOT NULL,
  last_seen_at  BIGINT NOT NULL,
  hits          INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (location_id, flag)
);

CREATE INDEX suppression_history_location_time ON suppression_history (location_id, at);
`;
