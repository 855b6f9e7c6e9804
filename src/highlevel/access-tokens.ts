// A usable HighLevel access token per location or company: refreshed ahead of expiry, one refresh per owner at a time,
// saved with the token store's compare-and-swap because refresh tokens rotate (the old one dies on use).
import { MINUTE, type Clock } from '../lib/clock.js';
import { HighLevelApiError, NotInstalledError, ReconnectRequiredError, errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { OwnerType, StoredToken, TokenGrant } from '../store/tokens.js';
import type { LocationStorePort, TokenStorePort } from '../store/storage.js';
import { OAuthError, type OAuthClient, type TokenResponse } from './oauth-client.js';

export interface RefreshOutcome {
  ownerId: string;
  ownerType: OwnerType;
  /** lost-race: another process saved a newer token first, and that one is used. */
  result: 'refreshed' | 'minted' | 'lost-race' | 'needs-reconnect' | 'failed';
}

export interface AccessTokensDeps {
  tokens: Pick<TokenStorePort, 'get' | 'getWithInstallState' | 'insertIfAbsent' | 'swap' | 'markNeedsReconnect' | 'leaseRefresh' | 'endRefreshLease'>;
  locations: Pick<LocationStorePort, 'get'>;
  oauth: Pick<OAuthClient, 'refresh' | 'mintLocationToken'>;
  clock: Clock;
  logger: Logger;
  /** Refresh this long before expiry, so a token never expires mid-request. */
  refreshSkewMs?: number;
  /**
   * After invalid_grant on a token the row still holds, wait this long for another process's rotation of it to be
   * saved before marking the install for reconnect (HighLevel kills the old token before that process's save commits).
   */
  rotationGraceMs?: number;
  /** Production: a real timer; tests: advance a manual clock. */
  sleep?(ms: number): Promise<void>;
  /**
   * For an installed location with neither a token nor an agency recorded (an INSTALL that named no company): the
   * agency whose install lists it, recorded on the location, or null. Throws a retryable error when HighLevel is unsure.
   */
  findAgency?(locationId: string): Promise<string | null>;
  onRefresh?(outcome: RefreshOutcome): void;
}

export interface AccessTokens {
  /** Throws NotInstalledError, ReconnectRequiredError, or a retryable HighLevelApiError when HighLevel is unreachable. */
  forLocation(locationId: string): Promise<string>;
  forCompany(companyId: string): Promise<string>;
  /** HighLevel answered 401 to `rejectedAccessToken`: a token other than it, refreshed if no one already did. */
  afterUnauthorized(ownerId: string, rejectedAccessToken: string): Promise<string>;
  /** The owner's tokens were deleted here (an uninstall): its next request reads the row. Without an id: every owner. */
  forget(ownerId?: string): void;
}

/**
 * How long a location's fresh token, once read, is used again without reading its row: the requests of one missed
 * call (its contact, its send) read it once, one statement fewer per call on PostgreSQL. Short, because another
 * instance may uninstall the location or mark it for reconnect meanwhile: HighLevel refuses a revoked token, and
 * that 401 drops it here at once (afterUnauthorized reads the row again).
 */
export const TOKEN_MEMORY_MS = 1_000;
/** Past this many remembered locations, the lapsed ones are dropped before another is added. */
const TOKEN_MEMORY_PRUNE_AT = 10_000;

type Refreshable = StoredToken & { refreshToken: string };

/**
 * How long one process may hold a token's refresh to itself (docs: migration 014): longer than a refresh request can
 * take (the OAuth client's timeout), so a live holder always swaps or gives it back first.
 */
export const REFRESH_LEASE_MS = 30_000;
/** How often a process waiting for another's rotation looks at the row. */
const REFRESH_WAIT_POLL_MS = 200;

export function createAccessTokens(deps: AccessTokensDeps): AccessTokens {
  const { tokens, locations, oauth, clock, logger } = deps;
  const skewMs = deps.refreshSkewMs ?? 5 * MINUTE;
  const graceMs = deps.rotationGraceMs ?? 3_000;
  const sleep = deps.sleep ?? realSleep;
  // In-process single flight: concurrent callers for one owner share one refresh; the CAS covers other processes.
  const inFlight = new Map<string, Promise<string>>();
  const remembered = new Map<string, { accessToken: string; until: number }>();
  const remember = (locationId: string, token: StoredToken): void => {
    const now = clock.now();
    if (remembered.size >= TOKEN_MEMORY_PRUNE_AT) for (const [id, entry] of remembered) if (entry.until <= now) remembered.delete(id);
    remembered.set(locationId, { accessToken: token.accessToken, until: Math.min(now + TOKEN_MEMORY_MS, token.expiresAt - skewMs) });
  };

  const isFresh = (token: StoredToken) => token.expiresAt - skewMs > clock.now();
  const report = (ownerId: string, ownerType: OwnerType, result: RefreshOutcome['result']) => {
    const level = result === 'failed' || result === 'needs-reconnect' ? 'warn' : 'info';
    logger[level]({ ownerId, ownerType, result }, 'highlevel token renewal');
    deps.onRefresh?.({ ownerId, ownerType, result });
  };

  function singleFlight(ownerId: string, rejected?: string): Promise<string> {
    const running = inFlight.get(ownerId);
    if (running) return running;
    const flight: Promise<string> = renew(ownerId, rejected).finally(() => {
      if (inFlight.get(ownerId) === flight) inFlight.delete(ownerId);
    });
    inFlight.set(ownerId, flight);
    return flight;
  }

  /** Re-reads the row (someone may have renewed it meanwhile), then refreshes, mints, or gives up. */
  async function renew(ownerId: string, rejected?: string): Promise<string> {
    const current = await tokens.get(ownerId);
    if (current?.needsReconnect) throw new ReconnectRequiredError(ownerId);
    const location = current?.ownerType === 'Company' ? null : await locations.get(ownerId);
    if (location?.status === 'uninstalled') throw new NotInstalledError(ownerId);
    if (current && isFresh(current) && current.accessToken !== rejected) return current.accessToken;
    if (current?.refreshToken) return refresh(current as Refreshable);
    // No refresh token: a location under an agency install gets a token minted from the Company token.
    let companyId = current?.ownerType === 'Company' ? null : (current?.companyId ?? location?.companyId ?? null);
    if (!companyId && !current && location?.status === 'installed' && deps.findAgency) companyId = await deps.findAgency(ownerId);
    if (companyId) return mint(ownerId, companyId, current);
    throw new NotInstalledError(ownerId);
  }

  async function refresh(current: Refreshable): Promise<string> {
    // One use per refresh token across every process: the lease says who uses it. The others wait for its rotation,
    // or take the lease once it is given back (a failed refresh) or runs out (its holder died).
    for (;;) {
      const now = clock.now();
      if (await tokens.leaseRefresh(current.ownerId, current.revision, now + REFRESH_LEASE_MS, now)) break;
      await sleep(REFRESH_WAIT_POLL_MS);
      const latest = await tokens.get(current.ownerId);
      if (!latest) throw new NotInstalledError(current.ownerId);
      if (latest.needsReconnect) throw new ReconnectRequiredError(current.ownerId);
      if (latest.revision !== current.revision) {
        report(current.ownerId, current.ownerType, 'lost-race');
        return latest.accessToken;
      }
    }
    let response: TokenResponse;
    try {
      response = await oauth.refresh(current.refreshToken, current.ownerType);
    } catch (error) {
      await tokens.endRefreshLease(current.ownerId, current.revision);
      return recover(current, error);
    }
    const now = clock.now();
    const grant: TokenGrant = {
      ownerId: current.ownerId, ownerType: current.ownerType, companyId: response.companyId ?? current.companyId,
      accessToken: response.access_token, refreshToken: response.refresh_token ?? current.refreshToken,
      expiresAt: now + response.expires_in * 1000, scope: response.scope ?? null, userId: response.userId ?? current.userId,
    };
    // Saved before anyone sees the new access token: losing the rotated refresh token breaks the install for good.
    if (await tokens.swap(current.revision, grant, now)) {
      report(current.ownerId, current.ownerType, 'refreshed');
      return grant.accessToken;
    }
    report(current.ownerId, current.ownerType, 'lost-race');
    return stored(current.ownerId);
  }

  async function recover(current: Refreshable, error: unknown): Promise<string> {
    if (error instanceof OAuthError && error.code === 'invalid_grant') {
      // Dead because another process rotated it a moment ago? Then the row holds, or is about to hold, the live pair:
      // HighLevel kills the old token as it answers that process, before its swap commits.
      const latest = await tokens.get(current.ownerId);
      if (latest?.revision === current.revision) {
        await sleep(graceMs);
        // Marked only while the row still holds the refused token; a rotation saved later clears the mark (swap).
        if (await tokens.markNeedsReconnect(current.ownerId, `refresh rejected: ${error.message}`, clock.now(), current.revision)) {
          report(current.ownerId, current.ownerType, 'needs-reconnect');
          throw new ReconnectRequiredError(current.ownerId);
        }
      }
      if (latest) report(current.ownerId, current.ownerType, 'lost-race');
      return stored(current.ownerId);
    }
    report(current.ownerId, current.ownerType, 'failed');
    throw asApiError('refreshing the HighLevel token failed', error);
  }

  async function mint(locationId: string, companyId: string, current: StoredToken | null): Promise<string> {
    let companyToken: string;
    try {
      companyToken = await forCompany(companyId);
    } catch (error) {
      throw error instanceof NotInstalledError ? new NotInstalledError(locationId) : error;
    }
    let response: TokenResponse;
    try {
      response = await oauth.mintLocationToken(companyToken, companyId, locationId);
    } catch (error) {
      if (!(error instanceof OAuthError && error.code === 'unauthorized')) throw mintFailure(locationId, error);
      companyToken = await afterUnauthorized(companyId, companyToken);
      response = await oauth.mintLocationToken(companyToken, companyId, locationId).catch((again: unknown) => {
        throw mintFailure(locationId, again);
      });
    }
    const now = clock.now();
    const grant: TokenGrant = {
      ownerId: locationId, ownerType: 'Location', companyId, accessToken: response.access_token, refreshToken: null,
      expiresAt: now + response.expires_in * 1000, scope: response.scope ?? null, userId: response.userId ?? null,
    };
    // A row that appeared or changed meanwhile (another process, or the location's own install) is never overwritten.
    if (!(current ? await tokens.swap(current.revision, grant, now) : await tokens.insertIfAbsent(grant, now))) {
      report(locationId, 'Location', 'lost-race');
      return stored(locationId);
    }
    report(locationId, 'Location', 'minted');
    return grant.accessToken;
  }

  function mintFailure(locationId: string, error: unknown): Error {
    report(locationId, 'Location', 'failed');
    // 4xx: the agency's install does not cover this location (not approved, removed from the bulk install).
    if (error instanceof OAuthError && !error.retryable && error.status !== null && error.status < 500) {
      logger.warn({ locationId, status: error.status, traceId: error.traceId }, 'highlevel refused to mint a location token');
      return new NotInstalledError(locationId);
    }
    return asApiError('minting a HighLevel location token failed', error);
  }

  async function stored(ownerId: string): Promise<string> {
    const winner = await tokens.get(ownerId);
    if (!winner) throw new NotInstalledError(ownerId);
    if (winner.needsReconnect) throw new ReconnectRequiredError(ownerId);
    return winner.accessToken;
  }

  async function forCompany(companyId: string): Promise<string> {
    const token = await tokens.get(companyId);
    if (!token || token.ownerType !== 'Company') throw new NotInstalledError(companyId);
    if (token.needsReconnect) throw new ReconnectRequiredError(companyId);
    return isFresh(token) ? token.accessToken : singleFlight(companyId);
  }

  async function afterUnauthorized(ownerId: string, rejected: string): Promise<string> {
    remembered.delete(ownerId);
    const running = inFlight.get(ownerId);
    if (running) {
      const renewed = await running;
      if (renewed !== rejected) return renewed;
    }
    return singleFlight(ownerId, rejected);
  }

  return {
    async forLocation(locationId) {
      const memory = remembered.get(locationId);
      if (memory && memory.until > clock.now()) return memory.accessToken;
      // Every request on a location's behalf reads both: one read (one statement on PostgreSQL), not two.
      const { installState: location, token } = await tokens.getWithInstallState(locationId);
      if (location?.status === 'uninstalled') throw new NotInstalledError(locationId);
      if (token?.needsReconnect) throw new ReconnectRequiredError(locationId);
      if (token && isFresh(token)) {
        remember(locationId, token);
        return token.accessToken;
      }
      if (!token && !location?.companyId && !(location?.status === 'installed' && deps.findAgency)) throw new NotInstalledError(locationId);
      return singleFlight(locationId);
    },
    forCompany,
    afterUnauthorized,
    forget(ownerId) {
      if (ownerId === undefined) remembered.clear();
      else remembered.delete(ownerId);
    },
  };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });

function asApiError(what: string, error: unknown): HighLevelApiError {
  if (error instanceof OAuthError) return new HighLevelApiError(`${what}: ${error.message}`, error.status, error.traceId, error.retryable);
  return new HighLevelApiError(`${what}: ${errorMessage(error)}`, null, undefined, true);
}
