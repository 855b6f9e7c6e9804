// PostgreSQL twin of SQLite migration 4: sub-accounts no agency install lists, and the white-label domains agencies
// serve HighLevel from.
export const sql = /* sql */ `
-- A location id events arrived for that no agency's GET /oauth/installedLocations listed: not asked again before
-- retry_after. Only definite answers are kept; an INSTALL for it clears the row.
CREATE TABLE unclaimed_locations (
  location_id  TEXT PRIMARY KEY,
  checked_at   BIGINT NOT NULL,
  retry_after  BIGINT NOT NULL
);

-- White-label CRM origins (https://<whitelabelDetails.domain>) of agencies that installed the app.
CREATE TABLE frame_origins (
  origin       TEXT PRIMARY KEY,      -- scheme + host (+ port), as a browser's Referer/Origin names it
  company_id   TEXT,                  -- the agency whose INSTALL named it
  learned_at   BIGINT NOT NULL
);
`;
