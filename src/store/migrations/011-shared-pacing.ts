// Migration 11: the table several instances share their HighLevel pacing through (docs/decisions/0012). SQLite keeps
// it empty: one process owns the database and paces in memory. It exists so that a version means one schema on both
// engines (src/store/postgres/migrations/011-shared-pacing.ts uses it).
export const sql = /* sql */ `
CREATE TABLE pacing_slots (
  owner_id      TEXT PRIMARY KEY,
  expiries      TEXT NOT NULL DEFAULT '[]',
  blocked_until INTEGER NOT NULL DEFAULT 0,
  reservation   TEXT,
  updated_at    INTEGER NOT NULL
);
`;
