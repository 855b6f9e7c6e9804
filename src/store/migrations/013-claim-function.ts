// Migration 13: nothing on SQLite. PostgreSQL migration 13 (src/store/postgres/migrations/013-claim-function.ts) puts
// its queue's claim in a function planned once per connection; SQLite claims with its own statements and needs none.
// It exists so that a version means one schema on both engines.
export const sql = /* sql */ `
-- no change
`;
