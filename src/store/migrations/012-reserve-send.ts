// Migration 12: nothing on SQLite. PostgreSQL migration 12 (src/store/postgres/migrations/012-reserve-send.ts) adds
// the function its send ledger reserves through; SQLite reserves in one local transaction and needs none. It exists
// so that a version means one schema on both engines.
export const sql = /* sql */ `
-- no change
`;
