// OAuth tokens per location or company on PostgreSQL, sealed at rest; a refresh is saved with a compare-and-swap that
// lets exactly one instance write each rotation (docs/decisions/0003).
import type { AsyncStore } from '../async-store.js';
import type { OwnerType, SecretBox, TokenGrant, TokenStore } from '../tokens.js';
import { TOKEN_WITH_INSTALL_STATE, toStoredToken, toTokenWithInstallState, type TokenRow, type TokenWithInstallStateRow } from '../rows/tokens.js';
import type { Postgres } from './pool.js';

type Owner = { ownerId: string; ownerType: OwnerType };

const UPSERT = /* sql */ `
  INSERT INTO tokens (owner_id, owner_type, company_id, access_token, refresh_token, expires_at, scope, user_id, needs_reconnect, reconnect_reason, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL, $9)
  ON CONFLICT (owner_id) DO UPDATE SET owner_type = EXCLUDED.owner_type, company_id = EXCLUDED.company_id,
    access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token, expires_at = EXCLUDED.expires_at,
    scope = EXCLUDED.scope, user_id = EXCLUDED.user_id, needs_reconnect = 0, reconnect_reason = NULL, updated_at = EXCLUDED.updated_at,
    refresh_lease_until = NULL`;

// One statement: of two instances inserting the same owner at once, the unique key makes the second wait for the
// first's commit and then do nothing (rowCount 0), so exactly one stores.
const INSERT_IF_ABSENT = /* sql */ `
  INSERT INTO tokens (owner_id, owner_type, company_id, access_token, refresh_token, expires_at, scope, user_id, needs_reconnect, reconnect_reason, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL, $9)
  ON CONFLICT (owner_id) DO NOTHING`;

// The CAS is one statement, so no explicit lock: the UPDATE locks the row, and a second instance's UPDATE of the same
// row waits for the first to commit, then re-checks its WHERE against the committed row (READ COMMITTED's re-check).
// The winner changed refresh_token, so the loser's revision no longer matches and it changes nothing. A rotation proves
// the grant alive, so it also undoes a reconnect mark another instance set on the same token while this one was saving.
const SWAP = /* sql */ `
  UPDATE tokens SET access_token = $3, refresh_token = $4, expires_at = $5, scope = COALESCE($6, scope),
    needs_reconnect = 0, reconnect_reason = NULL, updated_at = $7, refresh_lease_until = NULL
  WHERE owner_id = $1 AND COALESCE(refresh_token, access_token) = $2`;

// The refresh lease (migration 014), one statement: of two instances taking it at once, the second's UPDATE waits for
// the first to commit and re-checks its WHERE against the leased row, so exactly one gets it.
const LEASE_REFRESH = /* sql */ `
  UPDATE tokens SET refresh_lease_until = $3
  WHERE owner_id = $1 AND COALESCE(refresh_token, access_token) = $2 AND (refresh_lease_until IS NULL OR refresh_lease_until <= $4)`;

// With a revision, the same CAS (and the same re-check after a concurrent swap commits): a refused refresh token marks
// the row only while the row still holds that token.
const MARK_NEEDS_RECONNECT = /* sql */ `
  UPDATE tokens SET needs_reconnect = 1, reconnect_reason = $2, updated_at = $3
  WHERE owner_id = $1 AND ($4::text IS NULL OR COALESCE(refresh_token, access_token) = $4::text)`;

// One statement for the two reads every HighLevel request on a location's behalf makes (token, install state).
const WITH_INSTALL_STATE = TOKEN_WITH_INSTALL_STATE('$1::text');

export type PostgresTokenStore = AsyncStore<TokenStore>;

export function createPostgresTokenStore(pg: Pick<Postgres, 'pool'>, box: SecretBox): PostgresTokenStore {
  const db = pg.pool;
  const sealGrant = (grant: TokenGrant) => ({
    accessToken: box.seal(grant.accessToken, grant.ownerId),
    refreshToken: grant.refreshToken === null ? null : box.seal(grant.refreshToken, grant.ownerId),
  });

  return {
    async get(ownerId) {
      const { rows } = await db.query<TokenRow>('SELECT * FROM tokens WHERE owner_id = $1', [ownerId]);
      return rows[0] ? toStoredToken(rows[0], box) : null;
    },
    async getWithInstallState(locationId) {
      const { rows } = await db.query<TokenWithInstallStateRow>(WITH_INSTALL_STATE, [locationId]);
      return toTokenWithInstallState(rows[0], box);
    },
    async save(grant, now) {
      const sealed = sealGrant(grant);
      await db.query(UPSERT, [grant.ownerId, grant.ownerType, grant.companyId, sealed.accessToken, sealed.refreshToken,
        grant.expiresAt, grant.scope ?? null, grant.userId ?? null, now]);
    },
    async insertIfAbsent(grant, now) {
      const sealed = sealGrant(grant);
      const result = await db.query(INSERT_IF_ABSENT, [grant.ownerId, grant.ownerType, grant.companyId, sealed.accessToken,
        sealed.refreshToken, grant.expiresAt, grant.scope ?? null, grant.userId ?? null, now]);
      return result.rowCount === 1;
    },
    async swap(revision, grant, now) {
      const sealed = sealGrant(grant);
      const result = await db.query(SWAP, [grant.ownerId, revision, sealed.accessToken, sealed.refreshToken, grant.expiresAt, grant.scope ?? null, now]);
      return result.rowCount === 1;
    },
    async leaseRefresh(ownerId, revision, until, now) {
      return (await db.query(LEASE_REFRESH, [ownerId, revision, until, now])).rowCount === 1;
    },
    async endRefreshLease(ownerId, revision) {
      await db.query('UPDATE tokens SET refresh_lease_until = NULL WHERE owner_id = $1 AND COALESCE(refresh_token, access_token) = $2', [ownerId, revision]);
    },
    async markNeedsReconnect(ownerId, reason, now, revision) {
      const result = await db.query(MARK_NEEDS_RECONNECT, [ownerId, reason, now, revision ?? null]);
      return result.rowCount === 1;
    },
    async delete(ownerId) {
      await db.query('DELETE FROM tokens WHERE owner_id = $1', [ownerId]);
    },
    async idleSince(before, limit) {
      const { rows } = await db.query<Owner>(`
        SELECT owner_id AS "ownerId", owner_type AS "ownerType" FROM tokens
        WHERE refresh_token IS NOT NULL AND needs_reconnect = 0 AND updated_at < $1 ORDER BY updated_at LIMIT $2`, [before, limit]);
      return rows;
    },
    async activeCompanyIds() {
      const { rows } = await db.query<{ owner_id: string }>(
        `SELECT owner_id FROM tokens WHERE owner_type = 'Company' AND needs_reconnect = 0 ORDER BY updated_at DESC`);
      return rows.map((row) => row.owner_id);
    },
    async deleteMintedForCompany(companyId) {
      await db.query(`DELETE FROM tokens WHERE company_id = $1 AND owner_type = 'Location' AND refresh_token IS NULL`, [companyId]);
    },
    async newestOwner() {
      const { rows } = await db.query<Owner>('SELECT owner_id AS "ownerId", owner_type AS "ownerType" FROM tokens ORDER BY updated_at DESC LIMIT 1');
      return rows[0] ?? null;
    },
    async needingReconnect() {
      const { rows } = await db.query<Owner & { reason: string | null }>(`
        SELECT owner_id AS "ownerId", owner_type AS "ownerType", reconnect_reason AS reason FROM tokens
        WHERE needs_reconnect = 1 ORDER BY owner_id COLLATE "C"`);
      return rows;
    },
  };
}
