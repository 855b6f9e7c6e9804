// The tokens table's row and the StoredToken it reads as, shared by the SQLite and PostgreSQL token stores.
import type { SecretBox } from '../../lib/crypto.js';
import type { LocationRecord } from './locations.js';

export type OwnerType = 'Location' | 'Company';

export interface TokenGrant {
  ownerId: string;
  ownerType: OwnerType;
  companyId: string | null;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  scope?: string | null;
  userId?: string | null;
}

/** A grant as stored, with its reconnect state. */
export interface StoredToken extends TokenGrant {
  scope: string | null;
  userId: string | null;
  needsReconnect: boolean;
  reconnectReason: string | null;
  /** Opaque compare-and-swap handle: the refresh must be saved against the row it was read from. */
  revision: string;
}

export interface TokenRow {
  owner_id: string; owner_type: OwnerType; company_id: string | null; access_token: string;
  refresh_token: string | null; expires_at: number; scope: string | null; user_id: string | null;
  needs_reconnect: number; reconnect_reason: string | null;
}

export function toStoredToken(row: TokenRow, box: Pick<SecretBox, 'open'>): StoredToken {
  // The refresh token is opened only when asked for: every HighLevel request reads the row for its access token.
  let refreshToken: string | null | undefined;
  return {
    ownerId: row.owner_id,
    ownerType: row.owner_type,
    companyId: row.company_id,
    accessToken: box.open(row.access_token, row.owner_id),
    get refreshToken(): string | null {
      if (refreshToken === undefined) refreshToken = row.refresh_token === null ? null : box.open(row.refresh_token, row.owner_id);
      return refreshToken;
    },
    expiresAt: row.expires_at,
    scope: row.scope,
    userId: row.user_id,
    needsReconnect: row.needs_reconnect === 1,
    reconnectReason: row.reconnect_reason,
    revision: row.refresh_token ?? row.access_token,
  };
}

/** A location's token and install state, read together (TokenStore.getWithInstallState). */
export interface TokenWithInstallState {
  token: StoredToken | null;
  /** What the location store's installState() answers: null when the location is unknown. */
  installState: Pick<LocationRecord, 'status' | 'companyId'> | null;
}

/**
 * An owner's token row and, when the owner is a location, its install state: always one row (the id drives two outer
 * joins), so either half may be all nulls. The same statement on both engines; `param` is the placeholder.
 */
export const TOKEN_WITH_INSTALL_STATE = (param: string): string => /* sql */ `
  SELECT l.status AS install_status, l.company_id AS install_company_id, t.owner_id, t.owner_type, t.company_id,
    t.access_token, t.refresh_token, t.expires_at, t.scope, t.user_id, t.needs_reconnect, t.reconnect_reason
  FROM (SELECT ${param} AS id) k
  LEFT JOIN locations l ON l.location_id = k.id
  LEFT JOIN tokens t ON t.owner_id = k.id`;

export type TokenWithInstallStateRow = { [K in keyof TokenRow]: TokenRow[K] | null } & {
  install_status: LocationRecord['status'] | null; install_company_id: string | null;
};

export function toTokenWithInstallState(row: TokenWithInstallStateRow, box: Pick<SecretBox, 'open'>): TokenWithInstallState {
  return {
    token: row.owner_id === null ? null : toStoredToken(row as TokenRow, box),
    installState: row.install_status === null ? null : { status: row.install_status, companyId: row.install_company_id },
  };
}
