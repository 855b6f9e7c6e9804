// Migration 14: a lease on a token's refresh, so that of several instances about to refresh the same expired token
// only one uses its refresh token (HighLevel rotates it: a second use is refused, and a grant whose old refresh token
// comes back may be treated as stolen). src/highlevel/access-tokens.ts takes it; a rotation or a new grant clears it.
export const sql = /* sql */ `
-- Until when one process is refreshing this row's token (ms since the epoch); NULL: nobody is.
ALTER TABLE tokens ADD COLUMN refresh_lease_until INTEGER;
`;
