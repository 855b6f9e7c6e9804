// Migration 9: (placeholder, filled by the change that needs it; a no-op until then).
export const sql = /* sql */ `
SELECT 1;
`;
