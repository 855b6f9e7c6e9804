// The app's lifecycle webhooks as HighLevel sends them (payloads/install-*.json, uninstall-location.json): INSTALL,
// UNINSTALL and PLAN_CHANGE carry the app's appId; an INSTALL for a sub-account added later under an agency's
// "future locations" install names no company and no user.
import type { Clock } from '../../lib/clock.js';
import { createId, createTraceId } from './ids.js';
import type { TokenStore } from './token-store.js';
import type { Location } from './types.js';
import type { World } from './world.js';

export function createInstallEvents(deps: { clock: Clock; world: World; tokens: TokenStore; clientId: string }) {
  const { world, tokens } = deps;
  // HighLevel's app id is the client id up to its first '-'.
  const appId = deps.clientId.split('-')[0];

  function envelope(): { timestamp: string; webhookId: string } {
    return { timestamp: new Date(deps.clock.now()).toISOString(), webhookId: createTraceId() };
  }

  function whiteLabel(companyId: string): Record<string, unknown> {
    const company = world.company(companyId);
    if (!company) throw new Error(`stand-in: unknown company ${companyId}`);
    if (company.whiteLabelDomain === undefined) return { isWhitelabelCompany: false, companyName: company.name };
    return {
      isWhitelabelCompany: true,
      whitelabelDetails: { domain: company.whiteLabelDomain, logoUrl: `https://${company.whiteLabelDomain}/logo.png` },
      companyName: company.name,
    };
  }

  function installEvent(input: { companyId: string; locationId?: string }): Record<string, unknown> {
    if (input.locationId !== undefined && world.location(input.locationId)?.companyId !== input.companyId) {
      throw new Error(`stand-in: location ${input.locationId} is not in company ${input.companyId}`);
    }
    return {
      type: 'INSTALL', appId,
      ...(input.locationId !== undefined ? { locationId: input.locationId } : {}),
      companyId: input.companyId, userId: createId(),
      ...whiteLabel(input.companyId), ...envelope(),
    };
  }

  function addFutureLocation(input: { id?: string; companyId: string; name: string; timezone: string; phone?: string; numbers?: string[] }):
    { location: Location; event: Record<string, unknown> | null } {
    const location = world.createLocation(input);
    const copy = { ...location, numbers: [...location.numbers] };
    if (!tokens.installFutureLocation(input.companyId, location.id)) return { location: copy, event: null };
    // As HighLevel sends it for a future location: no companyId, no userId.
    const { companyName, isWhitelabelCompany, whitelabelDetails } = whiteLabel(input.companyId);
    const event: Record<string, unknown> = { type: 'INSTALL', appId, locationId: location.id, isWhitelabelCompany, companyName, ...envelope() };
    if (whitelabelDetails !== undefined) event.whitelabelDetails = whitelabelDetails;
    return { location: copy, event };
  }

  function uninstallEvent(input: { companyId: string; locationId?: string }): Record<string, unknown> {
    tokens.uninstall(input.companyId, input.locationId);
    tokens.revokeRefreshTokens(input.locationId ?? input.companyId);
    return {
      type: 'UNINSTALL', appId,
      ...(input.locationId !== undefined ? { locationId: input.locationId } : { companyId: input.companyId }),
      ...envelope(),
    };
  }

  function planChangeEvent(input: { companyId: string; locationId: string; newPlanId: string; currentPlanId?: string }): Record<string, unknown> {
    return {
      type: 'PLAN_CHANGE', appId, locationId: input.locationId, companyId: input.companyId, userId: createId(),
      ...(input.currentPlanId !== undefined ? { currentPlanId: input.currentPlanId } : {}), newPlanId: input.newPlanId,
      ...envelope(),
    };
  }

  return { installEvent, addFutureLocation, uninstallEvent, planChangeEvent };
}
