// PostgreSQL migration 14: the refresh lease of SQLite migration 14 (src/store/migrations/014-refresh-lease.ts).
export const sql = /* sql */ `
-- Until when one instance is refreshing this row's token (ms since the epoch); NULL: nobody is.
ALTER TABLE tokens ADD COLUMN refresh_lease_until BIGINT;
`;
