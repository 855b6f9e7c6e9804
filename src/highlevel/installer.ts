// Completes a marketplace install: trades the code for tokens and records the location or agency installation.
import type { Clock } from '../lib/clock.js';
import type { TokenStorePort } from '../store/storage.js';
import type { AuditLog } from '../workflow/ports/storage.js';
import { toTokenGrant, type OAuthClient } from './oauth-client.js';

export interface InstallResult {
  kind: 'Location' | 'Company';
  ownerId: string;
  locationIds: string[];
  reconnected: boolean;
}

export interface InstallerDeps {
  oauth: Pick<OAuthClient, 'exchangeCode'>;
  tokens: Pick<TokenStorePort, 'get' | 'save'>;
  audit: AuditLog;
  clock: Clock;
  installLocation(locationId: string, companyId: string | null, planId: string | null): Promise<void>;
  installCompany(companyId: string): Promise<void>;
}

export function createInstaller(deps: InstallerDeps) {
  return {
    /** Throws OAuthError for a bad, expired or reused code; nothing is stored then. */
    async complete(code: string): Promise<InstallResult> {
      const response = await deps.oauth.exchangeCode(code);
      const now = deps.clock.now();
      const grant = toTokenGrant(response, now);
      const reconnected = (await deps.tokens.get(grant.ownerId))?.needsReconnect ?? false;
      await deps.tokens.save(grant, now);

      let locationIds: string[];
      if (grant.ownerType === 'Location') {
        locationIds = [grant.ownerId];
        await deps.installLocation(grant.ownerId, grant.companyId, response.planId ?? null);
      } else {
        await deps.installCompany(grant.ownerId);
        // Bulk installs list the sub-accounts; each one's token is minted when it first needs one.
        locationIds = response.approvedLocations ?? [];
        for (const locationId of locationIds) await deps.installLocation(locationId, grant.ownerId, response.planId ?? null);
      }
      await deps.audit.record({
        locationId: grant.ownerType === 'Location' ? grant.ownerId : null,
        actor: response.userId ?? 'highlevel',
        action: reconnected ? 'reconnect' : 'install',
        detail: { userType: grant.ownerType, companyId: grant.companyId, locations: locationIds.length },
      }, now);
      return { kind: grant.ownerType, ownerId: grant.ownerId, locationIds, reconnected };
    },
  };
}
export type Installer = ReturnType<typeof createInstaller>;
