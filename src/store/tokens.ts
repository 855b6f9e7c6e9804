// OAuth tokens per location or company, sealed at rest; refreshes are saved with a compare-and-swap.
import type { Db } from './db.js';
import {
  TOKEN_WITH_INSTALL_STATE, toStoredToken, toTokenWithInstallState, type OwnerType, type TokenGrant, type StoredToken, type TokenRow,
  type TokenWithInstallState, type TokenWithInstallStateRow,
} from './rows/tokens.js';

export type { OwnerType, TokenGrant, StoredToken, TokenWithInstallState };

export interface SecretBox {
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
}

export type TokenStore = ReturnType<typeof createTokenStore>;

export function createTokenStore(db: Db, box: SecretBox) {
  const select = db.prepare('SELECT * FROM tokens WHERE owner_id = ?');
  const selectWithInstallState = db.prepare(TOKEN_WITH_INSTALL_STATE('?'));
  const upsert = db.prepare(`
    INSERT INTO tokens (owner_id, owner_type, company_id, access_token, refresh_token, expires_at, scope, user_id, needs_reconnect, reconnect_reason, updated_at)
    VALUES (@ownerId, @ownerType, @companyId, @accessToken, @refreshToken, @expiresAt, @scope, @userId, 0, NULL, @now)
    ON CONFLICT (owner_id) DO UPDATE SET owner_type = excluded.owner_type, company_id = excluded.company_id,
      access_token = excluded.access_token, refresh_token = excluded.refresh_token, expires_at = excluded.expires_at,
      scope = excluded.scope, user_id = excluded.user_id, needs_reconnect = 0, reconnect_reason = NULL, updated_at = excluded.updated_at,
      refresh_lease_until = NULL`);
  // A minted location token must not replace a row written meanwhile (the location's own install, another instance's mint).
  const insertNew = db.prepare(`
    INSERT INTO tokens (owner_id, owner_type, company_id, access_token, refresh_token, expires_at, scope, user_id, needs_reconnect, reconnect_reason, updated_at)
    VALUES (@ownerId, @ownerType, @companyId, @accessToken, @refreshToken, @expiresAt, @scope, @userId, 0, NULL, @now)
    ON CONFLICT (owner_id) DO NOTHING`);
  // The CAS: only the process holding the refresh token it just used may write the rotated pair. A rotation proves the
  // grant alive, so it also undoes a reconnect mark another process set on the same token while this one was saving.
  const swap = db.prepare(`
    UPDATE tokens SET access_token = @accessToken, refresh_token = @refreshToken, expires_at = @expiresAt,
      scope = COALESCE(@scope, scope), needs_reconnect = 0, reconnect_reason = NULL, updated_at = @now, refresh_lease_until = NULL
    WHERE owner_id = @ownerId AND COALESCE(refresh_token, access_token) = @revision`);
  // The refresh lease (migration 014): taken only on the row still at `revision` and when nobody else holds it.
  const lease = db.prepare(`
    UPDATE tokens SET refresh_lease_until = @until
    WHERE owner_id = @ownerId AND COALESCE(refresh_token, access_token) = @revision
      AND (refresh_lease_until IS NULL OR refresh_lease_until <= @now)`);
  const endLease = db.prepare(`
    UPDATE tokens SET refresh_lease_until = NULL WHERE owner_id = @ownerId AND COALESCE(refresh_token, access_token) = @revision`);
  // With a revision, the same CAS: a refused refresh token marks the row only while the row still holds that token.
  const reconnect = db.prepare(`
    UPDATE tokens SET needs_reconnect = 1, reconnect_reason = @reason, updated_at = @now
    WHERE owner_id = @ownerId AND (@revision IS NULL OR COALESCE(refresh_token, access_token) = @revision)`);
  const remove = db.prepare('DELETE FROM tokens WHERE owner_id = ?');
  const idle = db.prepare(`
    SELECT owner_id AS ownerId, owner_type AS ownerType FROM tokens
    WHERE refresh_token IS NOT NULL AND needs_reconnect = 0 AND updated_at < ? ORDER BY updated_at LIMIT ?`);
  const companies = db.prepare(`SELECT owner_id FROM tokens WHERE owner_type = 'Company' AND needs_reconnect = 0 ORDER BY updated_at DESC`).pluck();
  const removeMinted = db.prepare(`DELETE FROM tokens WHERE company_id = ? AND owner_type = 'Location' AND refresh_token IS NULL`);
  const newest = db.prepare('SELECT owner_id AS ownerId, owner_type AS ownerType FROM tokens ORDER BY updated_at DESC LIMIT 1');
  const reconnecting = db.prepare(`
    SELECT owner_id AS ownerId, owner_type AS ownerType, reconnect_reason AS reason FROM tokens WHERE needs_reconnect = 1 ORDER BY owner_id`);

  const sealGrant = (grant: TokenGrant) => ({
    accessToken: box.seal(grant.accessToken, grant.ownerId),
    refreshToken: grant.refreshToken === null ? null : box.seal(grant.refreshToken, grant.ownerId),
  });

  return {
    get(ownerId: string): StoredToken | null {
      const row = select.get(ownerId) as TokenRow | undefined;
      return row ? toStoredToken(row, box) : null;
    },
    /**
     * A location's token with its install state, as get() and the location store's installState() answer them, read
     * in one statement: what each HighLevel request on a location's behalf checks (src/highlevel/access-tokens.ts).
     */
    getWithInstallState(locationId: string): TokenWithInstallState {
      return toTokenWithInstallState(selectWithInstallState.get(locationId) as TokenWithInstallStateRow, box);
    },
    /** A fresh grant (install, reconnect, minted location token): replaces whatever was stored. */
    save(grant: TokenGrant, now: number): void {
      upsert.run({ ...grant, ...sealGrant(grant), scope: grant.scope ?? null, userId: grant.userId ?? null, now });
    },
    /** Stores the grant only when the owner has no row yet, in one statement; false means a row was already there. */
    insertIfAbsent(grant: TokenGrant, now: number): boolean {
      return insertNew.run({ ...grant, ...sealGrant(grant), scope: grant.scope ?? null, userId: grant.userId ?? null, now }).changes === 1;
    },
    /** Saves a refreshed grant only if the row still holds the token that was refreshed; false means someone else won. */
    swap(revision: string, grant: TokenGrant, now: number): boolean {
      return swap.run({ ownerId: grant.ownerId, revision, ...sealGrant(grant), expiresAt: grant.expiresAt, scope: grant.scope ?? null, now }).changes === 1;
    },
    /**
     * Takes the right to refresh the token read at `revision` until `until`: false when the row has moved on or
     * another process holds an unexpired lease (it is using the refresh token now; wait for its rotation instead).
     */
    leaseRefresh(ownerId: string, revision: string, until: number, now: number): boolean {
      return lease.run({ ownerId, revision, until, now }).changes === 1;
    },
    /** Gives the lease back without a rotation (the refresh failed); a rotation (swap) or a new grant clears it too. */
    endRefreshLease(ownerId: string, revision: string): void {
      endLease.run({ ownerId, revision });
    },
    /**
     * Flags the install for reconnecting. With `revision`, only if the row still holds the token read at that revision
     * (HighLevel refused it, and nobody has rotated it since); false means nothing was marked.
     */
    markNeedsReconnect(ownerId: string, reason: string, now: number, revision?: string): boolean {
      return reconnect.run({ ownerId, reason, now, revision: revision ?? null }).changes === 1;
    },
    delete(ownerId: string): void {
      remove.run(ownerId);
    },
    /** Refreshable tokens nobody has refreshed since `before` (idle installs whose refresh token would age out). */
    idleSince(before: number, limit: number): { ownerId: string; ownerType: OwnerType }[] {
      return idle.all(before, limit) as { ownerId: string; ownerType: OwnerType }[];
    },
    /** Agencies whose install is usable (a Company token that does not need reconnecting). */
    activeCompanyIds(): string[] {
      return companies.all() as string[];
    },
    /** Forgets every location token minted from a company's token (the company uninstalled). */
    deleteMintedForCompany(companyId: string): void {
      removeMinted.run(companyId);
    },
    /** The owner of the token saved most recently (to try a key on), without opening it; null when none is stored. */
    newestOwner(): { ownerId: string; ownerType: OwnerType } | null {
      return (newest.get() as { ownerId: string; ownerType: OwnerType } | undefined) ?? null;
    },
    /** Installations HighLevel no longer accepts the app's authorisation for, by owner id. */
    needingReconnect(): { ownerId: string; ownerType: OwnerType; reason: string | null }[] {
      return reconnecting.all() as { ownerId: string; ownerType: OwnerType; reason: string | null }[];
    },
  };
}
