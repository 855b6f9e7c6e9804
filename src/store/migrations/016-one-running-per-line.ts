// Migration 16: nothing on SQLite. PostgreSQL migration 16 (src/store/postgres/migrations/016-one-running-per-line.ts)
// makes the database refuse a second running job in a caller's line, which two instances' claims with different
// snapshots could otherwise both take; SQLite's one process claims one statement at a time, so its claim alone keeps
// the line. It exists so that a version means one schema on both engines.
export const sql = /* sql */ `
-- no change
`;
