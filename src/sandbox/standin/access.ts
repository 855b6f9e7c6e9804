// Who may touch what: a Location token only its own location; a Company token reads its own locations' settings.
import { apiError } from './http-io.js';
import type { RouteContext } from './router.js';
import type { Grant } from './token-store.js';
import type { Location } from './types.js';

const NO_ACCESS = 'The token does not have access to this location';

export function requireGrant(ctx: RouteContext): Grant {
  if (ctx.grant === undefined) throw apiError(401, 'Invalid JWT');
  return ctx.grant;
}

/** Contacts and conversations are sub-account data: only that sub-account's Location token reaches them. */
export function assertLocationToken(grant: Grant, locationId: string): void {
  if (grant.userType !== 'Location' || grant.locationId !== locationId) throw apiError(403, NO_ACCESS);
}

export function assertCompanyToken(grant: Grant, companyId: string): void {
  if (grant.userType !== 'Company') throw apiError(403, 'This route needs a Company (agency) token');
  if (grant.companyId !== companyId) throw apiError(403, 'The token does not have access to this company');
}

/** Location settings and numbers: the location's own token, or its agency's Company token. */
export function assertLocationReadable(grant: Grant, location: Location | undefined, locationId: string): Location {
  if (grant.userType === 'Location') {
    if (grant.locationId !== locationId) throw apiError(403, NO_ACCESS);
  } else if (location !== undefined && location.companyId !== grant.companyId) {
    throw apiError(403, NO_ACCESS);
  }
  if (location === undefined) throw apiError(400, 'Location not found');
  return location;
}
