// Migration 13: nothing on SQLite. PostgreSQL migration 13 (src/store/postgres/migrations/013-planned-once.ts) puts
// its queue's claim and completion in functions planned once per connection; SQLite needs none.
// It exists so that a version means one schema on both engines.
export const sql = /* sql */ `
-- no change
`;
