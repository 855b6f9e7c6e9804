// Migration 15: nothing on SQLite. PostgreSQL migration 15 (src/store/postgres/migrations/015-claim-by-level.ts)
// gives its claim an index per priority level (PostgreSQL only: the schema test lists it apart); SQLite's claim
// chooses its own indexes by name (migration 8) and needs none.
// It exists so that a version means one schema on both engines.
export const sql = /* sql */ `
-- no change
`;
