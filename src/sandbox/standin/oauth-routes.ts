// OAuth endpoints: code and refresh-token grants (rotating), agency → location token minting, installed locations.
import { assertCompanyToken, requireGrant } from './access.js';
import { createBodyChecks } from './body-checks.js';
import { apiError, oauthError, type Reply } from './http-io.js';
import type { Route, RouteContext } from './router.js';
import type { Grant, IssuedTokens, TokenStore } from './token-store.js';
import type { World } from './world.js';

export function createOauthRoutes(deps: {
  world: World; tokens: TokenStore; clientId: string; clientSecret: string; countRefresh(): void;
}): Route[] {
  const { world, tokens } = deps;
  // HighLevel's app id is the client id up to its first '-'.
  const appId = deps.clientId.split('-')[0];

  function exchangeToken(ctx: RouteContext): Reply {
    const form = ctx.body;
    if (form.client_id !== deps.clientId || form.client_secret !== deps.clientSecret) {
      throw oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    if (form.grant_type === 'authorization_code') {
      const grant = typeof form.code === 'string' ? tokens.redeemCode(form.code) : undefined;
      if (grant === undefined) throw oauthError(400, 'invalid_grant', 'Authorization code is invalid, expired or already used');
      return { status: 200, body: tokenResponse(grant, tokens.issueTokens(grant, true)) };
    }
    if (form.grant_type === 'refresh_token') {
      deps.countRefresh();
      const rotated = typeof form.refresh_token === 'string' ? tokens.rotate(form.refresh_token) : undefined;
      if (rotated === undefined) throw oauthError(400, 'invalid_grant', 'Invalid refresh token');
      return { status: 200, body: tokenResponse(rotated.grant, rotated.tokens) };
    }
    throw oauthError(400, 'unsupported_grant_type', `grant_type ${String(form.grant_type)} is not supported`);
  }

  function mintLocationToken(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const checks = createBodyChecks(ctx.body);
    const companyId = checks.requiredString('companyId');
    const locationId = checks.requiredString('locationId');
    checks.throwIfAny();
    assertCompanyToken(grant, companyId);
    if (world.location(locationId)?.companyId !== companyId) throw apiError(400, 'Location not found in this company');
    // The agency's install as it is now: sub-accounts added later under "future locations" count, uninstalled ones not.
    if (!tokens.installedLocationIds(companyId).includes(locationId)) throw apiError(403, 'The app is not installed in this location');
    const locationGrant: Grant = { ...grant, userType: 'Location', locationId, approvedLocations: [], isBulkInstallation: false, installToFutureLocations: false };
    const issued = tokens.issueTokens(locationGrant, false);
    return {
      status: 200,
      body: {
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        scope: grant.scope,
        userType: 'Location',
        companyId,
        locationId,
        userId: grant.userId,
        planId: grant.planId,
        appId,
        versionId: appId,
      },
    };
  }

  function listInstalledLocations(ctx: RouteContext): Reply {
    const grant = requireGrant(ctx);
    const companyId = ctx.query.get('companyId');
    const requestedAppId = ctx.query.get('appId');
    const problems = [
      ...(companyId ? [] : ['companyId must be a string']),
      ...(requestedAppId ? [] : ['appId must be a string']),
    ];
    if (problems.length > 0) throw apiError(422, problems);
    assertCompanyToken(grant, companyId!);
    if (requestedAppId !== appId) throw apiError(400, `appId ${requestedAppId} does not match the token's app`);
    // Paged like HighLevel's (skip, limit default 20), optionally narrowed to one locationId.
    const skip = pageNumber(ctx.query.get('skip'), 0, 'skip');
    const limit = pageNumber(ctx.query.get('limit'), 20, 'limit');
    const onlyLocation = ctx.query.get('locationId');
    const all = tokens.installedLocationIds(companyId!)
      .filter((id) => onlyLocation === null || id === onlyLocation)
      .map((id) => world.location(id))
      .filter((location) => location !== undefined)
      .map((location) => ({ _id: location.id, name: location.name, address: '', isInstalled: true }));
    const body = { locations: all.slice(skip, skip + limit), count: all.length, installToFutureLocations: tokens.coversFutureLocations(companyId!) };
    return { status: 200, body };
  }

  return [
    { method: 'POST', pattern: '/oauth/token', family: 'oauth-token', body: 'form', handle: exchangeToken },
    { method: 'POST', pattern: '/oauth/locationToken', family: 'oauth', body: 'form', handle: mintLocationToken },
    { method: 'GET', pattern: '/oauth/installedLocations', family: 'oauth', body: 'none', handle: listInstalledLocations },
  ];
}

function pageNumber(raw: string | null, fallback: number, name: string): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || (name === 'limit' && value === 0)) throw apiError(422, [`${name} must be a non-negative integer string`]);
  return value;
}

/** Shaped like HighLevel's (payloads/token-response-location.json); Company grants add their approvals. */
function tokenResponse(grant: Grant, issued: IssuedTokens): Record<string, unknown> {
  const body: Record<string, unknown> = {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    refresh_token: issued.refreshToken,
    scope: grant.scope,
    userType: grant.userType,
  };
  if (grant.locationId !== undefined) body.locationId = grant.locationId;
  body.companyId = grant.companyId;
  body.userId = grant.userId;
  body.planId = grant.planId;
  if (grant.userType === 'Company') {
    body.approvedLocations = [...grant.approvedLocations];
    body.isBulkInstallation = grant.isBulkInstallation;
  }
  return body;
}
