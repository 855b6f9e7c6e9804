// OAuth state of the stand-in: one-time auth codes, day-long access tokens, rotating refresh tokens, installs.
import type { Clock } from '../../lib/clock.js';
import { createId, createSecret } from './ids.js';
import type { UserType } from './types.js';
import type { World } from './world.js';

export const ACCESS_TOKEN_SECONDS = 86_399;
export const DEFAULT_SCOPE = [
  'contacts.readonly', 'contacts.write', 'conversations.readonly', 'conversations/message.readonly',
  'conversations/message.write', 'locations.readonly', 'phonenumbers.read', 'oauth.readonly', 'oauth.write',
].join(' ');

/** What a token stands for: a sub-account (Location) or an agency (Company) install of the app. */
export interface Grant {
  userType: UserType;
  companyId: string;
  /** Set for Location grants only. */
  locationId?: string;
  /** Company grants: the sub-accounts the agency approved the app for. */
  approvedLocations: string[];
  isBulkInstallation: boolean;
  /** Company grants: sub-accounts the agency adds later get the app too (their INSTALL names no company or user). */
  installToFutureLocations: boolean;
  userId: string;
  planId: string;
  scope: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export type TokenStore = ReturnType<typeof createTokenStore>;

export function createTokenStore(deps: { clock: Clock; world: World }) {
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  const installedByCompany = new Map<string, Set<string>>();
  const futureInstalls = new Set<string>(); // companies whose install covers locations added later
  const planId = createId();

  function issueAuthCode(input: {
    userType: UserType; locationId?: string; companyId: string; approvedLocations?: string[]; installToFutureLocations?: boolean;
  }): string {
    if (!deps.world.company(input.companyId)) throw new Error(`stand-in: unknown company ${input.companyId}`);
    const owned = (id: string) => deps.world.location(id)?.companyId === input.companyId;
    let grant: Grant;
    if (input.userType === 'Location') {
      if (input.locationId === undefined || !owned(input.locationId)) {
        throw new Error(`stand-in: a Location code needs a location of company ${input.companyId}`);
      }
      grant = { userType: 'Location', companyId: input.companyId, locationId: input.locationId,
        approvedLocations: [], isBulkInstallation: false, installToFutureLocations: false, userId: createId(), planId, scope: DEFAULT_SCOPE };
    } else {
      const approved = input.approvedLocations ?? deps.world.locationsOfCompany(input.companyId).map((l) => l.id);
      const foreign = approved.find((id) => !owned(id));
      if (foreign !== undefined) throw new Error(`stand-in: location ${foreign} is not in company ${input.companyId}`);
      grant = { userType: 'Company', companyId: input.companyId, approvedLocations: [...approved],
        isBulkInstallation: true, installToFutureLocations: input.installToFutureLocations ?? false, userId: createId(), planId, scope: DEFAULT_SCOPE };
    }
    const code = createSecret();
    codes.set(code, grant);
    return code;
  }

  function issueTokens(grant: Grant, withRefresh: boolean): IssuedTokens {
    const accessToken = createSecret();
    accessTokens.set(accessToken, { grant, expiresAt: deps.clock.now() + ACCESS_TOKEN_SECONDS * 1000 });
    if (!withRefresh) return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS };
    const refreshToken = createSecret();
    refreshTokens.set(refreshToken, grant);
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /** Codes are single use: a second exchange of the same code finds nothing. */
  function redeemCode(code: string): Grant | undefined {
    const grant = codes.get(code);
    if (grant === undefined) return undefined;
    codes.delete(code);
    const installed = installedByCompany.get(grant.companyId) ?? new Set<string>();
    for (const id of grant.locationId !== undefined ? [grant.locationId] : grant.approvedLocations) installed.add(id);
    installedByCompany.set(grant.companyId, installed);
    if (grant.userType === 'Company' && grant.installToFutureLocations) futureInstalls.add(grant.companyId);
    return grant;
  }

  /** Rotation: the presented refresh token dies and a new one replaces it; reuse finds nothing. */
  function rotate(refreshToken: string): { grant: Grant; tokens: IssuedTokens } | undefined {
    const grant = refreshTokens.get(refreshToken);
    if (grant === undefined) return undefined;
    refreshTokens.delete(refreshToken);
    return { grant, tokens: issueTokens(grant, true) };
  }

  function revokeRefreshTokens(locationOrCompanyId: string): void {
    for (const [token, grant] of refreshTokens) {
      if (grant.locationId === locationOrCompanyId || grant.companyId === locationOrCompanyId) refreshTokens.delete(token);
    }
  }

  /** The grant behind a bearer token, if the token exists and has not expired by the injected clock. */
  function authenticate(accessToken: string): Grant | undefined {
    const record = accessTokens.get(accessToken);
    if (record === undefined) return undefined;
    if (deps.clock.now() >= record.expiresAt) {
      accessTokens.delete(accessToken);
      return undefined;
    }
    return record.grant;
  }

  function installedLocationIds(companyId: string): string[] {
    return [...(installedByCompany.get(companyId) ?? [])];
  }

  /** Whether the company's install covers sub-accounts it adds later. */
  function coversFutureLocations(companyId: string): boolean {
    return futureInstalls.has(companyId);
  }

  /** A location the agency just added: installed at once when its install covers future locations. */
  function installFutureLocation(companyId: string, locationId: string): boolean {
    if (!futureInstalls.has(companyId)) return false;
    const installed = installedByCompany.get(companyId) ?? new Set<string>();
    installed.add(locationId);
    installedByCompany.set(companyId, installed);
    return true;
  }

  /** The app removed from a location (or, without one, from the whole agency). */
  function uninstall(companyId: string, locationId?: string): void {
    if (locationId === undefined) {
      installedByCompany.delete(companyId);
      futureInstalls.delete(companyId);
    } else {
      installedByCompany.get(companyId)?.delete(locationId);
    }
  }

  return {
    issueAuthCode, issueTokens, redeemCode, rotate, revokeRefreshTokens, authenticate, installedLocationIds,
    coversFutureLocations, installFutureLocation, uninstall,
  };
}
